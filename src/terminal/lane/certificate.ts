/**
 * The lane server's TLS certificate, kept in the data directory: made on the
 * first start on a LAN address and used again at every start, so a tablet
 * that trusted it (by comparing its SHA-256 fingerprint with the one the till
 * prints) keeps trusting it. DATA/lane-key.pem (ECDSA P-256, PKCS#8) and
 * DATA/lane-cert.pem are both 0600.
 *
 * The certificate is reissued with the same key when it no longer names
 * every address the lane answers to (the till moved to another address), is
 * within 30 days of its end, or does not belong to the key; a missing or
 * unreadable key means a new key. A reissued certificate has a new
 * fingerprint, which the till prints again. Validity is 825 days, the most
 * Apple's platforms accept for a TLS server certificate.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { writePrivateFile } from '../../ledger/index';
import { newCertificateKey, selfSignedCertificate, toPem } from './x509';

export const LANE_KEY_FILE = 'lane-key.pem';
export const LANE_CERT_FILE = 'lane-cert.pem';
export const VALIDITY_DAYS = 825;
export const RENEW_DAYS = 30;
const DAY_MS = 86_400_000;

export interface LaneCertificate {
  /** PEM */
  key: string;
  /** PEM */
  cert: string;
  /** SHA-256 of the certificate's DER, as browsers show it: "AB:CD:..." (32 bytes) */
  fingerprint: string;
  /** what this start did: made a key and certificate, reissued the certificate, or kept both */
  action: 'made' | 'reissued' | 'kept';
  /** why it was reissued */
  reason?: string;
}

export interface LaneCertificateOptions {
  /** the data directory */
  dir: string;
  /** every name the lane answers to: IP addresses and DNS names */
  names: readonly string[];
  /** the till's name in the certificate's subject */
  commonName: string;
  now?: Date;
}

function readKey(file: string): KeyObject | null {
  let pem: string;
  try {
    pem = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  try {
    const key = createPrivateKey(pem);
    return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? key : null;
  } catch {
    return null;
  }
}

function readCert(file: string): X509Certificate | null {
  try {
    return new X509Certificate(fs.readFileSync(file));
  } catch {
    return null;
  }
}

const covers = (c: X509Certificate, name: string): boolean => (net.isIP(name) ? c.checkIP(name) !== undefined : c.checkHost(name, { wildcards: false }) !== undefined);

/** why the stored certificate cannot serve, or null when it can */
function unusable(c: X509Certificate | null, key: KeyObject, o: LaneCertificateOptions, now: Date): string | null {
  if (c === null) return 'there was no readable certificate';
  if (!c.checkPrivateKey(key)) return 'the certificate does not belong to the key';
  if (new Date(c.validFrom).getTime() > now.getTime() + DAY_MS) return 'the certificate is not valid yet (check the clock)';
  if (new Date(c.validTo).getTime() - now.getTime() < RENEW_DAYS * DAY_MS) return `the certificate ends on ${new Date(c.validTo).toISOString().slice(0, 10)}`;
  const missing = o.names.filter((n) => !covers(c, n));
  return missing.length ? `the certificate did not name ${missing.join(', ')}` : null;
}

/** the lane's key and certificate from the data directory, made or reissued when needed */
export function laneCertificate(o: LaneCertificateOptions): LaneCertificate {
  const now = o.now ?? new Date();
  const keyFile = path.join(o.dir, LANE_KEY_FILE);
  const certFile = path.join(o.dir, LANE_CERT_FILE);
  let key = readKey(keyFile);
  const made = key === null;
  if (key === null) {
    key = newCertificateKey();
    writePrivateFile(keyFile, key.export({ type: 'pkcs8', format: 'pem' }).toString());
  }
  const stored = made ? null : readCert(certFile);
  const reason = made ? null : unusable(stored, key, o, now);
  if (stored && reason === null) {
    fs.chmodSync(certFile, 0o600);
    return { key: key.export({ type: 'pkcs8', format: 'pem' }).toString(), cert: stored.toString(), fingerprint: stored.fingerprint256, action: 'kept' };
  }
  const der = selfSignedCertificate({
    privateKey: key,
    commonName: o.commonName,
    organization: 'Till lane',
    dnsNames: o.names.filter((n) => net.isIP(n) === 0),
    ipAddresses: o.names.filter((n) => net.isIP(n) !== 0),
    notBefore: new Date(now.getTime() - DAY_MS),
    notAfter: new Date(now.getTime() + VALIDITY_DAYS * DAY_MS),
  });
  const pem = toPem(der);
  writePrivateFile(certFile, pem);
  return {
    key: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    cert: pem,
    fingerprint: new X509Certificate(der).fingerprint256,
    action: made ? 'made' : 'reissued',
    ...(reason ? { reason } : {}),
  };
}
