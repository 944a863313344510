/**
 * Every `till` sub-command, loaded lazily so `till verify` does not pay for
 * the hub's or the drivers' imports.
 */
import type { Command } from '../io';

export const commands: Record<string, () => Promise<Command>> = {
  version: async () => (await import('./version')).default,
  init: async () => (await import('./init')).default,
  verify: async () => (await import('./verify')).default,
  doctor: async () => (await import('./doctor')).default,
  backup: async () => (await import('./backup')).default,
  restore: async () => (await import('./restore')).default,
  hub: async () => (await import('./hub')).default,
  enroll: async () => (await import('./enroll')).default,
  sync: async () => (await import('./sync')).default,
  terminal: async () => (await import('./terminal')).default,
  'virtual-printer': async () => (await import('./virtual-printer')).default,
  'print-test': async () => (await import('./print-test')).default,
  devices: async () => (await import('./devices')).default,
  report: async () => (await import('./report')).default,
  users: async () => (await import('./users')).default,
  'import-catalog': async () => (await import('./import-catalog')).default,
  'import-members': async () => (await import('./import-members')).default,
  migration: async () => (await import('./migration')).default,
  simulate: async () => (await import('./simulate')).default,
  payments: async () => (await import('./payments')).default,
};
