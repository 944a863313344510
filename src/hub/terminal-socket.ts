/**
 * The socket.io namespace /terminal: the hub's side of replication (see
 * src/shared/replication.ts). A socket's pushes are ingested one after the
 * other (a per-socket queue), so pipelined batches are applied in the order
 * they were sent. A refused handshake is logged with the source address and
 * the terminal id it claimed, never the token; a store failure answers the
 * generic 'hub-unavailable' and its detail goes to the log. Connections and
 * status reports are recorded for the fleet view and announced to consoles;
 * with a status report the hub keeps since when it has seen each device
 * fault (for the alerts of src/hub/ops/alert-rules.ts). An observer (the
 * node's metrics) hears of refusals, batches, reports and disconnects.
 */
import type { Namespace, Socket } from 'socket.io';
import type { FleetChanged } from '../shared/hub-api/index';
import {
  catalogPullSchema,
  handshakeAuthSchema,
  journalPullSchema,
  statusReportSchema,
  type BatchLimits,
  type Hello,
  type PushAck,
  type Refusal,
  type StatusReport,
} from '../shared/replication';
import { signedCatalogDeltaSince } from './catalog';
import { lagSecondsOf } from './fleet';
import { faultsSince } from './ops/alert-rules';
import type { HubSecrets } from './secrets';
import { commitBatch, precheckBatch, tokenMatches } from './ingest';
import type { HubStore, TerminalRow } from './store/types';

interface SocketData {
  terminalId: string;
  store: string;
  token: string;
  queue: Promise<unknown>;
}

export interface TerminalSocketOptions {
  store: HubStore;
  limits: BatchLimits;
  now: () => Date;
  log: (line: string) => void;
  /** signs every catalog delta a terminal pulls */
  secrets: HubSecrets;
  fleetChanged: (e: FleetChanged) => void;
  observe?: TerminalObserver;
}

/** what the node's metrics hear from the namespace */
export interface TerminalObserver {
  refused(code: string): void;
  batch(ack: PushAck, seconds: number): void;
  status(terminalId: string, store: string, report: StatusReport, lagSeconds: number | null): void;
  disconnected(terminalId: string): void;
  /** a batch was refused in a way that may have opened an alert */
  alerted(): void;
}

export const terminalRoom = (terminalId: string): string => `terminal:${terminalId}`;

const UNAVAILABLE: Refusal = { code: 'hub-unavailable', message: 'the hub is temporarily unavailable' };

export function attachTerminalNamespace(nsp: Namespace, o: TerminalSocketOptions): void {
  const { store, limits, now, log } = o;
  const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

  nsp.use((socket, next) => {
    const source = socket.handshake.address;
    const auth = handshakeAuthSchema.safeParse(socket.handshake.auth);
    const refuse = (r: Refusal, why: string) => {
      o.observe?.refused(r.code);
      log(`auth failed: terminal handshake${auth.success ? ` for ${auth.data.terminalId}` : ''} from ${source} (${why})`);
      next(Object.assign(new Error(r.message), { data: r }));
    };
    if (!auth.success) return refuse({ code: 'unauthenticated', message: 'the handshake needs {terminalId, token}' }, 'malformed handshake');
    store.terminal(auth.data.terminalId).then(
      (t) => {
        if (!t || !tokenMatches(auth.data.token, t.tokenHash)) return refuse({ code: 'unauthenticated', message: `not a valid token for terminal ${auth.data.terminalId}` }, t ? 'wrong token' : 'unknown terminal');
        if (t.revokedAt !== null) return refuse({ code: 'revoked', message: `terminal ${t.id} was revoked at ${t.revokedAt}` }, 'revoked');
        const data: SocketData = { terminalId: t.id, store: t.store, token: auth.data.token, queue: Promise.resolve() };
        socket.data = data;
        next();
      },
      (e: unknown) => {
        log(`terminal handshake for ${auth.data.terminalId} from ${source}: the store failed: ${message(e)}`);
        o.observe?.refused(UNAVAILABLE.code);
        next(Object.assign(new Error(UNAVAILABLE.message), { data: UNAVAILABLE }));
      },
    );
  });

  nsp.on('connection', (socket: Socket) => {
    const data = socket.data as SocketData;
    const { terminalId } = data;
    const announce = (reason: FleetChanged['reason']) => o.fleetChanged({ store: data.store, terminalId, reason });
    void socket.join(terminalRoom(terminalId));
    /** one handler at a time per socket, in arrival order */
    const serial = (fn: () => Promise<void>) => {
      data.queue = data.queue.then(fn).catch((e: unknown) => log(`terminal ${terminalId}: ${message(e)}`));
    };
    const withAck = (name: string, handler: (payload: unknown) => Promise<unknown>) => {
      socket.on(name, (payload: unknown, ack: unknown) => {
        if (typeof ack !== 'function') {
          socket.disconnect(true);
          return;
        }
        serial(async () => {
          try {
            ack(await handler(payload));
          } catch (e) {
            log(`terminal ${terminalId}: ${name} failed: ${message(e)}`);
            ack({ ok: false, error: UNAVAILABLE });
          }
        });
      });
    };

    serial(async () => {
      const t = await store.terminal(terminalId);
      if (!t) throw new Error('terminal vanished');
      await store.setConnection(terminalId, 'connected', now().toISOString());
      const hello: Hello = { hwm: t.hwm, catalogVersion: await store.catalogVersion(), limits };
      socket.emit('hello', hello);
      announce('connected');
    });

    /* ingest is announced at most once a second per socket */
    let lastIngest = 0;
    /* the database-free checks (shape, chain, hashes) run on arrival, so they overlap the previous batch's transaction */
    socket.on('push', (batch: unknown, ack: unknown) => {
      if (typeof ack !== 'function') {
        socket.disconnect(true);
        return;
      }
      const arrived = performance.now();
      const pre = precheckBatch(batch, limits);
      serial(async () => {
        const answer = await commitBatch({ store, terminalId, storeCode: data.store, token: data.token, limits, now, log }, pre);
        if (!answer.ok && answer.error.code !== 'replayed') log(`terminal ${terminalId}: batch refused (${answer.error.code}): ${answer.error.message}`);
        ack(answer);
        o.observe?.batch(answer, (performance.now() - arrived) / 1000);
        const at = Date.now();
        if (answer.ok && at - lastIngest >= 1000) {
          lastIngest = at;
          announce('ingested');
        } else if (!answer.ok && answer.error.code !== 'replayed' && answer.error.code !== 'gap') {
          announce('alert');
          o.observe?.alerted();
        }
      });
    });
    /** a revoke made while the socket is connected takes effect on its next message */
    const revokedIn = (t: TerminalRow | null): Refusal | null => (!t || t.revokedAt !== null ? { code: 'revoked', message: `terminal ${terminalId} was revoked` } : null);
    withAck('status', async (raw) => {
      const t = await store.terminal(terminalId);
      if (t === null || t.revokedAt !== null) return { ok: false, error: revokedIn(t) };
      const r = statusReportSchema.safeParse(raw);
      if (!r.success) return { ok: false, error: { code: 'malformed', message: 'malformed status report' } };
      const at = now().toISOString();
      await store.saveStatus(terminalId, r.data, at, faultsSince(t.faultsSince, r.data, at));
      await store.setConnection(terminalId, 'alive', at);
      o.observe?.status(terminalId, data.store, r.data, lagSecondsOf(r.data));
      announce('status');
      return { ok: true };
    });
    withAck('catalog:pull', async (raw) => {
      const gone = revokedIn(await store.terminal(terminalId));
      if (gone) return { ok: false, error: gone };
      const r = catalogPullSchema.safeParse(raw);
      if (!r.success) return { ok: false, error: { code: 'malformed', message: 'malformed catalog pull' } };
      return { ok: true, ...(await signedCatalogDeltaSince(store, r.data.since, o.secrets)) };
    });
    withAck('journal:pull', async (raw) => {
      const r = journalPullSchema.safeParse(raw);
      if (!r.success) return { ok: false, error: { code: 'malformed', message: 'malformed journal pull' } };
      const t = await store.terminal(terminalId);
      if (!t || t.revokedAt !== null) return { ok: false, error: { code: 'revoked', message: `terminal ${terminalId} was revoked` } };
      return { ok: true, entries: await store.entries(terminalId, r.data.fromSeq, r.data.limit), hwm: t.hwm };
    });
    socket.on('disconnect', () => {
      o.observe?.disconnected(terminalId);
      store.setConnection(terminalId, 'disconnected', now().toISOString()).then(
        () => announce('disconnected'),
        (e: unknown) => log(`terminal ${terminalId}: recording the disconnect failed: ${message(e)}`),
      );
    });
  });
}
