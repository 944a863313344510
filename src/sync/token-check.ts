/**
 * Does the hub accept this terminal's token? One socket.io handshake on the
 * replication namespace with the stored credentials, exactly as the
 * replicator makes it, ended as soon as the hub says hello (accepted) or
 * refuses the connection (unauthenticated, revoked, ...). Nothing is pushed.
 * `till doctor` uses it; a second connection beside a running terminal is
 * harmless (the hub takes several connections of one terminal).
 */
import { io } from 'socket.io-client';
import { TERMINAL_NAMESPACE, helloSchema, type Hwm, type Refusal } from '../shared/replication';
import type { Credentials } from './types';

export type TokenCheck = { accepted: true; hwm: Hwm } | { accepted: false; code: string; message: string };

export function checkToken(c: Credentials, timeoutMs = 5000): Promise<TokenCheck> {
  return new Promise((resolve) => {
    const socket = io(`${c.hubUrl}${TERMINAL_NAMESPACE}`, {
      auth: { terminalId: c.terminalId, token: c.token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      timeout: timeoutMs,
      ...(c.ca ? { ca: c.ca } : {}),
    });
    const timer = setTimeout(() => done({ accepted: false, code: 'timeout', message: `the hub did not answer within ${timeoutMs} ms` }), timeoutMs);
    const done = (r: TokenCheck) => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.disconnect();
      resolve(r);
    };
    socket.on('hello', (raw: unknown) => {
      const h = helloSchema.safeParse(raw);
      done(h.success ? { accepted: true, hwm: h.data.hwm } : { accepted: false, code: 'protocol', message: 'the hub sent a malformed hello' });
    });
    socket.on('connect_error', (err: Error & { data?: Refusal }) => done({ accepted: false, code: err.data?.code ?? 'offline', message: err.data?.message ?? err.message }));
  });
}
