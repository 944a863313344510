/**
 * Text that a person types or a scanner sends (codes, names, reasons, notes)
 * carries no control characters: C0 (NUL, ESC, tab, line breaks...), DEL and
 * C1, the Unicode line and paragraph separators, and the bidirectional
 * embedding, override and isolate marks. None has a meaning in such a field,
 * and each can do harm further on: ESC and GS are printer commands on an
 * ESC/POS receipt, a line break forges a log line, NUL cuts a string in C
 * code, and a bidi override shows a name or reason backwards. Such input is
 * refused with its own error code, 'control-character', so the cashier is
 * told what is wrong (a scanner set up with the wrong suffix, a pasted text).
 */
import type { z } from 'zod';

export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** the zod issue's marker, turned into the error code by dispatch */
const MARK = { code: 'control-character' } as const;

/** the string schema, refusing control characters (checked after its trim, if it has one) */
export function plainText<S extends z.ZodString>(schema: S): S {
  return schema.refine((s) => !CONTROL_CHARACTER.test(s), { message: 'control characters are not allowed here', params: MARK }) as S;
}

/** the path of the first text (string or object key) in a JSON-like value that holds a control character, or null */
export function controlCharacterPath(value: unknown): (string | number)[] | null {
  const path: (string | number)[] = [];
  const found = (v: unknown): boolean => {
    if (typeof v === 'string') return CONTROL_CHARACTER.test(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) if (found(v[i])) return path.unshift(i) > 0;
      return false;
    }
    if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) if (CONTROL_CHARACTER.test(k) || found(x)) return path.unshift(k) > 0;
    }
    return false;
  };
  return found(value) ? path : null;
}

/** for superRefine on a whole document (a catalog delta or change): refuses a control character in any of its texts */
export function refuseControlCharacters(value: unknown, ctx: z.RefinementCtx): void {
  const at = controlCharacterPath(value);
  if (at) ctx.addIssue({ code: 'custom', path: at, input: value, message: 'control characters are not allowed here', params: MARK });
}

/** does a failed parse include a control-character refusal (at any depth, in unions too)? */
export function hasControlCharacter(issues: readonly z.core.$ZodIssue[]): boolean {
  return issues.some((i) => {
    if (i.code === 'custom') return (i.params as { code?: unknown } | undefined)?.code === MARK.code;
    if (i.code === 'invalid_union') return i.errors.some((branch) => hasControlCharacter(branch));
    return false;
  });
}
