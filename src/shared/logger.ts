/**
 * The logger every layer below the composition roots takes: four levels and
 * child(), nothing of pino. The roots (the CLI, the Electron main process,
 * the hub process started by `till hub`) create a pino logger behind it
 * (src/terminal/runtime/logging.ts); tests pass lineLogger() or nullLogger.
 *
 * Secrets never reach a log. Two rules, both applied by the pino set-up:
 * - a field whose key names a secret (SECRET_KEYS, at any depth up to four
 *   levels) is replaced by REDACTED (pino's redact paths, from redactPaths());
 * - free text (the message, an error's message and stack, every string
 *   field) goes through scrubText(), which blanks what looks like a secret
 *   inside a sentence: bearer tokens, key=value pairs naming a secret,
 *   payment codes (by the providers' prefixes) and card numbers (13 to 19
 *   digits passing the Luhn check).
 * RecentErrors keeps the last warnings and errors (already scrubbed) for the
 * status report the hub receives.
 */

import { luhnValid } from './card-number';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** a logger whose every record also carries `bindings` (e.g. {component: 'sync'}) */
  child(bindings: LogFields): Logger;
}

export const REDACTED = '[REDACTED]';

/** field names whose values are secrets, wherever they appear in a record */
export const SECRET_KEYS = [
  'pin',
  'pinHash',
  'newPin',
  'password',
  'passwordHash',
  'token',
  'sealedToken',
  'adminToken',
  'sessionToken',
  'authorization',
  'cookie',
  'secret',
  'key',
  'privateKey',
  'apiKey',
  'appKey',
  'enrollCode',
  'pairingCode',
  'paymentCode',
  'authCode',
  'auth_code',
  'override',
] as const;

const MAX_DEPTH = 4;

/** pino redact paths for SECRET_KEYS at the top level and up to MAX_DEPTH - 1 levels below */
export function redactPaths(): string[] {
  const out: string[] = [];
  for (const k of SECRET_KEYS) {
    for (let d = 0; d < MAX_DEPTH; d++) out.push(`${'*.'.repeat(d)}${k}`);
  }
  return out;
}

const KEYWORDS = 'pin|password|passwd|token|secret|api[_-]?key|private[_-]?key|auth[_-]?code|payment[_-]?code|enroll[_-]?code';
const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  [new RegExp(`\\b([A-Za-z_-]*(?:${KEYWORDS}))(\\s*[=:]\\s*)("[^"]*"|'[^']*'|[^\\s,;&"')]+)`, 'gi'), `$1$2${REDACTED}`],
];

/** a customer's payment code, by the providers' prefixes (the rule of src/core/barcode.ts's classifyPaymentCode) */
function isPaymentCode(d: string): boolean {
  const p2 = Number(d.slice(0, 2));
  return (d.length === 18 && p2 >= 10 && p2 <= 15) || (d.length >= 16 && d.length <= 24 && p2 >= 25 && p2 <= 30) || (d.length === 19 && p2 === 62);
}

/** blanks what looks like a secret inside free text (see the header) */
export function scrubText(text: string): string {
  let out = text;
  for (const [re, to] of PATTERNS) out = out.replace(re, to);
  // digit runs (single spaces or dashes inside allowed): a payment code, or a card number (13 to 19 digits, Luhn-valid); order numbers and app ids stay
  return out.replace(/(?<![0-9])[0-9](?:[ -]?[0-9]){12,23}(?![0-9])/g, (run) => {
    const d = run.replace(/[ -]/g, '');
    return isPaymentCode(d) || (d.length <= 19 && luhnValid(d)) ? REDACTED : run;
  });
}

/** the same rules on a whole value: secret keys blanked, every string scrubbed (for records that skip pino) */
export function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value instanceof Error) return { type: value.name, message: scrubText(value.message), ...(value.stack ? { stack: scrubText(value.stack) } : {}) };
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  const secret: ReadonlySet<string> = new Set(SECRET_KEYS);
  for (const [k, v] of Object.entries(value)) out[k] = secret.has(k) ? REDACTED : scrubValue(v, depth + 1);
  return out;
}

export const nullLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => nullLogger,
};

/** one scrubbed line per record (the message, after "sync: " for a child with that component), for tests and simple callers */
export function lineLogger(write: (line: string) => void, bindings: LogFields = {}): Logger {
  const prefix = typeof bindings.component === 'string' ? `${bindings.component}: ` : '';
  const line = (msg: string) => write(`${prefix}${scrubText(msg)}`);
  return { debug: line, info: line, warn: line, error: line, child: (b) => lineLogger(write, { ...bindings, ...b }) };
}

export interface RecentError {
  at: string;
  level: 'warn' | 'error';
  msg: string;
}

/** the last `size` warnings and errors, scrubbed and cut to 300 characters, oldest first */
export class RecentErrors {
  private readonly items: RecentError[] = [];
  constructor(
    private readonly size = 10,
    private readonly now: () => Date = () => new Date(),
  ) {}

  add(level: 'warn' | 'error', msg: string): void {
    this.items.push({ at: this.now().toISOString(), level, msg: scrubText(msg).slice(0, 300) });
    if (this.items.length > this.size) this.items.splice(0, this.items.length - this.size);
  }

  list(): RecentError[] {
    return this.items.slice();
  }
}

/** `inner`, with its warnings and errors (and its children's) also kept in `recent` */
export function recordingErrors(inner: Logger, recent: RecentErrors): Logger {
  return {
    debug: (m, f) => inner.debug(m, f),
    info: (m, f) => inner.info(m, f),
    warn: (m, f) => {
      recent.add('warn', m);
      inner.warn(m, f);
    },
    error: (m, f) => {
      recent.add('error', m);
      inner.error(m, f);
    },
    child: (b) => recordingErrors(inner.child(b), recent),
  };
}
