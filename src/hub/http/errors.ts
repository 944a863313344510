/**
 * Errors of the hub's HTTP API. Outward every failure is one of the shared
 * API error codes with its fixed generic message (src/shared/hub-api/common.ts);
 * what actually went wrong (a store error, which check refused) goes to the
 * hub's log only. Errors from other layers (TillError, fastify's own, the
 * plugins') are mapped here, in one place.
 */
import type { z } from 'zod';
import { API_ERROR_MESSAGES, API_ERROR_STATUS, type ApiError as ApiErrorBody, type ApiErrorCode, type ApiIssue } from '../../shared/hub-api/index';
import { isTillError } from '../../shared/errors';

export interface ApiErrorExtra {
  /** the fields a request got wrong */
  issues?: ApiIssue[];
  retryAfterSeconds?: number;
  /**
   * an outward message other than the code's generic one, only where it
   * tells the caller nothing it does not already hold (an enrollment code's
   * own terminal)
   */
  message?: string;
}

export class ApiError extends Error {
  readonly issues: ApiIssue[] | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly outward: string | undefined;
  constructor(
    readonly code: ApiErrorCode,
    /** for the log only */
    readonly detail: string = API_ERROR_MESSAGES[code],
    extra: ApiErrorExtra = {},
  ) {
    super(detail);
    this.name = 'ApiError';
    this.issues = extra.issues;
    this.retryAfterSeconds = extra.retryAfterSeconds;
    this.outward = extra.message;
  }
}

export function issuesOf(where: string, error: z.ZodError): ApiIssue[] {
  return error.issues.slice(0, 20).map((i) => ({ path: [where, ...i.path.map(String)].join('.'), code: i.code }));
}

export interface MappedError {
  status: number;
  body: ApiErrorBody;
  /** a line for the log, when the failure is worth one */
  log: string | null;
}

const FASTIFY_CODES: Record<string, ApiErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'too-large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'bad-input',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'bad-input',
  FST_ERR_CTP_INVALID_JSON_BODY: 'bad-input',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad-input',
  FST_CSRF_MISSING_SECRET: 'csrf-invalid',
  FST_CSRF_INVALID_TOKEN: 'csrf-invalid',
};

function codeOf(e: unknown): { code: ApiErrorCode; detail: string; issues?: ApiIssue[]; retry?: number; outward?: string } {
  if (e instanceof ApiError) {
    return { code: e.code, detail: e.detail, ...(e.issues ? { issues: e.issues } : {}), ...(e.retryAfterSeconds !== undefined ? { retry: e.retryAfterSeconds } : {}), ...(e.outward ? { outward: e.outward } : {}) };
  }
  if (isTillError(e)) {
    const map: Partial<Record<string, ApiErrorCode>> = { 'bad-input': 'bad-input', 'not-found': 'not-found', forbidden: 'forbidden', unauthenticated: 'unauthenticated', conflict: 'conflict' };
    return { code: map[e.code] ?? 'internal', detail: `${e.code}: ${e.message}` };
  }
  const err = e as { code?: unknown; statusCode?: unknown; message?: unknown };
  if (typeof err.code === 'string' && FASTIFY_CODES[err.code]) return { code: FASTIFY_CODES[err.code] as ApiErrorCode, detail: `${err.code}: ${String(err.message)}` };
  if (e instanceof SyntaxError || err.statusCode === 400) return { code: 'bad-input', detail: String(err.message) };
  if (err.statusCode === 413) return { code: 'too-large', detail: String(err.message) };
  if (err.statusCode === 415) return { code: 'bad-input', detail: String(err.message) };
  return { code: 'internal', detail: e instanceof Error ? (e.stack ?? e.message) : String(e) };
}

export function mapError(e: unknown): MappedError {
  const c = codeOf(e);
  const details = c.issues || c.retry !== undefined ? { ...(c.issues ? { issues: c.issues } : {}), ...(c.retry !== undefined ? { retryAfterSeconds: c.retry } : {}) } : undefined;
  const body: ApiErrorBody = { error: { code: c.code, message: c.outward ?? API_ERROR_MESSAGES[c.code], ...(details ? { details } : {}) } };
  const quiet = c.code === 'not-found' || c.code === 'unauthenticated';
  return { status: API_ERROR_STATUS[c.code], body, log: quiet && !isTillError(e) ? null : `${c.code}: ${c.detail}` };
}
