/**
 * The lane server: the same contract as Electron's IPC, over HTTP and
 * socket.io, for a browser or a tablet on the counter and for end-to-end
 * tests in a real Chromium. It serves the built renderer and carries two
 * messages on the socket: CHANNELS.call {method, input, ctx} answered through
 * the ack with a Result, and CHANNELS.event {name, payload}. It holds no
 * logic: every call goes to terminal.dispatch, with the device's address as
 * its source (sign-in lockouts are kept per source).
 *
 * Who may talk to it (threat: any program or web page on this computer or the
 * LAN):
 * - Only the lane's own Host names are served, HTTP and websocket alike
 *   (127.0.0.1:PORT, localhost:PORT, [::1]:PORT, the bound address, the
 *   configured LAN name), and a browser handshake must come from that same
 *   origin: a page of another site that resolves its name to 127.0.0.1 (DNS
 *   rebinding) is refused.
 * - Every socket presents the per-launch secret or the pairing code, on
 *   loopback too (pairing.ts); the secret travels in the URL's fragment,
 *   which a browser never sends to a server.
 * - Events go only to sockets bound to a live session (a call with a valid
 *   session token binds it): cart and sale events to sessions that may sell,
 *   device and sync status to any session, and a raw device scan (which may
 *   be a customer's payment code) to exactly one socket, the signed-in one
 *   used last, so a scan is added once however many windows are open.
 * - Off loopback the lane speaks only TLS (HTTPS and WSS) with its
 *   self-signed certificate (certificate.ts), whose SHA-256 fingerprint the
 *   till prints and the pairing screen shows. The port peeks at the first
 *   byte of each connection: a TLS handshake goes to the HTTPS server; plain
 *   HTTP gets no page and no socket, only a redirect of a page address to
 *   https:// (for a person who typed the address) or a 400.
 */
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import { Server, type Socket } from 'socket.io';
import { CHANNELS, EVENT_NAMES, parseCallEnvelope, type CallContext, type EventName, type EventPayload } from '../../shared/contract/api';
import type { MethodName } from '../../shared/contract';
import type { UserView } from '../../shared/contract/auth';
import type { Result } from '../../shared/result';
import { roleHas } from '../../core/permissions';
import { laneCertificate, type LaneCertificate } from './certificate';
import { newPairingCode, PairingGate } from './pairing';
import { staticHandler } from './static';

/** what the lane server needs of a terminal */
export interface LaneTerminal {
  dispatch(method: MethodName, input: unknown, ctx: CallContext, source?: string): Result<unknown> | Promise<Result<unknown>>;
  /** the user of a live session token, or null */
  sessionUser(token: string | undefined): UserView | null;
  readonly events: { on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void };
}

export interface LaneServerOptions {
  terminal: LaneTerminal;
  /** the built renderer (out/renderer) */
  staticDir: string;
  /** default 127.0.0.1 */
  host?: string;
  /** default 0: any free port */
  port?: number;
  /** the first pairing code; a random one is made when absent */
  pairingCode?: string;
  /** the per-launch secret; a random one is made when absent */
  secret?: string;
  /** a DNS name the lane is reached by on the LAN (its Host is served too) */
  laneName?: string;
  /** told each new pairing code (the old one was used or guessed at too often) */
  onPairingCode?: (code: string) => void;
  /** speak TLS (HTTPS, WSS); default: when host is not a loopback address */
  tls?: boolean;
  /** where the TLS key and certificate are kept (the data directory); needed when the lane speaks TLS */
  certDir?: string;
  /** the till's name in its certificate (e.g. "Till S001/T01") */
  certName?: string;
  /** where an unexpected failure's detail goes (the device hears only that the terminal failed) */
  log?: (line: string) => void;
}

export interface LaneServer {
  /** the address to open, with the per-launch secret in its fragment */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** the code a browser opened by hand pairs with (it changes once used) */
  readonly pairingCode: string;
  readonly secret: string;
  /** the TLS certificate when the lane speaks TLS: its fingerprint, its PEM, and whether this start made or reissued it */
  readonly certificate: Pick<LaneCertificate, 'fingerprint' | 'action' | 'reason' | 'cert'> | null;
  close(): Promise<void>;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** a websocket or polling handshake is same-origin, or from a non-browser client (no Origin) */
export function isSameOrigin(origin: string | undefined, hostHeader: string | undefined): boolean {
  if (origin === undefined) return true;
  if (hostHeader === undefined) return false;
  try {
    const o = new URL(origin);
    return (o.protocol === 'http:' || o.protocol === 'https:') && o.host === hostHeader;
  } catch {
    return false;
  }
}

/** the names and addresses this lane answers to: loopback, the bound address (every interface's for a wildcard) and the LAN name */
export function laneNames(bound: string, laneName?: string): string[] {
  const names = ['127.0.0.1', 'localhost', '::1'];
  if (bound === '0.0.0.0' || bound === '::') {
    for (const list of Object.values(os.networkInterfaces())) for (const a of list ?? []) names.push(a.address);
  } else names.push(bound);
  if (laneName) names.push(laneName.toLowerCase());
  return [...new Set(names)];
}

/** the Host header values this lane answers to */
export function laneHosts(bound: string, port: number, laneName?: string): Set<string> {
  return new Set(laneNames(bound, laneName).map((n) => `${net.isIPv6(n) ? `[${n}]` : n}:${port}`));
}

/** a TLS record of type handshake (22) opens every TLS connection; HTTP starts with a letter */
const TLS_HANDSHAKE = 0x16;
/** a connection that sends nothing is closed after this long */
const FIRST_BYTE_TIMEOUT_MS = 10_000;

const MAX_MESSAGE_BYTES = 256 * 1024;
/** events a session sees only when it may sell */
const SELLING_EVENTS: ReadonlySet<EventName> = new Set(['cart.changed', 'sale.completed', 'scan']);

interface LaneSocketData {
  sessionToken: string | null;
  lastActive: number;
}

export async function startLaneServer(o: LaneServerOptions): Promise<LaneServer> {
  const host = o.host ?? '127.0.0.1';
  const useTls = o.tls ?? !isLoopback(host);
  let certificate: LaneCertificate | null = null;
  if (useTls) {
    if (!o.certDir) throw new TypeError('a lane that speaks TLS needs certDir (the data directory) for its certificate');
    certificate = laneCertificate({ dir: o.certDir, names: laneNames(host, o.laneName), commonName: o.certName ?? 'Till lane' });
  }
  const gate = new PairingGate(o.pairingCode ?? newPairingCode(), o.secret, Date.now, o.onPairingCode);
  let hosts = new Set<string>();
  const hostAllowed = (h: string | undefined) => h !== undefined && hosts.has(h.toLowerCase());
  const serveStatic = staticHandler(o.staticDir);
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!hostAllowed(req.headers.host)) {
      res.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('this till does not answer to that name\n');
      return;
    }
    serveStatic(req, res);
  };
  const httpServer = certificate ? https.createServer({ key: certificate.key, cert: certificate.cert }, handler) : http.createServer(handler);
  /* with TLS, the listening port sorts connections by their first byte (see the header) */
  const front = certificate ? sortingListener(httpServer, plainRefusal(hostAllowed)) : null;
  const io = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    allowRequest: (req, cb) => cb(null, hostAllowed(req.headers.host) && isSameOrigin(req.headers.origin, req.headers.host)),
  });
  let order = 0;

  io.use((socket, next) => {
    const auth: unknown = socket.handshake.auth;
    const a = typeof auth === 'object' && auth !== null ? (auth as Record<string, unknown>) : {};
    const verdict = gate.check(socket.handshake.address, { secret: a.laneSecret, code: a.pairingCode });
    if (verdict === 'ok' || verdict === 'paired') {
      (socket.data as LaneSocketData) = { sessionToken: null, lastActive: ++order };
      if (verdict === 'paired') socket.emit('lane:paired', { laneSecret: gate.secret });
      next();
      return;
    }
    const err = new Error(verdict === 'locked-out' ? 'too many wrong pairing codes: wait five minutes' : verdict === 'wrong' ? 'wrong pairing code' : 'pairing required: enter the code shown on the till') as Error & {
      data: { code: string; fingerprint?: string };
    };
    err.data = {
      code: verdict === 'locked-out' ? 'locked-out' : verdict === 'wrong' ? 'pairing-wrong' : 'pairing-required',
      /* for the pairing screen to show beside the code field: the person pairing compares it with the till's */
      ...(certificate ? { fingerprint: certificate.fingerprint } : {}),
    };
    next(err);
  });

  io.on('connection', (socket: Socket) => {
    const data = socket.data as LaneSocketData;
    const source = `lane:${socket.handshake.address}`;
    socket.on(CHANNELS.call, async (raw: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      const env = parseCallEnvelope(raw);
      if (!env.ok) {
        ack(env);
        return;
      }
      data.lastActive = ++order;
      let result: Result<unknown>;
      try {
        result = await o.terminal.dispatch(env.value.method, env.value.input, env.value.ctx, source);
      } catch (e) {
        o.log?.(`lane: ${env.value.method} failed unexpectedly: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        result = { ok: false, error: { code: 'internal', message: 'the terminal failed unexpectedly (logged)' } };
      }
      /* a call with a live session binds this socket to it; signing in binds the new session */
      const signedIn = env.value.method === 'auth.login' && result.ok ? (result.value as { sessionToken: string }).sessionToken : env.value.ctx.sessionToken;
      data.sessionToken = signedIn !== undefined && o.terminal.sessionUser(signedIn) ? signedIn : null;
      ack(result);
    });
  });

  /** the sockets bound to a live session whose user may see the event */
  const audience = (name: EventName): Socket[] =>
    [...io.of('/').sockets.values()].filter((s) => {
      const user = o.terminal.sessionUser((s.data as LaneSocketData).sessionToken ?? undefined);
      return user !== null && (!SELLING_EVENTS.has(name) || roleHas(user.role, 'cart.sell'));
    });

  const unsubscribe = EVENT_NAMES.map((name) =>
    o.terminal.events.on(name, (payload) => {
      const to = audience(name);
      if (name === 'scan') {
        const last = to.reduce<Socket | null>((a, s) => (a === null || (s.data as LaneSocketData).lastActive > (a.data as LaneSocketData).lastActive ? s : a), null);
        last?.emit(CHANNELS.event, { name, payload });
        return;
      }
      for (const s of to) s.emit(CHANNELS.event, { name, payload });
    }),
  );

  const listening: net.Server = front?.server ?? httpServer;
  await new Promise<void>((resolve, reject) => {
    listening.once('error', reject);
    listening.listen(o.port ?? 0, host, () => {
      listening.off('error', reject);
      resolve();
    });
  });
  const addr = listening.address() as AddressInfo;
  hosts = laneHosts(addr.address, addr.port, o.laneName);
  const urlHost = addr.address === '0.0.0.0' || addr.address === '::' ? '127.0.0.1' : addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;

  return {
    url: `${certificate ? 'https' : 'http'}://${urlHost}:${addr.port}/#lane=${gate.secret}`,
    host: addr.address,
    port: addr.port,
    get pairingCode() {
      return gate.code;
    },
    secret: gate.secret,
    certificate: certificate ? { fingerprint: certificate.fingerprint, action: certificate.action, cert: certificate.cert, ...(certificate.reason ? { reason: certificate.reason } : {}) } : null,
    close: async () => {
      for (const off of unsubscribe) off();
      io.disconnectSockets(true);
      const closed = new Promise<void>((resolve) => {
        io.close(() => resolve());
      });
      httpServer.closeAllConnections();
      if (front) await front.close();
      await closed;
    },
  };
}

/**
 * A plain TCP listener that hands each connection to the TLS server when its
 * first byte opens a TLS handshake, and to `plain` otherwise. The byte is
 * read and put back (both servers read what the socket buffered first).
 */
function sortingListener(tlsServer: net.Server, plain: http.Server): { server: net.Server; close(): Promise<void> } {
  const open = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setTimeout(FIRST_BYTE_TIMEOUT_MS, () => socket.destroy());
    const sort = (): void => {
      const first = socket.read(1) as Buffer | null;
      if (first === null) {
        socket.once('readable', sort);
        return;
      }
      socket.setTimeout(0);
      socket.unshift(first);
      (first[0] === TLS_HANDSHAKE ? tlsServer : plain).emit('connection', socket);
    };
    sort();
  });
  return {
    server,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of open) s.destroy();
      plain.closeAllConnections();
      await closed;
    },
  };
}

/** plain HTTP on a TLS lane: a page address of this lane is redirected to https://, anything else (sockets, calls) refused */
function plainRefusal(hostAllowed: (h: string | undefined) => boolean): http.Server {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://lane.invalid');
    if ((req.method === 'GET' || req.method === 'HEAD') && hostAllowed(req.headers.host) && !url.pathname.startsWith('/socket.io')) {
      res.writeHead(308, { Location: `https://${req.headers.host ?? ''}${url.pathname}${url.search}`, Connection: 'close' });
      res.end();
      return;
    }
    res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
    res.end('this till speaks https only\n');
  });
  server.on('upgrade', (_req, socket: net.Socket) => {
    socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  return server;
}
