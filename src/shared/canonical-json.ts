/**
 * Canonical JSON: object keys sorted by code unit, no whitespace, and only
 * integers as numbers (the ledger never stores a float). Two equal values
 * always give the same string, so the string can be hashed.
 *
 * The writer appends to one string and keeps no path while it works: on a
 * value it refuses, it throws a marker, and the path ($.lines[2].qty) is
 * found by a second, slow walk only then, so a good value costs no path
 * strings at all.
 */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const REFUSED = Symbol('refused');

export function canonicalJson(value: unknown): string {
  try {
    return write(value);
  } catch (e) {
    if (e !== REFUSED) throw e;
    throw new TypeError(describe(value, '$') ?? 'canonical JSON refused a value');
  }
}

function write(v: unknown): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      if (!Number.isSafeInteger(v)) throw REFUSED;
      return String(v);
    case 'string':
      return JSON.stringify(v);
    case 'object': {
      if (Array.isArray(v)) {
        let out = '[';
        for (let i = 0; i < v.length; i++) out += (i ? ',' : '') + write(v[i]);
        return out + ']';
      }
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o).sort();
      let out = '{';
      let first = true;
      for (const k of keys) {
        const x = o[k];
        if (x === undefined) continue;
        out += (first ? '' : ',') + JSON.stringify(k) + ':' + write(x);
        first = false;
      }
      return out + '}';
    }
    default:
      throw REFUSED;
  }
}

/** The message for the first refused value under `v` (at `where`), or null if there is none. */
function describe(v: unknown, where: string): string | null {
  if (v === null) return null;
  switch (typeof v) {
    case 'boolean':
    case 'string':
      return null;
    case 'number':
      return Number.isSafeInteger(v) ? null : `canonical JSON allows only safe integers (${where} = ${v})`;
    case 'object': {
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
          const m = describe(v[i], `${where}[${i}]`);
          if (m) return m;
        }
        return null;
      }
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o).sort()) {
        if (o[k] === undefined) continue;
        const m = describe(o[k], `${where}.${k}`);
        if (m) return m;
      }
      return null;
    }
    default:
      return `canonical JSON cannot hold ${typeof v} (${where})`;
  }
}
