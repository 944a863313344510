/**
 * The TillApi: what the renderer sees, whichever transport carries it.
 * Electron exposes it as window.till (preload over IPC); a browser on the
 * counter gets it over the lane server's socket. Both carry the same two
 * messages: a call envelope {method, input, ctx} answered by a Result, and
 * events {name, payload} pushed from the terminal.
 */
import { z } from 'zod';
import type { Result } from '../result';
import type { CallContext } from './define';
import { EVENT_NAMES, type EventName, type EventPayload } from './events';
import { METHOD_NAMES, type MethodInput, type MethodName, type MethodOutput } from './index';

export type { CallContext, EventName, EventPayload };
export { EVENT_NAMES };

export interface TillApi {
  call<N extends MethodName>(method: N, input: MethodInput<N>, ctx?: CallContext): Promise<Result<MethodOutput<N>>>;
  /** subscribes to one event; returns the unsubscribe function */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** IPC channel names (Electron) and socket event names (lane server) */
export const CHANNELS = { call: 'till:call', event: 'till:event' } as const;

export const callContextSchema = z
  .object({
    sessionToken: z.string().min(1).max(512).optional(),
    override: z.object({ userCode: z.string().min(1).max(64), pin: z.string().min(1).max(64) }).strict().optional(),
  })
  .strict();

export const callEnvelopeSchema = z
  .object({
    method: z.string().min(1).max(128),
    input: z.unknown(),
    ctx: callContextSchema.optional(),
  })
  .strict();

export interface CallEnvelope {
  method: MethodName;
  input: unknown;
  ctx: CallContext;
}

const METHOD_SET: ReadonlySet<string> = new Set(METHOD_NAMES);
const EVENT_SET: ReadonlySet<string> = new Set(EVENT_NAMES);

export const isMethodName = (name: unknown): name is MethodName => typeof name === 'string' && METHOD_SET.has(name);
export const isEventName = (name: unknown): name is EventName => typeof name === 'string' && EVENT_SET.has(name);

/**
 * Checks the shape of a call envelope that arrived over a transport. The
 * input itself is validated by dispatch against the method's own schema; this
 * only refuses what is not a call at all, or a method outside the contract.
 */
export function parseCallEnvelope(raw: unknown): Result<CallEnvelope> {
  const parsed = callEnvelopeSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, error: { code: 'bad-input', message: 'malformed call: expected {method, input, ctx}' } };
  }
  const { method, input, ctx } = parsed.data;
  if (!isMethodName(method)) {
    return { ok: false, error: { code: 'unknown-method', message: `unknown method '${method}'` } };
  }
  const context: CallContext = {};
  if (ctx?.sessionToken !== undefined) context.sessionToken = ctx.sessionToken;
  if (ctx?.override !== undefined) context.override = ctx.override;
  return { ok: true, value: { method, input, ctx: context } };
}
