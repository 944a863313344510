/**
 * Every `till` sub-command, loaded lazily so `till verify` does not pay for
 * the hub's or the drivers' imports.
 */
import type { Command } from '../io';

export const commands: Record<string, () => Promise<Command>> = {
  version: async () => (await import('./version')).default,
  init: async () => (await import('./init')).default,
  verify: async () => (await import('./verify')).default,
  backup: async () => (await import('./backup')).default,
  restore: async () => (await import('./restore')).default,
};
