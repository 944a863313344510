/**
 * A minimal self-signed X.509 v3 certificate (RFC 5280) for the lane
 * server's TLS, since node:crypto signs but builds no certificates.
 *
 * The key is ECDSA on P-256 (what every browser accepts; Ed25519 is not
 * accepted in TLS server certificates by browsers) and the signature
 * ecdsa-with-SHA256, whose DER ECDSA-Sig-Value is what node's sign() returns.
 * The structure, DER-encoded (X.690: definite lengths, minimal INTEGERs):
 *
 *   Certificate  ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }
 *   TBSCertificate ::= SEQUENCE { [0] EXPLICIT version v3(2), serialNumber INTEGER,
 *       signature AlgorithmIdentifier, issuer Name, validity SEQUENCE { notBefore, notAfter },
 *       subject Name, subjectPublicKeyInfo (node's SPKI export), [3] EXPLICIT extensions }
 *
 * Issuer and subject are the same Name (CN and O as UTF8String). Times are
 * UTCTime before 2050 and GeneralizedTime from then on, whole seconds.
 * Extensions: basicConstraints (critical, not a CA), keyUsage (critical,
 * digitalSignature), extKeyUsage serverAuth, subjectAltName with the DNS
 * names and IP addresses the certificate is valid for, and the subject key
 * identifier (SHA-1 of the public key bits, method 1 of RFC 5280 4.2.1.2).
 */
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import net from 'node:net';

/* ---- DER ---- */

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);
}

export const sequence = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
const explicit = (n: number, content: Buffer): Buffer => tlv(0xa0 | n, content);
const octetString = (b: Buffer): Buffer => tlv(0x04, b);
const bitString = (b: Buffer, unusedBits = 0): Buffer => tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), b]));
const boolean = (v: boolean): Buffer => tlv(0x01, Buffer.from([v ? 0xff : 0x00]));
const utf8String = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'));

/** a non-negative INTEGER from its big-endian magnitude: leading zeros dropped, one 0x00 kept when the top bit is set */
export function unsignedInteger(magnitude: Buffer): Buffer {
  let i = 0;
  while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
  const m = magnitude.subarray(i);
  return tlv(0x02, (m[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), m]) : Buffer.from(m.length ? m : [0]));
}

/** an OBJECT IDENTIFIER from its dotted form: the first two arcs as 40*a+b, each arc base 128 with continuation bits */
export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  if (arcs.length < 2 || arcs.some((a) => !Number.isSafeInteger(a) || a < 0)) throw new TypeError(`bad object identifier ${dotted}`);
  const out: number[] = [];
  const push = (v: number) => {
    const chunk = [v & 0x7f];
    for (let x = Math.floor(v / 128); x > 0; x = Math.floor(x / 128)) chunk.unshift((x & 0x7f) | 0x80);
    out.push(...chunk);
  };
  push((arcs[0] as number) * 40 + (arcs[1] as number));
  for (const a of arcs.slice(2)) push(a);
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime (YYMMDDHHMMSSZ) before 2050, GeneralizedTime (YYYYMMDDHHMMSSZ) from 2050, as RFC 5280 4.1.2.5 asks */
export function derTime(d: Date): Buffer {
  const p = (n: number) => String(n).padStart(2, '0');
  const y = d.getUTCFullYear();
  const rest = `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  return y < 2050 ? tlv(0x17, Buffer.from(`${String(y % 100).padStart(2, '0')}${rest}`, 'ascii')) : tlv(0x18, Buffer.from(`${y}${rest}`, 'ascii'));
}

/* ---- the certificate ---- */

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
};

const extension = (id: string, critical: boolean, value: Buffer): Buffer => sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));

export interface SelfSignedOptions {
  /** an ECDSA P-256 private key */
  privateKey: KeyObject;
  commonName: string;
  organization?: string;
  /** DNS names the certificate is valid for */
  dnsNames?: readonly string[];
  /** IPv4 or IPv6 addresses the certificate is valid for */
  ipAddresses?: readonly string[];
  notBefore: Date;
  notAfter: Date;
  /** 16 random bytes when absent */
  serial?: Buffer;
}

function ipBytes(ip: string): Buffer {
  if (net.isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
  if (!net.isIPv6(ip)) throw new TypeError(`not an IP address: ${ip}`);
  const [head = '', tail] = ip.split('::') as [string, string | undefined];
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  let parts = groups(head);
  if (tail !== undefined) {
    const t = groups(tail);
    parts = [...parts, ...Array<string>(8 - parts.length - t.length).fill('0'), ...t];
  }
  if (parts.length !== 8 || parts.some((g) => g.includes('.'))) throw new TypeError(`unsupported IPv6 form: ${ip}`);
  const b = Buffer.alloc(16);
  parts.forEach((g, i) => b.writeUInt16BE(parseInt(g, 16), i * 2));
  return b;
}

/** the DER of a self-signed certificate for the key's public half */
export function selfSignedCertificate(o: SelfSignedOptions): Buffer {
  const details = o.privateKey.asymmetricKeyDetails;
  if (o.privateKey.asymmetricKeyType !== 'ec' || details?.namedCurve !== 'prime256v1') throw new TypeError('the certificate key must be ECDSA on P-256');
  if (!(o.notAfter > o.notBefore)) throw new TypeError('notAfter must be later than notBefore');
  const spki = createPublicKey(o.privateKey).export({ type: 'spki', format: 'der' });
  // the subjectPublicKey BIT STRING is the last 65 bytes of a P-256 SPKI (04 || X || Y)
  const publicBits = spki.subarray(spki.length - 65);
  const name = sequence(
    set(sequence(oid(OID.commonName), utf8String(o.commonName))),
    ...(o.organization ? [set(sequence(oid(OID.organization), utf8String(o.organization)))] : []),
  );
  const serial = Buffer.from(o.serial ?? randomBytes(16));
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const altNames = [...(o.dnsNames ?? []).map((d) => tlv(0x82, Buffer.from(d, 'ascii'))), ...(o.ipAddresses ?? []).map((ip) => tlv(0x87, ipBytes(ip)))];
  const extensions = [
    extension(OID.basicConstraints, true, sequence()),
    extension(OID.keyUsage, true, bitString(Buffer.from([0x80]), 7)),
    extension(OID.extKeyUsage, false, sequence(oid(OID.serverAuth))),
    extension(OID.subjectKeyIdentifier, false, octetString(createHash('sha1').update(publicBits).digest())),
    ...(altNames.length ? [extension(OID.subjectAltName, false, sequence(...altNames))] : []),
  ];
  const algorithm = sequence(oid(OID.ecdsaWithSha256));
  const tbs = sequence(
    explicit(0, unsignedInteger(Buffer.from([2]))),
    unsignedInteger(serial),
    algorithm,
    name,
    sequence(derTime(o.notBefore), derTime(o.notAfter)),
    name,
    spki,
    explicit(3, sequence(...extensions)),
  );
  const signature = sign('sha256', tbs, { key: o.privateKey, dsaEncoding: 'der' });
  return sequence(tbs, algorithm, bitString(signature));
}

export const newCertificateKey = (): KeyObject => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;

export function toPem(der: Buffer, label = 'CERTIFICATE'): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
