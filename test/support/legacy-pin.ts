import { randomBytes, scryptSync } from 'node:crypto';

/** a PIN credential in the form Till used before migration 0050: scrypt of the PIN alone, no PIN key */
export function legacyCredential(pin: string): string {
  const salt = randomBytes(16);
  return `scrypt$16384$8$1$${salt.toString('base64')}$${scryptSync(pin, salt, 32, { N: 16384, r: 8, p: 1 }).toString('base64')}`;
}
