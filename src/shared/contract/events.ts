/**
 * Events that flow from the terminal to the UI through the same adapters as
 * the calls (IPC, lane socket), and a tiny typed emitter with no Node import.
 */
import { z } from 'zod';
import { cartSchema } from './cart';
import { receiptDocumentSchema } from '../receipt';

export const eventSchemas = {
  'cart.changed': z.object({ cart: cartSchema }),
  'sale.completed': z.object({ receiptNo: z.string(), total: z.number().int(), change: z.number().int(), receipt: receiptDocumentSchema }),
  scan: z.object({ code: z.string(), source: z.string(), at: z.string() }),
  'device.status': z.object({
    device: z.string(),
    kind: z.enum(['scanner', 'printer', 'drawer', 'display']),
    status: z.enum(['ok', 'offline', 'paper-out', 'error']),
    message: z.string().optional(),
  }),
  'sync.status': z.object({
    state: z.enum(['online', 'offline', 'disabled']),
    queueDepth: z.number().int().min(0),
    lastError: z.string().nullable(),
  }),
} as const;

export type EventName = keyof typeof eventSchemas;
export type EventPayload<E extends EventName> = z.infer<(typeof eventSchemas)[E]>;
export const EVENT_NAMES = Object.keys(eventSchemas) as EventName[];

export type Listener<E extends EventName> = (payload: EventPayload<E>) => void;

export interface TillEvents {
  on<E extends EventName>(event: E, listener: Listener<E>): () => void;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
}

/** Listeners run synchronously in order; one that throws does not stop the others or the emitter. */
export function createEvents(onListenerError: (event: EventName, error: unknown) => void = () => undefined): TillEvents {
  const listeners = new Map<EventName, Set<(p: unknown) => void>>();
  return {
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const l = listener as (p: unknown) => void;
      set.add(l);
      return () => void set.delete(l);
    },
    emit(event, payload) {
      for (const l of listeners.get(event) ?? []) {
        try {
          l(payload);
        } catch (e) {
          onListenerError(event, e);
        }
      }
    },
  };
}
