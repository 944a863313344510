/**
 * One look at a hub without credentials, for the first-run set-up and `till
 * doctor`: over https, a TLS connection that trusts nothing reads the
 * certificate (SHA-256 fingerprint, subject, expiry, the chain's top
 * certificate) and whether it verifies against the pinned CA (or this
 * computer's CAs when none is pinned); then GET /api/health, trusting the
 * pinned CA, or the certificate just read when `trustPresented` (the person
 * compared its fingerprint). The answer's Date header gives the hub's clock.
 */
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import tls from 'node:tls';

export interface HubProbeResult {
  url: string;
  tls: boolean;
  /** TLS: the certificate verified against the pinned CA, or this computer's CAs */
  trusted: boolean;
  /** why it did not verify, null when it did (or no TLS) */
  tlsError: string | null;
  fingerprint: string | null;
  subject: string | null;
  validTo: string | null;
  /** PEM of the top certificate of the chain the hub presented */
  topPem: string | null;
  /** GET /api/health answered 200 */
  reachable: boolean;
  /** the hub's clock (its Date header), corrected to the middle of the request */
  hubTime: Date | null;
  /** how long GET /api/health took, null when it did not answer */
  rttMs: number | null;
  /** why it is not reachable, null when it is */
  problem: string | null;
}

function toPem(der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

interface Presented {
  authorized: boolean;
  authorizationError: string | null;
  fingerprint: string;
  subject: string;
  validTo: string;
  topPem: string;
}

function readCertificate(u: URL, ca: string | undefined, timeoutMs: number): Promise<Presented> {
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port: Number(u.port || 443), rejectUnauthorized: false, ...(ca ? { ca } : {}), ...(isIP(host) ? {} : { servername: host }), timeout: timeoutMs }, () => {
      const leaf = socket.getPeerCertificate(true);
      let top = leaf;
      for (let i = 0; i < 10 && top.issuerCertificate && top.issuerCertificate !== top && top.issuerCertificate.raw; i++) top = top.issuerCertificate;
      const cn = leaf.subject?.CN;
      const why = socket.authorizationError;
      resolve({
        authorized: socket.authorized,
        authorizationError: why ? String(why) : null,
        fingerprint: leaf.fingerprint256,
        subject: Array.isArray(cn) ? cn.join(', ') : (cn ?? ''),
        validTo: new Date(leaf.valid_to).toISOString(),
        topPem: toPem(top.raw),
      });
      socket.end();
    });
    socket.on('timeout', () => socket.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    socket.on('error', reject);
  });
}

function getHealth(url: string, ca: string | undefined, timeoutMs: number): Promise<{ status: number; date: Date | null; rttMs: number }> {
  const u = new URL(`${url}/api/health`);
  const lib = u.protocol === 'https:' ? https : http;
  const sent = Date.now();
  return new Promise((resolve, reject) => {
    const req = lib.get(u, { timeout: timeoutMs, ...(ca ? { ca } : {}) }, (res) => {
      res.resume();
      res.on('end', () => {
        const header = res.headers.date ? Date.parse(res.headers.date) : NaN;
        // the Date header has whole seconds: take the middle of the second and of the round trip
        const rttMs = Date.now() - sent;
        const date = Number.isNaN(header) ? null : new Date(header + 500 - rttMs / 2);
        resolve({ status: res.statusCode ?? 0, date, rttMs });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

export async function probeHub(url: string, o: { ca?: string; trustPresented?: boolean; timeoutMs?: number } = {}): Promise<HubProbeResult> {
  const timeoutMs = o.timeoutMs ?? 5000;
  const u = new URL(url);
  const out: HubProbeResult = { url, tls: u.protocol === 'https:', trusted: false, tlsError: null, fingerprint: null, subject: null, validTo: null, topPem: null, reachable: false, hubTime: null, rttMs: null, problem: null };
  try {
    let ca = o.ca;
    if (out.tls) {
      const cert = await readCertificate(u, o.ca, timeoutMs);
      Object.assign(out, { trusted: cert.authorized, tlsError: cert.authorizationError, fingerprint: cert.fingerprint, subject: cert.subject, validTo: cert.validTo, topPem: cert.topPem });
      if (!cert.authorized && o.trustPresented) ca = cert.topPem;
      if (!cert.authorized && !o.trustPresented) {
        out.problem = `the certificate of ${url} is not trusted (${cert.authorizationError ?? 'unknown'})`;
        return out;
      }
    }
    const h = await getHealth(url, ca, timeoutMs);
    out.reachable = h.status === 200;
    out.hubTime = h.date;
    out.rttMs = h.rttMs;
    if (!out.reachable) out.problem = `${url} answered HTTP ${h.status}: is this a Till hub?`;
  } catch (e) {
    out.problem = `cannot reach ${url}: ${e instanceof Error ? e.message : String(e)}`;
  }
  return out;
}
