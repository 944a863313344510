/** Small helpers shared by the tests that talk to real ptys, sockets and processes. */
import { afterEach } from 'vitest';

/** polls `cond` every 10 ms until it holds; throws naming `what` after `ms` */
export async function until(cond: () => boolean | Promise<boolean>, ms = 8000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`${what} not met in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** polls `fn` every 20 ms until it returns something truthy, and returns that; throws naming `what` after `ms` */
export async function waitFor<T>(what: string, fn: () => T | null | undefined | false, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export type Cleanup = () => Promise<void> | void;

/** a list the test pushes cleanups onto; they run after each test, newest first */
export function cleanupsAfterEach(): Cleanup[] {
  const cleanups: Cleanup[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  return cleanups;
}
