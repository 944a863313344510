/**
 * The hub process: one HTTP(S) server carrying fastify (the JSON API of
 * src/shared/hub-api, the console's files) and socket.io (namespaces
 * /terminal for replication and /console for the console's live updates).
 *
 * HTTP: see src/hub/http/app.ts for the request life cycle (rate limit,
 * credential, CSRF, validation, store limits) and src/hub/http/routes/ for
 * the routes; /api/openapi.json describes every route served.
 * A hub node keeps no state of its own: sessions, login failures and
 * everything else are in the store, and a socket.io adapter carries events
 * (catalog:changed to terminals, console events) to the other nodes. Only
 * the per-address request rate limit is counted per node.
 *
 * Operations (src/hub/ops/): each node serves its own Prometheus metrics,
 * runs the alert evaluator and the webhook notifier (the store keeps them
 * from doing anything twice across nodes), and logs through the Logger it
 * is given (`till hub`'s pino set-up): a line reporting a failure or a
 * refusal as a warning, every HTTP request answered as one record.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../shared/logger';
import { Server } from 'socket.io';
import { CHAIN_ROOM, CONSOLE_NAMESPACE, storeRoom, type FleetChanged } from '../shared/hub-api/index';
import { TERMINAL_NAMESPACE, type BatchLimits, type CatalogChange } from '../shared/replication';
import { attachConsoleNamespace, sessionRoom, userRoom } from './console-socket';
import { DEFAULT_STALE_AFTER_MS } from './fleet';
import { createHttp, DEFAULT_RATE_LIMITS, type RateLimits } from './http/app';
import { DEFAULT_LOGIN_LIMITS, DEFAULT_SESSION_POLICY, type AuthConfig, type LoginLimits, type SessionPolicy } from './http/auth';
import { serveCatalog } from './http/routes/catalog';
import type { HubEvents, RouteDeps } from './http/routes/deps';
import { serveFleet } from './http/routes/fleet';
import { servePeople } from './http/routes/people';
import { changeCatalog as recordCatalog, serveSystem } from './http/routes/system';
import { serveAlerts } from './http/routes/alerts';
import { DEFAULT_LIMITS } from './ingest';
import { startAlerting, type Alerting } from './ops/alerting';
import { HubMetrics } from './ops/metrics';
import { observeHttp, serveMetricsRoute, startMetricsServer, type MetricsServer } from './ops/metrics-http';
import { DEFAULT_RETRY, type RetryPolicy } from './ops/notifier';
import { newHubSecrets, type HubSecrets } from './secrets';
import type { ChangeBy, HubStore } from './store/types';
import { attachTerminalNamespace, terminalRoom, type TerminalObserver } from './terminal-socket';

type AdapterFactory = NonNullable<ConstructorParameters<typeof Server>[1]>['adapter'];

/** the hub's lines that are logged as warnings: failed authentication, refusals, failures */
const WARNING = /\b(auth failed|failed|refused|unavailable|rate limit|given up)\b/i;

/** the message hub nodes send each other to end console sessions */
const END_SESSIONS = 'till:end-sessions';

/** where `npm run build` puts the console (src/hub/web), served at / when present */
export const DEFAULT_WEB_ROOT = path.resolve(__dirname, '../../out/hub-web');

export interface HubOptions {
  store: HubStore;
  host?: string;
  port?: number;
  tls?: { cert: string | Buffer; key: string | Buffer };
  limits?: BatchLimits;
  adapter?: AdapterFactory;
  /** bearer token for the admin API; without it only console sessions get in */
  adminToken?: string;
  /** the signing key and the chain's PIN key (loadHubSecrets); fresh in-memory ones when absent */
  secrets?: HubSecrets;
  now?: () => Date;
  log?: (line: string) => void;
  /** the process's logger (pino, made by `till hub`): the hub's lines go to it when no `log` is given */
  logger?: Logger;
  /** behind a load balancer: take the client's address and https from X-Forwarded-For/-Proto */
  trustProxy?: boolean;
  rateLimits?: Partial<RateLimits>;
  loginLimits?: Partial<LoginLimits>;
  session?: Partial<SessionPolicy>;
  /** the built console; null: serve none */
  webRoot?: string | null;
  /** a connected terminal without a status report for this long counts as offline */
  staleAfterMs?: number;
  /** /metrics: its bearer token (besides the admin token), or a separate address without one */
  metrics?: { token?: string | null; host?: string; port?: number };
  /** the alert evaluator and webhook notifier of this node; false: none */
  alerts?: Partial<AlertLoopOptions> | false;
}

export interface AlertLoopOptions {
  evaluateEveryMs: number;
  sendEveryMs: number;
  retry: RetryPolicy;
  /** a webhook's answer is waited for this long */
  timeoutMs: number;
  /** the wall clock (ms) that DingTalk signatures carry */
  wallClock: () => number;
}

export const DEFAULT_ALERT_LOOPS: AlertLoopOptions = { evaluateEveryMs: 30_000, sendEveryMs: 5_000, retry: DEFAULT_RETRY, timeoutMs: 10_000, wallClock: () => Date.now() };

export interface RunningHub {
  url: string;
  port: number;
  io: Server;
  /** the separate metrics address (--metrics-port), when there is one */
  metricsUrl: string | null;
  /** records a catalog change and tells every connected terminal (on every node) */
  changeCatalog(changes: CatalogChange[], by?: ChangeBy): Promise<number>;
  close(): Promise<void>;
}

export async function startHub(o: HubOptions): Promise<RunningHub> {
  const store = o.store;
  const limits = o.limits ?? DEFAULT_LIMITS;
  const now = o.now ?? (() => new Date());
  const logger = o.logger;
  const log = o.log ?? (logger ? (line: string) => (WARNING.test(line) ? logger.warn(line) : logger.info(line)) : () => undefined);
  const secrets = o.secrets ?? newHubSecrets();
  const server = o.tls ? https.createServer({ cert: o.tls.cert, key: o.tls.key }) : http.createServer();

  const auth: AuthConfig = {
    store,
    adminToken: o.adminToken ?? null,
    now,
    log,
    login: { ...DEFAULT_LOGIN_LIMITS, ...o.loginLimits },
    session: { ...DEFAULT_SESSION_POLICY, ...o.session },
  };
  const web = await createHttp(server, {
    auth,
    rateLimits: { ...DEFAULT_RATE_LIMITS, ...o.rateLimits },
    trustProxy: o.trustProxy ?? false,
    webRoot: o.webRoot === undefined ? DEFAULT_WEB_ROOT : o.webRoot,
    ...(logger ? { logger } : {}),
  });

  /* socket.io takes the server's request listener over and hands fastify every request outside /socket.io/ */
  const io = new Server(server, {
    maxHttpBufferSize: limits.maxBytes * 2,
    transports: ['websocket'],
    ...(o.adapter ? { adapter: o.adapter } : {}),
  });
  const terminals = io.of(TERMINAL_NAMESPACE);
  const consoles = io.of(CONSOLE_NAMESPACE);
  const metrics = new HubMetrics({ terminals: () => terminals.sockets.size, consoles: () => consoles.sockets.size });
  observeHttp(web.app, metrics);
  let alerting: Alerting | null = null;
  const observe: TerminalObserver = {
    refused: (code) => metrics.refused(code),
    batch: (ack, seconds) => metrics.batch(ack, seconds),
    status: (id, storeCode, report, lag) => metrics.status(id, storeCode, report, lag),
    disconnected: (id) => metrics.disconnected(id),
    alerted: () => alerting?.kick(),
  };

  const fleetChanged = (e: FleetChanged) => void consoles.to([storeRoom(e.store), CHAIN_ROOM]).emit('fleet:changed', e);
  const events: HubEvents = {
    catalogChanged: (version) => {
      terminals.emit('catalog:changed', { version });
      consoles.emit('catalog:changed', { version });
    },
    fleetChanged,
    terminalRevoked: (terminalId) => terminals.in(terminalRoom(terminalId)).disconnectSockets(true),
    sessionsEnded: (e) => {
      const room = 'sessionIdHash' in e ? sessionRoom(e.sessionIdHash) : userRoom(e.user);
      endSessionsHere(room);
      if (o.adapter) consoles.serverSideEmit(END_SESSIONS, room);
    },
  };
  /*
   * Each node tells its own sockets and then closes them: broadcast through
   * the adapter, the event and the disconnect could reach another node in
   * either order (two NOTIFYs on two pooled connections).
   */
  function endSessionsHere(room: string): void {
    consoles.local.to(room).emit('session:ended', {});
    consoles.local.in(room).disconnectSockets(true);
  }
  consoles.on(END_SESSIONS, (room: unknown) => {
    if (typeof room === 'string') endSessionsHere(room);
  });

  attachTerminalNamespace(terminals, { store, limits, now, log, secrets, fleetChanged, observe });
  attachConsoleNamespace(consoles, { auth, parseCookie: (h) => web.app.parseCookie(h), trustProxy: o.trustProxy ?? false });

  const loops = o.alerts === false ? null : { ...DEFAULT_ALERT_LOOPS, ...o.alerts };
  const staleAfterMs = o.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const deps: RouteDeps = {
    http: web,
    store,
    auth,
    events,
    secrets,
    staleAfterMs,
    webhooks: { wallClock: loops?.wallClock ?? DEFAULT_ALERT_LOOPS.wallClock, timeoutMs: loops?.timeoutMs ?? DEFAULT_ALERT_LOOPS.timeoutMs },
  };
  serveSystem(deps);
  servePeople(deps);
  serveFleet(deps);
  serveAlerts(deps);
  serveCatalog(deps);
  const metricsOptions = { tokens: [o.metrics?.token, o.adminToken].filter((t): t is string => typeof t === 'string' && t !== ''), ...(o.metrics?.port === undefined ? {} : { port: o.metrics.port }) };
  serveMetricsRoute(web.app, metrics, metricsOptions, log);

  await web.app.listen({ port: o.port ?? 0, host: o.host ?? '127.0.0.1' });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `${o.tls ? 'https' : 'http'}://${host}:${addr.port}`;
  log(`hub listening on ${url} (${store.kind} store)`);
  let metricsServer: MetricsServer | null = null;
  if (o.metrics?.port !== undefined) {
    metricsServer = await startMetricsServer(metrics, o.metrics.host ?? '127.0.0.1', o.metrics.port, log);
    log(`metrics on ${metricsServer.url}`);
  }
  if (loops) {
    alerting = startAlerting({
      store,
      now,
      log,
      staleAfterMs,
      fleetChanged,
      metrics,
      everyMs: loops.evaluateEveryMs,
      notifier: { secrets, node: `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`, everyMs: loops.sendEveryMs, retry: loops.retry, timeoutMs: loops.timeoutMs, wallClock: loops.wallClock, metrics },
    });
  }

  return {
    url,
    port: addr.port,
    io,
    metricsUrl: metricsServer?.url ?? null,
    changeCatalog: (changes, by) => recordCatalog(deps, changes, by ?? { actor: 'hub', actorRole: null, source: null, at: now().toISOString() }),
    close: async () => {
      await alerting?.stop();
      await metricsServer?.close();
      terminals.disconnectSockets(true);
      consoles.disconnectSockets(true);
      await new Promise<void>((resolve) => {
        void io.close(() => resolve());
        server.closeAllConnections();
      });
      await web.app.close();
    },
  };
}
