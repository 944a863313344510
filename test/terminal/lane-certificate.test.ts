import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LANE_CERT_FILE, LANE_KEY_FILE, laneCertificate, RENEW_DAYS, VALIDITY_DAYS } from '../../src/terminal/lane/certificate';
import { derTime, newCertificateKey, oid, selfSignedCertificate, toPem, unsignedInteger } from '../../src/terminal/lane/x509';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'till-lane-cert-'));
  dirs.push(d);
  return d;
};
const DAY = 86_400_000;

describe('DER pieces', () => {
  it('encodes object identifiers, integers and times as X.690 says', () => {
    expect(oid('1.2.840.10045.4.3.2').toString('hex')).toBe('06082a8648ce3d040302');
    expect(oid('2.5.29.17').toString('hex')).toBe('0603551d11');
    expect(unsignedInteger(Buffer.from([0x00, 0x00, 0x7f])).toString('hex')).toBe('02017f');
    expect(unsignedInteger(Buffer.from([0x80])).toString('hex')).toBe('02020080');
    expect(unsignedInteger(Buffer.from([0x00])).toString('hex')).toBe('020100');
    expect(derTime(new Date('2031-02-03T04:05:06Z')).toString('latin1')).toBe('\x17\x0d310203040506Z');
    expect(derTime(new Date('2050-01-01T00:00:00Z')).toString('latin1')).toBe('\x18\x0f20500101000000Z');
  });
});

describe('a self-signed certificate', () => {
  const key = newCertificateKey();
  const der = selfSignedCertificate({
    privateKey: key,
    commonName: 'Till S001/T01',
    organization: 'Till lane',
    dnsNames: ['localhost', 'till-01.shop.lan'],
    ipAddresses: ['127.0.0.2', '192.168.1.20', '::1', 'fe80::1:2'],
    notBefore: new Date('2026-01-01T00:00:00Z'),
    notAfter: new Date('2028-04-05T00:00:00Z'),
  });
  const c = new X509Certificate(der);

  it('parses, is signed by its own key, and says what it is for', () => {
    expect(c.subject).toBe('CN=Till S001/T01\nO=Till lane');
    expect(c.issuer).toBe(c.subject);
    expect(c.verify(createPublicKey(key))).toBe(true);
    expect(c.checkPrivateKey(key)).toBe(true);
    expect(c.ca).toBe(false);
    expect(c.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(new Date(c.validFrom).toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(new Date(c.validTo).toISOString()).toBe('2028-04-05T00:00:00.000Z');
    expect(c.subjectAltName).toBe('DNS:localhost, DNS:till-01.shop.lan, IP Address:127.0.0.2, IP Address:192.168.1.20, IP Address:0:0:0:0:0:0:0:1, IP Address:FE80:0:0:0:0:0:1:2');
    expect(c.checkIP('192.168.1.20')).toBe('192.168.1.20');
    expect(c.checkIP('192.168.1.21')).toBeUndefined();
    expect(c.checkHost('till-01.shop.lan')).toBe('till-01.shop.lan');
  });

  it('is read the same by openssl, with the extensions a browser needs', () => {
    const text = execFileSync('openssl', ['x509', '-inform', 'DER', '-noout', '-text'], { input: der }).toString();
    expect(text).toContain('Version: 3 (0x2)');
    expect(text).toContain('Signature Algorithm: ecdsa-with-SHA256');
    expect(text).toContain('ASN1 OID: prime256v1');
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature/);
    expect(text).toMatch(/X509v3 Extended Key Usage:\s+TLS Web Server Authentication/);
    expect(text).toContain('X509v3 Subject Key Identifier');
    // openssl checks the self-signature too
    const pem = path.join(tempDir(), 'c.pem');
    fs.writeFileSync(pem, toPem(der));
    expect(execFileSync('openssl', ['verify', '-CAfile', pem, '-partial_chain', pem]).toString()).toContain(': OK');
  });

  it('refuses a key that is not P-256, and an empty validity', () => {
    const ed = createPrivateKey({ key: Buffer.from('302e020100300506032b657004220420' + '11'.repeat(32), 'hex'), format: 'der', type: 'pkcs8' });
    expect(() => selfSignedCertificate({ privateKey: ed, commonName: 'x', notBefore: new Date(0), notAfter: new Date(1000) })).toThrow(/P-256/);
    expect(() => selfSignedCertificate({ privateKey: key, commonName: 'x', notBefore: new Date(1000), notAfter: new Date(1000) })).toThrow(/notAfter/);
  });
});

describe('the lane certificate in the data directory', () => {
  const names = ['127.0.0.1', 'localhost', '::1', '127.0.0.2'];
  const opts = (dir: string, extra: Partial<Parameters<typeof laneCertificate>[0]> = {}) => ({ dir, names, commonName: 'Till S001/T01', ...extra });

  it('is made once with a 0600 key and kept at the next start', () => {
    const dir = tempDir();
    const first = laneCertificate(opts(dir));
    expect(first.action).toBe('made');
    expect(first.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    for (const f of [LANE_KEY_FILE, LANE_CERT_FILE]) expect(fs.statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
    const c = new X509Certificate(fs.readFileSync(path.join(dir, LANE_CERT_FILE)));
    expect(c.fingerprint256).toBe(first.fingerprint);
    expect((new Date(c.validTo).getTime() - Date.now()) / DAY).toBeGreaterThan(VALIDITY_DAYS - 2);
    const again = laneCertificate(opts(dir));
    expect(again).toMatchObject({ action: 'kept', fingerprint: first.fingerprint, key: first.key });
  });

  it('is reissued with the same key for a new address or near its end, and a damaged key means a new key', () => {
    const dir = tempDir();
    const first = laneCertificate(opts(dir));
    const moved = laneCertificate(opts(dir, { names: [...names, '192.168.1.20'] }));
    expect(moved).toMatchObject({ action: 'reissued', key: first.key });
    expect(moved.reason).toContain('192.168.1.20');
    expect(moved.fingerprint).not.toBe(first.fingerprint);
    const late = laneCertificate(opts(dir, { names: [...names, '192.168.1.20'], now: new Date(Date.now() + (VALIDITY_DAYS - RENEW_DAYS + 1) * DAY) }));
    expect(late).toMatchObject({ action: 'reissued', key: first.key });
    expect(late.reason).toMatch(/ends on/);
    fs.writeFileSync(path.join(dir, LANE_KEY_FILE), 'not a key');
    const fresh = laneCertificate(opts(dir));
    expect(fresh.action).toBe('made');
    expect(fresh.key).not.toBe(first.key);
    expect(new X509Certificate(fresh.cert).checkPrivateKey(createPrivateKey(fresh.key))).toBe(true);
  });

  it('serves TLS that a client trusting only this certificate accepts for the names it carries', async () => {
    const cert = laneCertificate(opts(tempDir()));
    const server = https.createServer({ key: cert.key, cert: cert.cert }, (_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.2', r));
    try {
      const { port } = server.address() as AddressInfo;
      const get = (host: string, servername?: string) =>
        new Promise<string>((resolve, reject) => {
          https
            .get({ host, port, ca: cert.cert, ...(servername ? { servername } : {}) }, (res) => {
              let body = '';
              res.on('data', (d: Buffer) => (body += d.toString()));
              res.on('end', () => resolve(body));
            })
            .on('error', reject);
        });
      expect(await get('127.0.0.2')).toBe('ok');
      await expect(get('127.0.0.2', 'other.example')).rejects.toThrow(/altnames|Hostname/i);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
