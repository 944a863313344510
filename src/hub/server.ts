/**
 * The hub process: one HTTP(S) server carrying the JSON API and socket.io.
 *
 * HTTP:   GET /api/health; POST /api/enroll (code -> token);
 *         POST /api/catalog {changes}, POST /api/catalog/price {barcode,
 *         price} and GET /api/status with `Authorization: Bearer
 *         <admin token>` (the CLI and, later, the dashboard).
 * socket: namespace /terminal, see src/shared/replication.ts. A socket's
 *         pushes are ingested one after the other (a per-socket queue), so
 *         pipelined batches are applied in the order they were sent.
 * A hub node keeps no state of its own: everything is in the store, and a
 * socket.io adapter carries catalog:changed to the other nodes' terminals.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import { z } from 'zod';
import { TillError, isTillError } from '../shared/errors';
import {
  TERMINAL_NAMESPACE,
  catalogChangeSchema,
  catalogPullSchema,
  enrollRequestSchema,
  handshakeAuthSchema,
  journalPullSchema,
  statusReportSchema,
  type BatchLimits,
  type CatalogChange,
  type Hello,
  type Refusal,
} from '../shared/replication';
import { checkCatalogChanges, priceChange, signedCatalogDeltaSince } from './catalog';
import { redeemEnrollCode } from './enroll';
import { newHubSecrets, type HubSecrets } from './secrets';
import { DEFAULT_LIMITS, commitBatch, precheckBatch, sha256Hex, tokenMatches } from './ingest';
import type { HubStore } from './store/types';

type AdapterFactory = NonNullable<ConstructorParameters<typeof Server>[1]>['adapter'];

export interface HubOptions {
  store: HubStore;
  host?: string;
  port?: number;
  tls?: { cert: string | Buffer; key: string | Buffer };
  limits?: BatchLimits;
  adapter?: AdapterFactory;
  /** bearer token for the admin API; without it the admin API is closed */
  adminToken?: string;
  /** the signing key and the chain's PIN key (loadHubSecrets); fresh in-memory ones when absent */
  secrets?: HubSecrets;
  now?: () => Date;
  log?: (line: string) => void;
}

export interface RunningHub {
  url: string;
  port: number;
  io: Server;
  /** records a catalog change and tells every connected terminal (on every node) */
  changeCatalog(changes: CatalogChange[]): Promise<number>;
  close(): Promise<void>;
}

interface SocketData {
  terminalId: string;
  token: string;
  queue: Promise<unknown>;
}

const MAX_JSON_BODY = 1024 * 1024;

export async function startHub(o: HubOptions): Promise<RunningHub> {
  const store = o.store;
  const limits = o.limits ?? DEFAULT_LIMITS;
  const now = o.now ?? (() => new Date());
  const log = o.log ?? (() => undefined);
  const secrets = o.secrets ?? newHubSecrets();
  const server = o.tls ? https.createServer({ cert: o.tls.cert, key: o.tls.key }) : http.createServer();
  const io = new Server(server, {
    maxHttpBufferSize: limits.maxBytes * 2,
    transports: ['websocket'],
    ...(o.adapter ? { adapter: o.adapter } : {}),
  });
  const nsp = io.of(TERMINAL_NAMESPACE);

  async function changeCatalog(changes: CatalogChange[]): Promise<number> {
    const version = await store.changeCatalog(checkCatalogChanges(changes, secrets.pinKey));
    nsp.emit('catalog:changed', { version });
    log(`catalog version ${version} (${changes.length} change(s))`);
    return version;
  }

  nsp.use((socket, next) => {
    const auth = handshakeAuthSchema.safeParse(socket.handshake.auth);
    const refuse = (r: Refusal) => next(Object.assign(new Error(r.message), { data: r }));
    if (!auth.success) return refuse({ code: 'unauthenticated', message: 'the handshake needs {terminalId, token}' });
    store.terminal(auth.data.terminalId).then(
      (t) => {
        if (!t || !tokenMatches(auth.data.token, t.tokenHash)) return refuse({ code: 'unauthenticated', message: `not a valid token for terminal ${auth.data.terminalId}` });
        if (t.revokedAt !== null) return refuse({ code: 'revoked', message: `terminal ${t.id} was revoked at ${t.revokedAt}` });
        const data: SocketData = { terminalId: t.id, token: auth.data.token, queue: Promise.resolve() };
        socket.data = data;
        next();
      },
      (e: unknown) => refuse({ code: 'hub-unavailable', message: `the hub's store is unavailable: ${e instanceof Error ? e.message : String(e)}` }),
    );
  });

  nsp.on('connection', (socket: Socket) => {
    const data = socket.data as SocketData;
    const { terminalId } = data;
    /** one handler at a time per socket, in arrival order */
    const serial = (fn: () => Promise<void>) => {
      data.queue = data.queue.then(fn).catch((e: unknown) => log(`terminal ${terminalId}: ${e instanceof Error ? e.message : String(e)}`));
    };
    const withAck = (name: string, handler: (payload: unknown) => Promise<unknown>) => {
      socket.on(name, (payload: unknown, ack: unknown) => {
        if (typeof ack !== 'function') {
          socket.disconnect(true);
          return;
        }
        serial(async () => ack(await handler(payload)));
      });
    };

    serial(async () => {
      const t = await store.terminal(terminalId);
      if (!t) throw new Error('terminal vanished');
      await store.touch(terminalId, now().toISOString());
      const hello: Hello = { hwm: t.hwm, catalogVersion: await store.catalogVersion(), limits };
      socket.emit('hello', hello);
    });

    /* the database-free checks (shape, chain, hashes) run on arrival, so they overlap the previous batch's transaction */
    socket.on('push', (batch: unknown, ack: unknown) => {
      if (typeof ack !== 'function') {
        socket.disconnect(true);
        return;
      }
      const pre = precheckBatch(batch, limits);
      serial(async () => {
        const answer = await commitBatch({ store, terminalId, token: data.token, limits, now }, pre);
        if (!answer.ok && answer.error.code !== 'replayed') log(`terminal ${terminalId}: batch refused (${answer.error.code}): ${answer.error.message}`);
        ack(answer);
      });
    });
    /** a revoke made while the socket is connected takes effect on its next message */
    const revoked = async (): Promise<Refusal | null> => {
      const t = await store.terminal(terminalId);
      return !t || t.revokedAt !== null ? { code: 'revoked', message: `terminal ${terminalId} was revoked` } : null;
    };
    withAck('status', async (raw) => {
      const gone = await revoked();
      if (gone) return { ok: false, error: gone };
      const r = statusReportSchema.safeParse(raw);
      if (!r.success) return { ok: false, error: { code: 'malformed', message: 'malformed status report' } };
      await store.saveStatus(terminalId, r.data, now().toISOString());
      return { ok: true };
    });
    withAck('catalog:pull', async (raw) => {
      const gone = await revoked();
      if (gone) return { ok: false, error: gone };
      const r = catalogPullSchema.safeParse(raw);
      if (!r.success) return { ok: false, error: { code: 'malformed', message: 'malformed catalog pull' } };
      return { ok: true, ...(await signedCatalogDeltaSince(store, r.data.since, secrets)) };
    });
    withAck('journal:pull', async (raw) => {
      const r = journalPullSchema.safeParse(raw);
      if (!r.success) return { ok: false, error: { code: 'malformed', message: 'malformed journal pull' } };
      const t = await store.terminal(terminalId);
      if (!t || t.revokedAt !== null) return { ok: false, error: { code: 'revoked', message: `terminal ${terminalId} was revoked` } };
      return { ok: true, entries: await store.entries(terminalId, r.data.fromSeq, r.data.limit), hwm: t.hwm };
    });
    socket.on('disconnect', () => {
      void store.touch(terminalId, now().toISOString()).catch(() => undefined);
    });
  });

  server.on('request', (req, res) => {
    if (req.url?.startsWith('/socket.io/')) return;
    handleHttp(req, res).catch((e: unknown) => {
      const status = isTillError(e) ? httpStatus(e.code) : 500;
      const body = isTillError(e) ? e.toBody() : { code: 'internal', message: e instanceof Error ? e.message : String(e) };
      if (!res.headersSent) res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: body }));
    });
  });

  async function handleHttp(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://hub');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && url.pathname === '/api/health') return send(200, { ok: true, store: store.kind });
    if (req.method === 'POST' && url.pathname === '/api/enroll') {
      const body = enrollRequestSchema.safeParse(await readJson(req));
      if (!body.success) throw new TillError('bad-input', 'an enrollment needs {code, store, terminal}');
      const out = await redeemEnrollCode(store, body.data, secrets, now());
      log(`enrolled ${out.terminalId}`);
      return send(200, out);
    }
    if (url.pathname.startsWith('/api/catalog') || url.pathname === '/api/status') {
      const auth = req.headers.authorization ?? '';
      const presented = auth.startsWith('Bearer ') ? auth.slice(7) : '';
      // compared through hashes in constant time, like terminal tokens
      if (!o.adminToken || !tokenMatches(presented, sha256Hex(o.adminToken))) throw new TillError('unauthenticated', 'the admin API needs the hub admin token');
      if (req.method === 'POST' && url.pathname === '/api/catalog') {
        const body = z.object({ changes: z.array(catalogChangeSchema).min(1).max(10_000) }).strict().safeParse(await readJson(req));
        if (!body.success) throw new TillError('bad-input', 'a catalog change needs {changes: [{kind, key, data}]}');
        return send(200, { version: await changeCatalog(body.data.changes) });
      }
      if (req.method === 'POST' && url.pathname === '/api/catalog/price') {
        const body = z.object({ barcode: z.string().min(1).max(32), price: z.number().int().min(0) }).strict().safeParse(await readJson(req));
        if (!body.success) throw new TillError('bad-input', 'a price change needs {barcode, price} (price in fen)');
        return send(200, { version: await changeCatalog([await priceChange(store, body.data.barcode, body.data.price)]) });
      }
      if (req.method === 'GET' && url.pathname === '/api/status') return send(200, { terminals: await store.terminals(), alerts: await store.alerts() });
    }
    send(404, { error: { code: 'not-found', message: `no such endpoint: ${req.method} ${url.pathname}` } });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `${o.tls ? 'https' : 'http'}://${host}:${addr.port}`;
  log(`hub listening on ${url} (${store.kind} store)`);

  return {
    url,
    port: addr.port,
    io,
    changeCatalog,
    close: async () => {
      nsp.disconnectSockets(true);
      await new Promise<void>((resolve) => {
        io.close(() => resolve());
      });
      server.closeAllConnections();
    },
  };
}

function httpStatus(code: string): number {
  switch (code) {
    case 'bad-input': return 400;
    case 'unauthenticated': return 401;
    case 'forbidden': return 403;
    case 'not-found': return 404;
    default: return 500;
  }
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_JSON_BODY) throw new TillError('bad-input', 'request body too large');
    chunks.push(c as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new TillError('bad-input', 'the request body is not JSON');
  }
}
