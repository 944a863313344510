/** A bare socket.io client for hub tests: connect with auth, emit with ack. */
import { io, type Socket } from 'socket.io-client';
import type { Hello, Refusal } from '../../src/shared/replication';

export interface TestClient {
  socket: Socket;
  hello: Hello;
  call<T>(event: string, payload: unknown): Promise<T>;
  close(): void;
}

export function connectTerminal(url: string, auth: unknown, opts: { ca?: string } = {}): Promise<TestClient> {
  return new Promise((resolve, reject) => {
    const socket = io(`${url}/terminal`, { auth: auth as Record<string, unknown>, transports: ['websocket'], reconnection: false, forceNew: true, ...(opts.ca ? { ca: opts.ca } : {}) });
    socket.once('connect_error', (e: Error & { data?: Refusal }) => {
      socket.close();
      reject(Object.assign(new Error(e.message), { data: e.data }));
    });
    socket.once('hello', (hello: Hello) =>
      resolve({
        socket,
        hello,
        call: <T>(event: string, payload: unknown) => socket.timeout(10_000).emitWithAck(event, payload) as Promise<T>,
        close: () => socket.close(),
      }),
    );
  });
}

export async function refusalOf(p: Promise<unknown>): Promise<Refusal | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return (e as { data?: Refusal }).data;
  }
}
