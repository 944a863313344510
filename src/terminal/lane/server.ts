/**
 * The lane server: the same contract as Electron's IPC, over HTTP and
 * socket.io, for a browser or a tablet on the counter and for end-to-end
 * tests in a real Chromium. It serves the built renderer and carries two
 * messages on the socket: CHANNELS.call {method, input, ctx} answered through
 * the ack with a Result, and CHANNELS.event {name, payload} pushed to every
 * client. It holds no logic: every call goes to terminal.dispatch.
 *
 * It binds 127.0.0.1 unless told otherwise. Bound to any other address it
 * requires the pairing code it was started with (see pairing.ts).
 * Cross-origin websocket handshakes are refused, so a web page elsewhere
 * cannot drive the till through a cashier's browser.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import { CHANNELS, EVENT_NAMES, parseCallEnvelope, type CallContext, type EventName, type EventPayload } from '../../shared/contract/api';
import type { MethodName } from '../../shared/contract';
import type { Result } from '../../shared/result';
import { newPairingCode, PairingGate } from './pairing';
import { staticHandler } from './static';

/** what the lane server needs of a terminal */
export interface LaneTerminal {
  dispatch(method: MethodName, input: unknown, ctx: CallContext): Result<unknown> | Promise<Result<unknown>>;
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
  /** for a non-loopback host; a random one is made when absent */
  pairingCode?: string;
}

export interface LaneServer {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** null on loopback, where no pairing is needed */
  readonly pairingCode: string | null;
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

const MAX_MESSAGE_BYTES = 256 * 1024;

export async function startLaneServer(o: LaneServerOptions): Promise<LaneServer> {
  const host = o.host ?? '127.0.0.1';
  const gate = isLoopback(host) ? null : new PairingGate(o.pairingCode ?? newPairingCode());
  const httpServer = http.createServer(staticHandler(o.staticDir));
  const io = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    allowRequest: (req, cb) => cb(null, isSameOrigin(req.headers.origin, req.headers.host)),
  });

  if (gate) {
    io.use((socket, next) => {
      const auth: unknown = socket.handshake.auth;
      const presented = typeof auth === 'object' && auth !== null && 'pairingCode' in auth ? auth.pairingCode : undefined;
      const verdict = gate.check(socket.handshake.address, presented);
      if (verdict === 'ok') {
        next();
        return;
      }
      const err = new Error(
        verdict === 'locked-out'
          ? 'too many wrong pairing codes: wait five minutes'
          : verdict === 'wrong'
            ? 'wrong pairing code'
            : 'pairing required: enter the code shown on the terminal',
      ) as Error & { data: { code: string } };
      err.data = { code: verdict === 'locked-out' ? 'locked-out' : 'pairing-required' };
      next(err);
    });
  }

  io.on('connection', (socket: Socket) => {
    socket.on(CHANNELS.call, async (raw: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      const env = parseCallEnvelope(raw);
      if (!env.ok) {
        ack(env);
        return;
      }
      try {
        ack(await o.terminal.dispatch(env.value.method, env.value.input, env.value.ctx));
      } catch (e) {
        ack({ ok: false, error: { code: 'internal', message: `the terminal failed: ${e instanceof Error ? e.message : String(e)}` } });
      }
    });
  });

  const unsubscribe = EVENT_NAMES.map((name) =>
    o.terminal.events.on(name, (payload) => {
      io.emit(CHANNELS.event, { name, payload });
    }),
  );

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(o.port ?? 0, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const addr = httpServer.address() as AddressInfo;
  const urlHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;

  return {
    url: `http://${urlHost}:${addr.port}/`,
    host: addr.address,
    port: addr.port,
    pairingCode: gate ? gate.code : null,
    close: async () => {
      for (const off of unsubscribe) off();
      io.disconnectSockets(true);
      const closed = new Promise<void>((resolve) => {
        io.close(() => resolve());
      });
      httpServer.closeAllConnections();
      await closed;
    },
  };
}
