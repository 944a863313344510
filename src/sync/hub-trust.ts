/**
 * Whom a terminal trusts as its hub.
 *
 * - The link: a hub off this computer is reached only over https/wss, so the
 *   enrollment code, the token, the PIN key and the catalog cannot be read or
 *   changed on the way. Plain http is allowed to a loopback address, and to
 *   any other only with an explicit --insecure at enrollment (labs), which is
 *   remembered with the credentials and logged loudly at every connection.
 * - The catalog: every delta is signed by the hub's Ed25519 key, whose public
 *   half the terminal pinned at enrollment (see src/hub/secrets.ts); a delta
 *   that does not verify is never applied.
 */
import { createPublicKey, verify } from 'node:crypto';
import { canonicalJson } from '../shared/canonical-json';
import { TillError } from '../shared/errors';

export const DELTA_SIGNING_CONTEXT = 'till-catalog-delta-v1\n';

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** refuses a hub URL that is plain http(s)/ws(s) off loopback unless insecure; returns whether it is such a lab link */
export function checkHubUrl(url: string, insecure: boolean): { plainOffLoopback: boolean } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new TillError('config-invalid', `'${url}' is not a hub address (https://HOST:PORT)`);
  }
  const secure = u.protocol === 'https:' || u.protocol === 'wss:';
  if (!secure && u.protocol !== 'http:' && u.protocol !== 'ws:') throw new TillError('config-invalid', `'${url}' is not a hub address (https://HOST:PORT)`);
  const plainOffLoopback = !secure && !isLoopbackHost(u.hostname);
  if (plainOffLoopback && !insecure) {
    throw new TillError('hub-untrusted', `the hub ${u.origin} is not on this computer and is not https: use https (wss), or --insecure for a lab only`);
  }
  return { plainOffLoopback };
}

/** true when `signature` (base64) is the pinned hub key's signature of the delta (SPKI DER base64) */
export function deltaSignatureValid(hubKey: string, delta: unknown, signature: string): boolean {
  try {
    const key = createPublicKey({ key: Buffer.from(hubKey, 'base64'), format: 'der', type: 'spki' });
    return verify(null, Buffer.from(DELTA_SIGNING_CONTEXT + canonicalJson(delta), 'utf8'), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
