/**
 * TillApi over the lane server's socket.io endpoint, for a browser or a
 * tablet on the counter. Same two messages as IPC: CHANNELS.call with an ack
 * that carries the Result, and CHANNELS.event. A call made while the socket
 * is down fails at once with 'offline' rather than waiting. Every handshake
 * presents the lane's per-launch secret (from the page URL's fragment) or,
 * for a browser opened by hand, the pairing code shown at the till; a device
 * that paired is handed the secret for its next connections (onSecret).
 */
import { io, type Socket } from 'socket.io-client';
import { CHANNELS, isEventName, isMethodName, type EventName, type EventPayload, type TillApi } from '../../shared/contract/api';
import type { Result } from '../../shared/result';

/**
 * pairing: the code (error code of the refusal: pairing-required, pairing-wrong, locked-out) and,
 * on a lane that speaks TLS, its certificate's SHA-256 fingerprint for the person pairing to compare
 */
export type LaneState = { kind: 'connecting' } | { kind: 'connected' } | { kind: 'pairing'; code: string; fingerprint: string | null } | { kind: 'offline'; message: string };

export interface LaneApi extends TillApi {
  /** retries the connection with a pairing code */
  pair(code: string): void;
  onState(listener: (s: LaneState) => void): () => void;
  close(): void;
}

const CALL_TIMEOUT_MS = 15_000;

export function createLaneApi(url: string, laneSecret: string | null, onSecret: (secret: string) => void): LaneApi {
  const socket: Socket = io(url, { auth: laneSecret ? { laneSecret } : {}, transports: ['websocket', 'polling'] });
  socket.on('lane:paired', (m: { laneSecret?: unknown }) => {
    if (typeof m.laneSecret !== 'string') return;
    socket.auth = { laneSecret: m.laneSecret };
    onSecret(m.laneSecret);
  });
  const stateListeners = new Set<(s: LaneState) => void>();
  let state: LaneState = { kind: 'connecting' };
  const setState = (s: LaneState): void => {
    state = s;
    for (const l of stateListeners) l(s);
  };
  socket.on('connect', () => setState({ kind: 'connected' }));
  socket.on('disconnect', (reason) => setState({ kind: 'offline', message: reason }));
  socket.on('connect_error', (err: Error & { data?: { code?: string; fingerprint?: unknown } }) => {
    const code = err.data?.code;
    const fingerprint = typeof err.data?.fingerprint === 'string' && /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/.test(err.data.fingerprint) ? err.data.fingerprint : null;
    if (code === 'pairing-required' || code === 'pairing-wrong' || code === 'locked-out') setState({ kind: 'pairing', code, fingerprint });
    else setState({ kind: 'offline', message: err.message });
  });

  const listeners = new Map<EventName, Set<(p: never) => void>>();
  socket.on(CHANNELS.event, (message: { name?: unknown; payload?: unknown }) => {
    if (!isEventName(message.name)) return;
    for (const l of listeners.get(message.name) ?? []) l(message.payload as never);
  });

  return {
    call: (method, input, ctx) => {
      if (!isMethodName(method)) return Promise.resolve({ ok: false, error: { code: 'unknown-method', message: `unknown method '${String(method)}'` } });
      if (!socket.connected) return Promise.resolve({ ok: false, error: { code: 'offline', message: 'not connected to the terminal' } });
      return socket
        .timeout(CALL_TIMEOUT_MS)
        .emitWithAck(CHANNELS.call, { method, input, ctx: ctx ?? {} })
        .catch((): Result<never> => ({ ok: false, error: { code: 'offline', message: 'the terminal did not answer' } }));
    },
    on: <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) => {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const l = listener as (p: never) => void;
      set.add(l);
      return () => void set.delete(l);
    },
    pair: (code) => {
      socket.auth = { pairingCode: code };
      socket.disconnect().connect();
    },
    onState: (listener) => {
      stateListeners.add(listener);
      listener(state);
      return () => void stateListeners.delete(listener);
    },
    close: () => {
      socket.close();
    },
  };
}
