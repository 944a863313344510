/**
 * Every `till` sub-command, loaded lazily so `till verify` does not pay for
 * the hub's or the drivers' imports.
 */
import type { Command } from '../io';

export const commands: Record<string, () => Promise<Command>> = {
  version: async () => (await import('./version')).default,
};
