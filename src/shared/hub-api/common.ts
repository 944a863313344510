/**
 * Pieces every group of the hub API shares: the error answer and its codes,
 * times and dates, store and terminal codes, pagination.
 *
 * Errors outward are generic: {error: {code, message}} where `code` is one
 * of API_ERROR_CODES (the console's i18n bundles translate it), `message` is
 * the fixed English sentence of API_ERROR_MESSAGES for CLI users and logs,
 * and `details.issues` names the fields a request got wrong. What went wrong
 * inside the hub is written to the hub's log only.
 */
import { z } from 'zod';
import { codeSchema, terminalIdSchema } from '../replication';

export const API_ERROR_CODES = [
  'bad-input',
  'unauthenticated',
  'login-failed',
  'forbidden',
  'csrf-invalid',
  'rate-limited',
  'not-found',
  'conflict',
  'last-admin',
  'too-large',
  'enroll-code-invalid',
  'enroll-code-expired',
  'hub-unavailable',
  'internal',
] as const;
export const apiErrorCodeSchema = z.enum(API_ERROR_CODES);
export type ApiErrorCode = z.infer<typeof apiErrorCodeSchema>;

/** the English text sent with each code; people read the console's translation of the code */
export const API_ERROR_MESSAGES: Record<ApiErrorCode, string> = {
  'bad-input': 'the request is not valid',
  unauthenticated: 'sign in first',
  'login-failed': 'wrong user name or password',
  forbidden: 'you may not do this',
  'csrf-invalid': 'the page is out of date: reload it and try again',
  'rate-limited': 'too many attempts: wait a minute and try again',
  'not-found': 'not found',
  conflict: 'this conflicts with what the hub already has',
  'last-admin': 'the last head-office administrator cannot be disabled or changed',
  'too-large': 'the request is too large',
  'enroll-code-invalid': 'this enrollment code is unknown or was already used',
  'enroll-code-expired': 'this enrollment code has expired: ask for a new one',
  'hub-unavailable': 'the hub is temporarily unavailable: try again shortly',
  internal: 'the hub could not do this',
};

/** HTTP status of each code */
export const API_ERROR_STATUS: Record<ApiErrorCode, number> = {
  'bad-input': 400,
  unauthenticated: 401,
  'login-failed': 401,
  forbidden: 403,
  'csrf-invalid': 403,
  'rate-limited': 429,
  'not-found': 404,
  conflict: 409,
  'last-admin': 409,
  'too-large': 413,
  'enroll-code-invalid': 401,
  'enroll-code-expired': 401,
  'hub-unavailable': 503,
  internal: 500,
};

export const apiIssueSchema = z.object({
  /** dotted path of the field, prefixed by where it was: body.price, query.from */
  path: z.string(),
  /** zod's issue code: invalid_type, too_small, invalid_format, custom, ... */
  code: z.string(),
});
export type ApiIssue = z.infer<typeof apiIssueSchema>;

/** every non-2xx JSON answer of the hub API */
export const apiErrorSchema = z.object({
  error: z.object({
    code: apiErrorCodeSchema,
    message: z.string(),
    details: z.object({ issues: z.array(apiIssueSchema).optional(), retryAfterSeconds: z.number().int().optional() }).optional(),
  }),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

export const storeCodeSchema = codeSchema;
export const terminalCodeSchema = codeSchema;
export { terminalIdSchema };

/** UTC instant as the hub stores it: 2026-03-01T08:15:00.000Z */
export const isoTimeSchema = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$/, 'UTC ISO time');
/** a calendar date in the store's time zone */
export const dateSchema = z.iso.date();

/** integer fen that may be negative (net amounts, over/short) */
export const signedFen = z.number().int().min(-1_000_000_000_000).max(1_000_000_000_000);
/** integer fen, never negative */
export const fenAmount = z.number().int().min(0).max(1_000_000_000_000);
export const count = z.number().int().min(0);

export const okAnswer = z.object({ ok: z.literal(true) });

/** list queries: newest first, `before` the id where the previous page ended */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.coerce.number().int().positive().optional(),
};
/** the id to pass as `before` for the next page, null at the end */
export const nextCursor = z.number().int().positive().nullable();

/** a comma-separated list of store codes in a query: stores=S001,S002 */
export const storeListQuery = z
  .string()
  .max(2000)
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(storeCodeSchema).min(1).max(500));

/** booleans in a query string */
export const queryBoolean = z.enum(['true', 'false']).transform((v) => v === 'true');
