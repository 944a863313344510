/**
 * WeChat Pay API v2 (商户平台 API v2, "普通商户版") signing and message format.
 *
 * Signature (安全规范 / 签名算法, pay.weixin.qq.com/wiki/doc/api/micropay.php?chapter=4_3):
 *   1. take every parameter with a non-empty value except `sign`, sorted by
 *      name in ASCII order, as `k1=v1&k2=v2...` (stringA);
 *   2. append `&key=<API key>` (stringSignTemp);
 *   3. MD5: upper-case hex of MD5(stringSignTemp);
 *      HMAC-SHA256: upper-case hex of HMAC-SHA256(stringSignTemp) keyed with
 *      the API key. Names are case-sensitive; fields the reader does not know
 *      are signed too (the API may add fields).
 * Messages are one flat <xml> element per request and response, UTF-8; values
 * go in CDATA. A document with a DTD is refused outright (WeChat Pay's XXE
 * advisory), so no entity is ever expanded.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';

export type WechatSignType = 'MD5' | 'HMAC-SHA256';

export type WechatParams = Record<string, string>;

/** stringA of the documented algorithm */
export function wechatSignString(params: WechatParams): string {
  return Object.keys(params)
    .filter((k) => k !== 'sign' && params[k] !== undefined && params[k] !== '')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

export function wechatSign(params: WechatParams, key: string, type: WechatSignType): string {
  const temp = `${wechatSignString(params)}&key=${key}`;
  const digest = type === 'MD5' ? createHash('md5').update(temp, 'utf8').digest('hex') : createHmac('sha256', key).update(temp, 'utf8').digest('hex');
  return digest.toUpperCase();
}

/** checks `sign` against the other fields, in constant time */
export function wechatVerify(params: WechatParams, key: string, type: WechatSignType): boolean {
  const given = params.sign;
  if (!given) return false;
  const want = Buffer.from(wechatSign(params, key, type));
  const got = Buffer.from(given.toUpperCase());
  return want.length === got.length && timingSafeEqual(want, got);
}

/** a random string for nonce_str: 32 characters of [0-9A-Z] at most, as the API allows */
export function wechatNonce(): string {
  return randomBytes(16).toString('hex').toUpperCase();
}

const cdata = (v: string) => `<![CDATA[${v.split(']]>').join(']]]]><![CDATA[>')}]]>`;

export function toWechatXml(params: WechatParams): string {
  const body = Object.keys(params)
    .filter((k) => params[k] !== undefined)
    .map((k) => (/^[0-9]+$/.test(params[k] as string) ? `<${k}>${params[k]}</${k}>` : `<${k}>${cdata(params[k] as string)}</${k}>`))
    .join('');
  return `<xml>${body}</xml>`;
}

export class WechatXmlError extends Error {
  readonly code = 'bad-xml';
}

const parser = new XMLParser({ parseTagValue: false, trimValues: true, ignoreAttributes: true, processEntities: false, ignoreDeclaration: true });

/** the flat fields of a WeChat Pay <xml> message; anything else is a WechatXmlError */
export function parseWechatXml(text: string): WechatParams {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new WechatXmlError('the message declares a DTD, which WeChat Pay never sends');
  let doc: unknown;
  try {
    doc = parser.parse(text, true);
  } catch (e) {
    throw new WechatXmlError(`not well-formed XML: ${e instanceof Error ? e.message : String(e)}`);
  }
  const root = (doc as { xml?: unknown }).xml;
  if (root === '' || root === undefined || root === null) {
    if (root === '') return {};
    throw new WechatXmlError('the message has no <xml> root element');
  }
  if (typeof root !== 'object' || Array.isArray(root)) throw new WechatXmlError('the <xml> element holds no fields');
  const out: WechatParams = {};
  for (const [k, v] of Object.entries(root as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number') out[k] = String(v);
    else if (v === '' || v === null) out[k] = '';
    else throw new WechatXmlError(`the field <${k}> is not a plain value`);
  }
  return out;
}
