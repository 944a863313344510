/**
 * The socket.io namespace /console (src/shared/hub-api/console-socket.ts):
 * the handshake must come from the hub's own origin (a page elsewhere cannot
 * open it with the user's cookie; behind a trusted proxy the forwarded host
 * is the hub's) and carry a valid session cookie. The
 * socket joins the rooms of the stores its user may see (head office: the
 * chain room), of its session and of its user, so that logout, disabling a
 * user or changing its access closes exactly its sockets, on every node.
 */
import type { Namespace } from 'socket.io';
import { CHAIN_ROOM, storeRoom } from '../shared/hub-api/index';
import { sessionCookieName, sessionOfCookie, type AuthConfig } from './http/auth';

export const sessionRoom = (idHash: string): string => `session:${idHash}`;
export const userRoom = (name: string): string => `user:${name}`;

export function attachConsoleNamespace(nsp: Namespace, o: { auth: AuthConfig; parseCookie: (header: string) => Record<string, string | undefined>; trustProxy: boolean }): void {
  nsp.use((socket, next) => {
    const h = socket.handshake.headers;
    const source = socket.handshake.address;
    const refuse = (why: string) => {
      o.auth.log(`auth failed: console socket from ${source} (${why})`);
      next(Object.assign(new Error('unauthenticated'), { data: { code: 'unauthenticated' } }));
    };
    if (h.origin !== undefined) {
      let host: string | null = null;
      try {
        host = new URL(h.origin).host;
      } catch {
        host = null;
      }
      const forwarded = o.trustProxy ? h['x-forwarded-host'] : undefined;
      const self = typeof forwarded === 'string' ? (forwarded.split(',')[0] as string).trim() : h.host;
      if (host === null || host !== self) return refuse(`origin ${h.origin} is not this hub`);
    }
    const cookies = o.parseCookie(h.cookie ?? '');
    const token = cookies[sessionCookieName(true)] ?? cookies[sessionCookieName(false)];
    sessionOfCookie(o.auth, token).then(
      (p) => {
        if (!p?.session) return refuse(token ? 'session unknown or expired' : 'no session cookie');
        socket.data = { user: p.name, rooms: [sessionRoom(p.session.idHash), userRoom(p.name), ...(p.stores === 'all' ? [CHAIN_ROOM] : p.stores.map(storeRoom))] };
        next();
      },
      (e: unknown) => {
        o.auth.log(`console socket from ${source}: the store failed: ${e instanceof Error ? e.message : String(e)}`);
        next(Object.assign(new Error('hub-unavailable'), { data: { code: 'hub-unavailable' } }));
      },
    );
  });
  nsp.on('connection', (socket) => {
    void socket.join((socket.data as { rooms: string[] }).rooms);
  });
}
