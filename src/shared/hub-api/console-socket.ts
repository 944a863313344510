/**
 * The console's socket.io namespace. The handshake is authenticated by the
 * session cookie (same origin only); the hub puts the socket in one room per
 * store the user may see (head-office roles: the whole chain) and sends:
 *
 *   fleet:changed    {store, terminalId, reason}  a terminal connected, went
 *                    away, reported its status, was enrolled or revoked, or
 *                    raised an alert: ask the fleet routes again
 *   catalog:changed  {version}                    a new catalog version
 *   live:changed     {store, at}                  new sales reached the hub
 *   session:ended    {}                           the session was signed out
 *                    or the user disabled; the socket is then closed
 *
 * Events only tell the console what to fetch again: the data itself always
 * comes from the HTTP routes, with their access checks.
 */
import { z } from 'zod';
import { isoTimeSchema, storeCodeSchema, terminalIdSchema } from './common';

export const CONSOLE_NAMESPACE = '/console';

export const fleetChangedSchema = z.object({
  store: storeCodeSchema,
  terminalId: terminalIdSchema,
  reason: z.enum(['connected', 'disconnected', 'status', 'enrolled', 'revoked', 'alert', 'ingested']),
});
export type FleetChanged = z.infer<typeof fleetChangedSchema>;

export const liveChangedSchema = z.object({ store: storeCodeSchema, at: isoTimeSchema });
export type LiveChanged = z.infer<typeof liveChangedSchema>;

export const consoleEvents = {
  'fleet:changed': fleetChangedSchema,
  'catalog:changed': z.object({ version: z.number().int().nonnegative() }),
  'live:changed': liveChangedSchema,
  'session:ended': z.object({}),
} as const;
export type ConsoleEventName = keyof typeof consoleEvents;

/** the room of one store's events, and the room of every store (head office) */
export const storeRoom = (store: string): string => `store:${store}`;
export const CHAIN_ROOM = 'chain';
