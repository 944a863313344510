/**
 * The hub's secrets: its Ed25519 signing key, which signs every catalog delta
 * (terminals pin the public key at enrollment and apply only deltas that
 * verify), and the chain's PIN key (src/core/pin-credential.ts), which the
 * hub uses to hash the PINs of users it manages and hands to each terminal
 * at enrollment. Both live in DIR/hub-secrets.json (mode 0600), made on first
 * start, never in the database: a copy of the database (or of a terminal's
 * journal) alone neither forges a catalog nor allows an offline PIN search.
 * Several hub nodes of one chain share the file (IT staff copy it).
 *
 * A delta is signed over "till-catalog-delta-v1\n" + its canonical JSON.
 */
import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, scrypt, scryptSync, sign, timingSafeEqual, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { canonicalJson } from '../shared/canonical-json';
import { TillError } from '../shared/errors';
import { newPinKey, pinKeyFrom, toBase64, type PinCrypto, type PinKey } from '../core/pin-credential';

export const SECRETS_FILE = 'hub-secrets.json';
/** the same context as src/sync/hub-trust.ts, which verifies */
export const DELTA_SIGNING_CONTEXT = 'till-catalog-delta-v1\n';

export interface HubSecrets {
  signingKey: KeyObject;
  /** SPKI DER of the public key, base64: what terminals pin */
  publicKey: string;
  pinKey: PinKey;
}

export const nodePinCrypto: PinCrypto = {
  hmacSha256: (key, data) => createHmac('sha256', key).update(data).digest(),
  scryptSync: (password, salt, o) => scryptSync(password, salt, o.keylen, { N: o.N, r: o.r, p: o.p, maxmem: 256 * o.N * o.r + (1 << 20) }),
  scrypt: (password, salt, o) =>
    new Promise((resolve, reject) => scrypt(password, salt, o.keylen, { N: o.N, r: o.r, p: o.p, maxmem: 256 * o.N * o.r + (1 << 20) }, (e, k) => (e ? reject(e) : resolve(k)))),
  randomBytes: (n) => randomBytes(n),
  timingSafeEqual: (a, b) => a.length === b.length && timingSafeEqual(a, b),
};

const fileSchema = z.object({ signingKey: z.string().min(1), pinKey: z.string().min(1) }).strict();

function fromParts(signingKeyPem: string, pinKeyBase64: string): HubSecrets {
  const signingKey = createPrivateKey(signingKeyPem);
  if (signingKey.asymmetricKeyType !== 'ed25519') throw new TillError('config-invalid', 'the hub signing key must be an Ed25519 key');
  return {
    signingKey,
    publicKey: createPublicKey(signingKey).export({ type: 'spki', format: 'der' }).toString('base64'),
    pinKey: pinKeyFrom(nodePinCrypto, pinKeyBase64),
  };
}

/** fresh secrets, kept in memory (tests, a hub started without a data directory) */
export function newHubSecrets(): HubSecrets {
  const { privateKey } = generateKeyPairSync('ed25519');
  return fromParts(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), toBase64(newPinKey(nodePinCrypto).secret));
}

/** reads DIR/hub-secrets.json, making it (0600) on first start */
export function loadHubSecrets(dir: string): HubSecrets {
  const file = path.join(dir, SECRETS_FILE);
  let text: string | null = null;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (text === null) {
    const { privateKey } = generateKeyPairSync('ed25519');
    const doc = { signingKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), pinKey: toBase64(newPinKey(nodePinCrypto).secret) };
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    try {
      fs.writeFileSync(file, JSON.stringify(doc, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
    } catch (e) {
      // another node of this hub made it first: use theirs
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      return loadHubSecrets(dir);
    }
    return fromParts(doc.signingKey, doc.pinKey);
  }
  let parsed: z.infer<typeof fileSchema>;
  try {
    parsed = fileSchema.parse(JSON.parse(text));
  } catch {
    throw new TillError('config-invalid', `${file} is damaged: restore it from the hub's backup (terminals pinned its key and hold its PIN key)`);
  }
  return fromParts(parsed.signingKey, parsed.pinKey);
}

/** the signature of a catalog delta, base64 */
export function signDelta(secrets: HubSecrets, delta: unknown): string {
  return sign(null, Buffer.from(DELTA_SIGNING_CONTEXT + canonicalJson(delta), 'utf8'), secrets.signingKey).toString('base64');
}
