/**
 * A TCP proxy on 127.0.0.1 that misbehaves on purpose: each connection is
 * cut after a random lifetime, stalls (stops forwarding) for a while, and
 * delays every chunk by a random few milliseconds (order kept). A seeded
 * generator makes a failing run repeatable; calm() stops the chaos so a test
 * can finish, close() ends everything.
 */
import net from 'node:net';

export interface ChaosOptions {
  upstreamPort: number;
  seed?: number;
  /** a connection lives this long at most before it is cut */
  cutAfterMs?: [number, number];
  /** chance per connection of a stall, and its length */
  stallChance?: number;
  stallMs?: [number, number];
  /** when, after the connection opens, a stall begins */
  stallAtMs?: [number, number];
  delayMs?: [number, number];
}

export interface ChaosProxy {
  port: number;
  url: string;
  stats: { connections: number; cuts: number; stalls: number };
  calm(): void;
  close(): Promise<void>;
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

export async function startChaosProxy(o: ChaosOptions): Promise<ChaosProxy> {
  const random = rng(o.seed ?? 42);
  const between = ([a, b]: [number, number]) => a + random() * (b - a);
  let calm = false;
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const stats = { connections: 0, cuts: 0, stalls: 0 };
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const server = net.createServer((down) => {
    stats.connections += 1;
    const up = net.connect(o.upstreamPort, '127.0.0.1');
    for (const s of [down, up]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    const kill = () => {
      down.destroy();
      up.destroy();
    };
    down.on('close', kill);
    up.on('close', kill);
    let stalledUntil = 0;
    const forward = (from: net.Socket, to: net.Socket) => {
      let chain = Promise.resolve();
      from.on('data', (chunk: Buffer) => {
        const delay = calm ? 0 : between(o.delayMs ?? [0, 15]);
        chain = chain.then(
          () =>
            new Promise<void>((resolve) => {
              const wait = Math.max(delay, stalledUntil - Date.now());
              const send = () => {
                if (!to.destroyed) to.write(chunk);
                resolve();
              };
              if (wait <= 0) send();
              else later(wait, send);
            }),
        );
      });
    };
    forward(down, up);
    forward(up, down);
    if (calm) return;
    later(between(o.cutAfterMs ?? [100, 1500]), () => {
      if (calm) return;
      stats.cuts += 1;
      kill();
    });
    if (random() < (o.stallChance ?? 0.3)) {
      later(between(o.stallAtMs ?? [0, 300]), () => {
        if (calm) return;
        stats.stalls += 1;
        stalledUntil = Date.now() + between(o.stallMs ?? [300, 1500]);
      });
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    stats,
    calm: () => {
      calm = true;
    },
    close: async () => {
      calm = true;
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
