/**
 * Local webhook receivers on 127.0.0.1 (port 0) that speak like the real ones
 * and check what they get, for the hub's alert tests:
 *
 * - WeCom group robot: POST /cgi-bin/webhook/send?key=KEY with JSON; an
 *   unknown key answers errcode 93000, a body that is not JSON 40035, an
 *   unknown msgtype 40008, markdown.content over 4096 bytes (text over 2048)
 *   40058; an accepted message answers {errcode: 0, errmsg: 'ok'}.
 * - DingTalk custom robot with signing: POST /robot/send?access_token=T
 *   &timestamp=MS&sign=S; an unknown token answers errcode 300001, a
 *   timestamp more than an hour from the receiver's clock 310000 'invalid
 *   timestamp', a sign other than base64(HMAC-SHA256(secret, MS + "\n" +
 *   secret)) 310000 'sign not match'; markdown needs a title and a text.
 * - generic: POST anywhere; with a secret, X-Till-Signature must be
 *   sha256=hex(HMAC-SHA256(secret, X-Till-Timestamp + "." + body)) (else 401).
 *
 * `down` makes a receiver drop every connection without an answer (as when
 * it is unreachable) until set back.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Refused {
  errcode: number;
  errmsg: string;
}

export interface Receiver {
  /** the webhook address to configure (with its key or token, without signature) */
  url: string;
  /** accepted messages' bodies, in arrival order */
  messages: Array<Record<string, unknown>>;
  /** requests it answered with an error */
  refused: Refused[];
  /** connections dropped while down */
  dropped: number;
  down: boolean;
  close(): Promise<void>;
}

type Handler = (req: http.IncomingMessage, url: URL, body: string) => { status: number; json: unknown; accepted?: Record<string, unknown> };

async function listen(path: string, handle: Handler): Promise<Receiver> {
  const r: Receiver = { url: '', messages: [], refused: [], dropped: 0, down: false, close: async () => undefined };
  const server = http.createServer((req, res) => {
    if (r.down) {
      r.dropped += 1;
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const out = req.method === 'POST' && url.pathname === path ? handle(req, url, Buffer.concat(chunks).toString('utf8')) : { status: 404, json: { errcode: 404, errmsg: 'not found' } };
      if (out.accepted) r.messages.push(out.accepted);
      else {
        const j = out.json as Partial<Refused>;
        r.refused.push({ errcode: j.errcode ?? out.status, errmsg: j.errmsg ?? '' });
      }
      res.writeHead(out.status, { 'content-type': 'application/json' }).end(JSON.stringify(out.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  r.url = `http://127.0.0.1:${port}${path}`;
  r.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return r;
}

function parseJson(body: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(body) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const field = (o: unknown, key: string): unknown => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[key] : undefined);
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const ok = (accepted: Record<string, unknown>) => ({ status: 200, json: { errcode: 0, errmsg: 'ok' }, accepted });
const robotError = (errcode: number, errmsg: string) => ({ status: 200, json: { errcode, errmsg } });

export async function wecomReceiver(key: string): Promise<Receiver> {
  const r = await listen('/cgi-bin/webhook/send', (req, url, body) => {
    if (url.searchParams.get('key') !== key) return robotError(93000, 'invalid webhook url, hint: [1700000000_1], from ip: 127.0.0.1');
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return robotError(40035, 'invalid parameter: content type');
    const m = parseJson(body);
    if (!m) return robotError(40035, 'invalid parameter: body is not JSON');
    if (m.msgtype === 'markdown') {
      const content = field(m.markdown, 'content');
      if (typeof content !== 'string' || content === '') return robotError(44004, 'empty content');
      if (bytes(content) > 4096) return robotError(40058, 'markdown.content exceed max length 4096');
      return ok(m);
    }
    if (m.msgtype === 'text') {
      const content = field(m.text, 'content');
      if (typeof content !== 'string' || content === '') return robotError(44004, 'empty content');
      if (bytes(content) > 2048) return robotError(40058, 'text.content exceed max length 2048');
      return ok(m);
    }
    return robotError(40008, 'invalid message type');
  });
  r.url = `${r.url}?key=${key}`;
  return r;
}

export async function dingtalkReceiver(token: string, secret: string): Promise<Receiver> {
  const r = await listen('/robot/send', (_req, url, body) => {
    if (url.searchParams.get('access_token') !== token) return robotError(300001, 'token is not exist');
    const timestamp = url.searchParams.get('timestamp');
    const sign = url.searchParams.get('sign');
    if (!timestamp || !/^\d+$/.test(timestamp) || Math.abs(Date.now() - Number(timestamp)) > 3600_000) return robotError(310000, 'invalid timestamp');
    const expected = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
    if (sign !== expected) return robotError(310000, 'sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]');
    const m = parseJson(body);
    if (!m) return robotError(43001, 'invalid json');
    if (m.msgtype === 'markdown') {
      const title = field(m.markdown, 'title');
      const text = field(m.markdown, 'text');
      if (typeof title !== 'string' || title === '' || typeof text !== 'string' || text === '') return robotError(40035, 'missing markdown title or text');
      return ok(m);
    }
    if (m.msgtype === 'text' && typeof field(m.text, 'content') === 'string') return ok(m);
    return robotError(40035, 'invalid msgtype');
  });
  r.url = `${r.url}?access_token=${token}`;
  return r;
}

export async function genericReceiver(secret: string | null): Promise<Receiver> {
  return listen('/hook', (req, _url, body) => {
    if (secret !== null) {
      const ts = String(req.headers['x-till-timestamp'] ?? '');
      const expected = `sha256=${createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')}`;
      if (req.headers['x-till-signature'] !== expected) return { status: 401, json: { errcode: 401, errmsg: 'bad signature' } };
    }
    const m = parseJson(body);
    return m ? { status: 200, json: { ok: true }, accepted: m } : { status: 400, json: { errcode: 400, errmsg: 'not json' } };
  });
}
