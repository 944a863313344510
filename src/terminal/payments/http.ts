/**
 * One HTTPS (or, for a local test endpoint, HTTP) POST to a payment provider,
 * on its own connection, optionally with the merchant's client certificate
 * (mutual TLS, as WeChat Pay's /secapi endpoints require). The error says
 * whether the request may have reached the provider: `sent: false` only when
 * the connection was never made, so the caller knows nothing was charged;
 * anything later (reset, timeout, a bad answer) leaves the result unknown.
 */
import http from 'node:http';
import https from 'node:https';

export type ClientCertificate = { pfx: Buffer; passphrase: string } | { cert: string; key: string };

export interface PostOptions {
  headers: Record<string, string>;
  timeoutMs: number;
  /** the merchant's certificate, presented when the server asks for one */
  clientCert?: ClientCertificate | null;
  /** extra trusted CA (PEM) for a test endpoint; the system's CAs otherwise */
  ca?: string | null;
}

export class ProviderTransportError extends Error {
  readonly code = 'provider-transport';
  constructor(
    message: string,
    /** false only when no connection was made: the provider cannot have received anything */
    readonly sent: boolean,
  ) {
    super(message);
    this.name = 'ProviderTransportError';
  }
}

export interface PostAnswer {
  status: number;
  body: string;
}

/** answers larger than this are not a provider's */
const MAX_BODY = 1 << 20;

export function postText(url: string, body: string, o: PostOptions): Promise<PostAnswer> {
  const u = new URL(url);
  const secure = u.protocol === 'https:';
  if (!secure && u.protocol !== 'http:') return Promise.reject(new ProviderTransportError(`unsupported URL ${u.protocol}`, false));
  return new Promise<PostAnswer>((resolve, reject) => {
    let connected = false;
    let settled = false;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      reject(new ProviderTransportError(message, connected));
    };
    const data = Buffer.from(body, 'utf8');
    const common = {
      method: 'POST',
      hostname: u.hostname,
      port: u.port || (secure ? 443 : 80),
      path: `${u.pathname}${u.search}`,
      headers: { ...o.headers, 'content-length': String(data.length) },
      agent: false as const,
    };
    const tls = o.clientCert ? ('pfx' in o.clientCert ? { pfx: o.clientCert.pfx, passphrase: o.clientCert.passphrase } : { cert: o.clientCert.cert, key: o.clientCert.key }) : {};
    const req = secure ? https.request({ ...common, ...tls, ...(o.ca ? { ca: o.ca } : {}) }) : http.request(common);
    req.setTimeout(o.timeoutMs, () => {
      req.destroy();
      fail(connected ? `no answer within ${o.timeoutMs} ms` : `could not connect within ${o.timeoutMs} ms`);
    });
    req.on('socket', (s) => {
      s.once(secure ? 'secureConnect' : 'connect', () => {
        connected = true;
      });
    });
    req.on('error', (e) => fail(e.message));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) {
          req.destroy();
          fail('the answer is too large');
          return;
        }
        chunks.push(c);
      });
      res.on('error', (e) => fail(e.message));
      res.on('end', () => {
        if (settled) return;
        settled = true;
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.end(data);
  });
}
