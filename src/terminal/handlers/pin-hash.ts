/**
 * The terminal's side of PIN credentials (the format and why it cannot be
 * searched offline: src/core/pin-credential.ts). A terminal's keyring holds
 * the chain's PIN key from its hub credentials (sealed by the OS keychain in
 * the app, 0600 otherwise), when it is enrolled, and its own key in
 * DATA/pin-key (0600, made on first use), for the users it made before it
 * was enrolled or without a hub. New credentials use the chain's key when
 * there is one, so users travel between the chain's terminals through the
 * hub; either key verifies. A PIN is never logged or journaled, only its
 * credential.
 */
import { createHmac, randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { hashPinWith, newPinKey, pinKeyFrom, toBase64, verifyPinWith, type PinCheck, type PinCrypto, type PinKey } from '../../core/pin-credential';
import type { Ledger } from '../../ledger/index';
import { fileTokenVault } from '../../sync/credentials';
import type { TokenVault } from '../../sync/types';

export const PIN_KEY_FILE = 'pin-key';

const maxmem = (o: { N: number; r: number }) => 256 * o.N * o.r + (1 << 20);
export const nodePinCrypto: PinCrypto = {
  hmacSha256: (key, data) => createHmac('sha256', key).update(data).digest(),
  scryptSync: (password, salt, o) => scryptSync(password, salt, o.keylen, { N: o.N, r: o.r, p: o.p, maxmem: maxmem(o) }),
  scrypt: (password, salt, o) => new Promise((resolve, reject) => scrypt(password, salt, o.keylen, { N: o.N, r: o.r, p: o.p, maxmem: maxmem(o) }, (e, k) => (e ? reject(e) : resolve(k)))),
  randomBytes: (n) => randomBytes(n),
  timingSafeEqual: (a, b) => a.length === b.length && timingSafeEqual(a, b),
};

export interface PinKeyring {
  /** the key new credentials are made with */
  current(): PinKey;
  find(id: string): PinKey | null;
}

/** the keyring of a data directory: the chain's key from the hub credentials (if readable) and the terminal's own */
export function dataDirKeyring(dir: string, vault: TokenVault = fileTokenVault(dir)): PinKeyring {
  const file = path.join(dir, PIN_KEY_FILE);
  let own: PinKey | null = null;
  const ownKey = (): PinKey => {
    if (own) return own;
    try {
      own = pinKeyFrom(nodePinCrypto, fs.readFileSync(file, 'utf8').trim());
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      const made = newPinKey(nodePinCrypto);
      fs.writeFileSync(file, toBase64(made.secret) + '\n', { mode: 0o600, flag: 'wx' });
      own = made;
    }
    return own;
  };
  const chain = (): PinKey | null => {
    let c;
    try {
      c = vault.read();
    } catch {
      return null;
    }
    return c?.pinKey ? pinKeyFrom(nodePinCrypto, c.pinKey) : null;
  };
  return {
    current: () => chain() ?? ownKey(),
    find: (id) => {
      const c = chain();
      if (c?.id === id) return c;
      const o = ownKey();
      return o.id === id ? o : null;
    },
  };
}

const keyrings = new WeakMap<Ledger, PinKeyring>();

/** the keyring a ledger's users are hashed and checked with: the one its terminal was given, else its data directory's */
export function keyringFor(ledger: Ledger): PinKeyring {
  let k = keyrings.get(ledger);
  if (!k) keyrings.set(ledger, (k = dataDirKeyring(ledger.dir)));
  return k;
}

/** the app gives its terminal a keyring over its sealed vault */
export function useKeyring(ledger: Ledger, keyring: PinKeyring): void {
  keyrings.set(ledger, keyring);
}

export function hashPin(pin: string, keyring: PinKeyring): string {
  return hashPinWith(nodePinCrypto, keyring.current(), pin);
}

export function verifyPin(pin: string, stored: string, keyring: PinKeyring): Promise<PinCheck> {
  return verifyPinWith(nodePinCrypto, (id) => keyring.find(id), pin, stored);
}
