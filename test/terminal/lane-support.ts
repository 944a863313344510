/** A terminal for lane-server tests that records each call and answers with what it received, and socket helpers. */
import type { Socket } from 'socket.io-client';
import { createEvents, type TillEvents } from '../../src/shared/contract/events';
import type { CallContext } from '../../src/shared/contract/api';
import type { MethodName } from '../../src/shared/contract';
import type { UserView } from '../../src/shared/contract/auth';
import type { Result } from '../../src/shared/result';

/** a terminal that records each call and answers with what it received; auth.login gives a session token */
export class EchoTerminal {
  readonly events: TillEvents = createEvents();
  readonly calls: { method: MethodName; input: unknown; ctx: CallContext; source: string | undefined }[] = [];
  readonly sessions = new Map<string, UserView>();
  dispatch(method: MethodName, input: unknown, ctx: CallContext, source?: string): Result<unknown> {
    this.calls.push({ method, input, ctx, source });
    if (method === 'auth.whoami') throw new Error('handler blew up');
    if (method === 'auth.login') {
      const token = `tok-${this.sessions.size + 1}`;
      this.sessions.set(token, { code: '1001', name: '张三', role: 'cashier' });
      return { ok: true, value: { sessionToken: token } };
    }
    return { ok: true, value: { method, input, ctx } };
  }
  sessionUser(token: string | undefined): UserView | null {
    return token === undefined ? null : (this.sessions.get(token) ?? null);
  }
}

export const connected = (s: Socket): Promise<void> =>
  new Promise((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  });

export const refused = (s: Socket): Promise<Error & { data?: { code?: string; fingerprint?: string } }> =>
  new Promise((resolve, reject) => {
    s.once('connect', () => reject(new Error('connected without pairing')));
    s.once('connect_error', resolve);
  });
