/**
 * Sending a message to a webhook, in each receiver's documented format.
 *
 * WeCom (企业微信) group robot: POST JSON to
 * https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY as
 * {msgtype: 'markdown', markdown: {content}} (at most 4096 bytes of UTF-8;
 * <font color="warning|info|comment"> colours a word); the answer
 * {errcode, errmsg} means accepted when errcode is 0.
 *
 * DingTalk (钉钉) custom robot with signing (加签): POST JSON to
 * https://oapi.dingtalk.com/robot/send?access_token=TOKEN&timestamp=T&sign=S
 * as {msgtype: 'markdown', markdown: {title, text}}, where T is the time in
 * milliseconds and S = urlencode(base64(HMAC-SHA256(key = secret,
 * T + "\n" + secret))); DingTalk refuses a T more than an hour off. The
 * answer {errcode, errmsg}: 0 accepted, 310000 a bad signature or timestamp
 * (or a keyword missing), 410100 too many messages.
 *
 * Generic: POST JSON {event, alert, title, text, facts, language, sentAt}
 * with X-Till-Event; with a secret also X-Till-Timestamp (milliseconds) and
 * X-Till-Signature: sha256=hex(HMAC-SHA256(secret, timestamp + "." + body)).
 * Any 2xx answer means accepted.
 *
 * Redirects are not followed, and each request gives up after `timeoutMs`.
 */
import { createHmac } from 'node:crypto';
import type { AlertLanguage, WebhookKind } from '../../shared/hub-api/index';
import type { RenderedMessage } from './alert-messages';

/** a webhook as the sender uses it: address and secret in clear */
export interface WebhookTarget {
  id: string;
  kind: WebhookKind;
  url: string;
  secret: string | null;
  language: AlertLanguage;
}

/** the alert as the generic format carries it */
export interface GenericAlert {
  id: number;
  code: string;
  state: 'open' | 'cleared';
  store: string;
  terminal: string;
  terminalId: string;
  at: string;
  lastSeen: string;
  clearedAt: string | null;
  details: Record<string, unknown>;
}

export interface DeliveryOutcome {
  sent: boolean;
  status: number | null;
  errcode: number | null;
  error: 'refused' | 'unreachable' | 'timeout' | null;
  /** for the log and the outbox row: what the receiver said, or the network error */
  detail: string;
}

const WECOM_MAX_BYTES = 4096;

/** cuts text to at most `max` bytes of UTF-8 without splitting a character */
export function cutBytes(text: string, max: number): string {
  if (Buffer.byteLength(text, 'utf8') <= max) return text;
  let out = '';
  let bytes = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (bytes + n > max - 3) break;
    out += ch;
    bytes += n;
  }
  return `${out}...`;
}

export function wecomMessage(m: RenderedMessage): { msgtype: 'markdown'; markdown: { content: string } } {
  const colour = m.event === 'cleared' ? 'info' : m.event === 'raised' ? 'warning' : 'comment';
  const lines = [`## <font color="${colour}">${m.title}</font>`, ...m.facts.map(([k, v]) => `> ${k}：<font color="comment">${v}</font>`), '', m.text];
  return { msgtype: 'markdown', markdown: { content: cutBytes(lines.join('\n'), WECOM_MAX_BYTES) } };
}

export function dingtalkMessage(m: RenderedMessage): { msgtype: 'markdown'; markdown: { title: string; text: string } } {
  const lines = [`### ${m.title}`, '', ...m.facts.map(([k, v]) => `> ${k}：${v}\n`), m.text];
  return { msgtype: 'markdown', markdown: { title: m.title, text: lines.join('\n') } };
}

export function dingtalkSign(secret: string, timestampMs: number): string {
  return encodeURIComponent(createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64'));
}

/** the robot's address with &timestamp=...&sign=... added */
export function dingtalkSignedUrl(url: string, secret: string, timestampMs: number): string {
  return `${url}${url.includes('?') ? '&' : '?'}timestamp=${timestampMs}&sign=${dingtalkSign(secret, timestampMs)}`;
}

export function genericSignature(secret: string, timestampMs: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestampMs}.${body}`, 'utf8').digest('hex')}`;
}

export interface Request {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** the HTTP request for one message to one webhook */
export function buildRequest(w: WebhookTarget, m: RenderedMessage, alert: GenericAlert | null, sentAtMs: number): Request {
  const json = { 'content-type': 'application/json; charset=utf-8' };
  if (w.kind === 'wecom') return { url: w.url, headers: json, body: JSON.stringify(wecomMessage(m)) };
  if (w.kind === 'dingtalk') return { url: w.secret ? dingtalkSignedUrl(w.url, w.secret, sentAtMs) : w.url, headers: json, body: JSON.stringify(dingtalkMessage(m)) };
  const body = JSON.stringify({ event: `alert.${m.event}`, alert, title: m.title, text: m.text, facts: Object.fromEntries(m.facts), language: w.language, sentAt: new Date(sentAtMs).toISOString() });
  const headers: Record<string, string> = { ...json, 'x-till-event': `alert.${m.event}` };
  if (w.secret) {
    headers['x-till-timestamp'] = String(sentAtMs);
    headers['x-till-signature'] = genericSignature(w.secret, sentAtMs, body);
  }
  return { url: w.url, headers, body };
}

function robotErrcode(text: string): { errcode: number | null; errmsg: string } {
  try {
    const v = JSON.parse(text) as { errcode?: unknown; errmsg?: unknown };
    return { errcode: typeof v.errcode === 'number' ? v.errcode : null, errmsg: typeof v.errmsg === 'string' ? v.errmsg : '' };
  } catch {
    return { errcode: null, errmsg: '' };
  }
}

/** sends one request and says whether the receiver accepted it */
export async function send(kind: WebhookKind, r: Request, timeoutMs: number): Promise<DeliveryOutcome> {
  let res: Response;
  try {
    res = await fetch(r.url, { method: 'POST', headers: r.headers, body: r.body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    const timeout = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
    const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : e instanceof Error ? e.message : String(e);
    return { sent: false, status: null, errcode: null, error: timeout ? 'timeout' : 'unreachable', detail: timeout ? `no answer within ${timeoutMs} ms` : cause };
  }
  const text = (await res.text().catch(() => '')).slice(0, 1000);
  if (kind === 'generic') {
    const ok = res.status >= 200 && res.status < 300;
    return { sent: ok, status: res.status, errcode: null, error: ok ? null : 'refused', detail: ok ? 'accepted' : `HTTP ${res.status}` };
  }
  const { errcode, errmsg } = robotErrcode(text);
  const ok = res.status === 200 && errcode === 0;
  return { sent: ok, status: res.status, errcode, error: ok ? null : 'refused', detail: ok ? 'accepted' : `HTTP ${res.status}, errcode ${errcode ?? 'none'}: ${errmsg}`.slice(0, 300) };
}
