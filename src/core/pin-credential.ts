/**
 * PIN credentials that cannot be searched offline.
 *
 * A 4-8 digit PIN has at most 10^8 values, so any hash of it alone, however
 * slow, falls to an offline search of a copied ledger or hub database. Till
 * mixes in a 256-bit secret, the PIN key, that never enters a database or the
 * journal: a chain's key is made by its hub and handed to each terminal at
 * enrollment over TLS (kept in the hub's secrets file and the terminal's
 * credentials, sealed by the OS keychain in the app); a terminal without a
 * hub makes its own. Stored form:
 *
 *   pin1$<keyId>$<N>$<r>$<p>$<salt base64>$<hash base64>
 *   hash = scrypt(HMAC-SHA256(key, "till-pin-v1:" + pin), salt, N, r, p)
 *
 * keyId names the key (a MAC of a fixed label under it), so a terminal holding
 * its own key and its chain's key knows which one a credential needs. The
 * older form `scrypt$N$r$p$salt$hash` (no key) still verifies, and reports
 * 'legacy' so the user is made to choose a new PIN at once.
 *
 * The crypto primitives are injected (node:crypto on the terminal and the
 * hub), so the format lives once, here.
 */

export interface PinCrypto {
  hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array;
  scryptSync(password: Uint8Array, salt: Uint8Array, o: { N: number; r: number; p: number; keylen: number }): Uint8Array;
  scrypt(password: Uint8Array, salt: Uint8Array, o: { N: number; r: number; p: number; keylen: number }): Promise<Uint8Array>;
  randomBytes(n: number): Uint8Array;
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
}

export interface PinKey {
  id: string;
  secret: Uint8Array;
}

export const PIN_KEY_BYTES = 32;
const PARAMS = { N: 16384, r: 8, p: 1, keylen: 32 } as const;
const utf8 = new TextEncoder();

export function toBase64(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s);
}

export function fromBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** the name of a PIN key: 11 base64url characters of a MAC of a fixed label */
export function pinKeyId(c: PinCrypto, secret: Uint8Array): string {
  return toBase64(c.hmacSha256(secret, utf8.encode('till-pin-key-id'))).slice(0, 11).replace(/\+/g, '-').replace(/\//g, '_');
}

export function pinKeyFrom(c: PinCrypto, secretBase64: string): PinKey {
  const secret = fromBase64(secretBase64);
  if (secret.length !== PIN_KEY_BYTES) throw new TypeError(`a PIN key is ${PIN_KEY_BYTES} bytes`);
  return { id: pinKeyId(c, secret), secret };
}

export function newPinKey(c: PinCrypto): PinKey {
  const secret = c.randomBytes(PIN_KEY_BYTES);
  return { id: pinKeyId(c, secret), secret };
}

const peppered = (c: PinCrypto, key: PinKey, pin: string) => c.hmacSha256(key.secret, utf8.encode(`till-pin-v1:${pin}`));

/** the stored credential of a PIN under a key */
export function hashPinWith(c: PinCrypto, key: PinKey, pin: string): string {
  const salt = c.randomBytes(16);
  const hash = c.scryptSync(peppered(c, key, pin), salt, PARAMS);
  return ['pin1', key.id, PARAMS.N, PARAMS.r, PARAMS.p, toBase64(salt), toBase64(hash)].join('$');
}

/** the key a credential needs, or null for the older keyless form */
export function credentialKeyId(stored: string): string | null {
  return stored.startsWith('pin1$') ? (stored.split('$')[1] ?? '') : null;
}

export const isLegacyCredential = (stored: string): boolean => stored.startsWith('scrypt$');

export type PinCheck = 'ok' | 'legacy' | 'wrong' | 'no-key';

/**
 * Checks a PIN against a stored credential in constant time. 'legacy': right,
 * but stored in the older keyless form; 'no-key': the credential needs a key
 * this side does not hold (enroll with the hub that made it).
 */
export async function verifyPinWith(c: PinCrypto, keyFor: (id: string) => PinKey | null, pin: string, stored: string): Promise<PinCheck> {
  const parts = stored.split('$');
  const legacy = parts[0] === 'scrypt' && parts.length === 6;
  if (!legacy && !(parts[0] === 'pin1' && parts.length === 7)) return 'wrong';
  const [n, r, p] = parts.slice(legacy ? 1 : 2, legacy ? 4 : 5).map(Number) as [number, number, number];
  if (![n, r, p].every((x) => Number.isSafeInteger(x) && x > 0) || n > 1 << 20 || r > 32 || p > 16) return 'wrong';
  const salt = fromBase64(parts[legacy ? 4 : 5] as string);
  const expected = fromBase64(parts[legacy ? 5 : 6] as string);
  if (expected.length < 16 || expected.length > 64) return 'wrong';
  let password: Uint8Array;
  if (legacy) password = utf8.encode(pin);
  else {
    const key = keyFor(parts[1] as string);
    if (!key) return 'no-key';
    password = peppered(c, key, pin);
  }
  const got = await c.scrypt(password, salt, { N: n, r, p, keylen: expected.length });
  if (!c.timingSafeEqual(got, expected)) return 'wrong';
  return legacy ? 'legacy' : 'ok';
}
