/**
 * Canonical JSON: object keys sorted by code unit, no whitespace, and only
 * integers as numbers (the ledger never stores a float). Two equal values
 * always give the same string, so the string can be hashed.
 */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function canonicalJson(value: unknown): string {
  return write(value, '$');
}

function write(v: unknown, where: string): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      if (!Number.isSafeInteger(v)) throw new TypeError(`canonical JSON allows only safe integers (${where} = ${v})`);
      return String(v);
    case 'string':
      return JSON.stringify(v);
    case 'object': {
      if (Array.isArray(v)) return '[' + v.map((x, i) => write(x, `${where}[${i}]`)).join(',') + ']';
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
      return '{' + keys.map((k) => JSON.stringify(k) + ':' + write(o[k], `${where}.${k}`)).join(',') + '}';
    }
    default:
      throw new TypeError(`canonical JSON cannot hold ${typeof v} (${where})`);
  }
}
