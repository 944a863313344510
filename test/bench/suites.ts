/** Every benchmark suite, by the name given to `npm run bench -- NAME`. */
import type { BenchSuite } from './harness';

export const suites: Record<string, () => Promise<BenchSuite>> = {
  ledger: async () => (await import('./ledger')).default,
  sync: async () => (await import('./sync')).default,
  devices: async () => (await import('./devices')).default,
  sale: async () => (await import('./sale')).default,
  'store-ops': async () => (await import('./store-ops')).default,
};
