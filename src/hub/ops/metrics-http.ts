/**
 * Where Prometheus reads a hub node's metrics, one of two ways:
 * - GET /metrics on the hub's own address, with Authorization: Bearer and the
 *   metrics token (DIR/metrics-token, 0600, made by `till hub`) or the admin
 *   token; anything else is 401 and logged like every failed authentication;
 * - or only on a separate plain-HTTP address (--metrics-host/--metrics-port),
 *   without a token, meant for an admin network; the hub's own address then
 *   answers /metrics with 404.
 * Every HTTP request the hub answers is timed by its route pattern (not its
 * path, so store codes and SKUs do not become label values).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { ApiError, mapError } from '../http/errors';
import type { HubMetrics } from './metrics';

export interface MetricsOptions {
  /** bearer tokens /metrics accepts on the hub's address (the metrics token and the admin token) */
  tokens: readonly string[];
  /** a separate address for /metrics without a token (the hub's own address then has none) */
  port?: number;
  host?: string;
}

export function observeHttp(app: FastifyInstance, metrics: HubMetrics): void {
  app.addHook('onResponse', (req, reply, done) => {
    metrics.http(req.method, req.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

function tokenAccepted(header: string | undefined, tokens: readonly string[]): 'ok' | 'none' | 'wrong' {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m) return 'none';
  const given = digest(m[1] as string);
  return tokens.some((t) => timingSafeEqual(digest(t), given)) ? 'ok' : 'wrong';
}

/** /metrics on the hub's own address: with a token, or 404 when a separate address serves them */
export function serveMetricsRoute(app: FastifyInstance, metrics: HubMetrics, o: MetricsOptions, log: (line: string) => void): void {
  const separate = o.port !== undefined;
  app.get('/metrics', async (req, reply) => {
    void reply.header('cache-control', 'no-store');
    if (separate) return reply.code(404).send(mapError(new ApiError('not-found', 'metrics are served on the metrics address')).body);
    const verdict = tokenAccepted(req.headers.authorization, o.tokens);
    if (verdict !== 'ok') {
      log(`auth failed: metrics from ${req.ip} (${verdict === 'none' ? 'no token given' : 'wrong token'})`);
      return reply.code(401).header('www-authenticate', 'Bearer realm="till-hub-metrics"').send(mapError(new ApiError('unauthenticated')).body);
    }
    return reply.type(metrics.contentType).send(await metrics.text());
  });
}

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/** the separate metrics address: GET /metrics and nothing else */
export async function startMetricsServer(metrics: HubMetrics, host: string, port: number, log: (line: string) => void): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    metrics.text().then(
      (text) => res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' }).end(text),
      (e: unknown) => {
        log(`metrics: collecting failed: ${e instanceof Error ? e.message : String(e)}`);
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('metrics unavailable\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const a = server.address() as AddressInfo;
  const url = `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}/metrics`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
