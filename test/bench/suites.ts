/** Every benchmark suite, by the name given to `npm run bench -- NAME`. */
import type { BenchSuite } from './harness';

export const suites: Record<string, () => Promise<BenchSuite>> = {
  devices: async () => (await import('./devices')).default,
  sale: async () => (await import('./sale')).default,
};
