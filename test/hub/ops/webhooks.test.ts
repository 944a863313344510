/**
 * Webhook formats and secrets: DingTalk's signature against a vector made
 * with Python's hmac/base64/quote_plus as DingTalk's documentation shows, a
 * WeCom message cut to 4096 bytes without splitting a character, the generic
 * signature and headers, addresses checked for their key and masked, and
 * sealed addresses that open only with the same hub secrets and webhook id.
 */
import { describe, expect, it } from 'vitest';
import { newHubSecrets } from '../../../src/hub/secrets';
import type { RenderedMessage } from '../../../src/hub/ops/alert-messages';
import { maskUrl, urlProblem, webhookSealer } from '../../../src/hub/ops/webhook-settings';
import { buildRequest, dingtalkSign, dingtalkSignedUrl, genericSignature, wecomMessage } from '../../../src/hub/ops/webhooks';

const MESSAGE: RenderedMessage = { event: 'raised', title: 'Till 告警：打印机缺纸', facts: [['门店', 'S001']], text: '打印机（printer）缺纸已 6 分钟。' };

describe('webhook formats', () => {
  it('signs a DingTalk address as its documentation says', () => {
    // python3: quote_plus(base64.b64encode(hmac.new(s, f'{ts}\n{s}', sha256).digest()))
    expect(dingtalkSign('SEC0123456789abcdef', 1700000000000)).toBe('TSZbRFUuvaSQaRKUpF970OPCb2%2FLcQAP3wOvwZIzBZk%3D');
    expect(dingtalkSignedUrl('https://oapi.dingtalk.com/robot/send?access_token=abc', 'SEC0123456789abcdef', 1700000000000)).toBe(
      'https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1700000000000&sign=TSZbRFUuvaSQaRKUpF970OPCb2%2FLcQAP3wOvwZIzBZk%3D',
    );
    const unsigned = buildRequest({ id: 'd', kind: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=abc', secret: null, language: 'zh-CN' }, MESSAGE, null, 1);
    expect(unsigned.url).toBe('https://oapi.dingtalk.com/robot/send?access_token=abc');
    expect(JSON.parse(unsigned.body)).toEqual({ msgtype: 'markdown', markdown: { title: 'Till 告警：打印机缺纸', text: '### Till 告警：打印机缺纸\n\n> 门店：S001\n\n打印机（printer）缺纸已 6 分钟。' } });
  });

  it('cuts a WeCom markdown message to 4096 bytes of UTF-8 without splitting a character', () => {
    const long = wecomMessage({ ...MESSAGE, text: '缺'.repeat(3000) }).markdown.content;
    expect(Buffer.byteLength(long, 'utf8')).toBeLessThanOrEqual(4096);
    expect(long.endsWith('缺...')).toBe(true);
    expect(wecomMessage(MESSAGE).markdown.content).toBe('## <font color="warning">Till 告警：打印机缺纸</font>\n> 门店：<font color="comment">S001</font>\n\n打印机（printer）缺纸已 6 分钟。');
  });

  it('signs a generic body with its timestamp, and sends no signature without a secret', () => {
    const r = buildRequest({ id: 'g', kind: 'generic', url: 'https://ops.example.cn/hook', secret: 'k', language: 'en' }, MESSAGE, null, 1700000000000);
    expect(r.headers['x-till-event']).toBe('alert.raised');
    expect(r.headers['x-till-timestamp']).toBe('1700000000000');
    expect(r.headers['x-till-signature']).toBe(genericSignature('k', 1700000000000, r.body));
    expect(genericSignature('k', 1700000000000, r.body)).not.toBe(genericSignature('k', 1700000000001, r.body));
    expect(JSON.parse(r.body)).toMatchObject({ event: 'alert.raised', title: MESSAGE.title, facts: { 门店: 'S001' }, language: 'en', sentAt: '2023-11-14T22:13:20.000Z' });
    const plain = buildRequest({ id: 'g', kind: 'generic', url: 'https://ops.example.cn/hook', secret: null, language: 'en' }, MESSAGE, null, 1);
    expect(Object.keys(plain.headers).sort()).toEqual(['content-type', 'x-till-event']);
  });
});

describe('webhook addresses and secrets', () => {
  it('wants a WeCom key and a DingTalk access token, and no signature or password in the address', () => {
    expect(urlProblem('wecom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a')).toBeNull();
    expect(urlProblem('wecom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send')).toMatch(/key/);
    expect(urlProblem('dingtalk', 'https://oapi.dingtalk.com/robot/send?access_token=abc')).toBeNull();
    expect(urlProblem('dingtalk', 'https://oapi.dingtalk.com/robot/send')).toMatch(/access_token/);
    expect(urlProblem('dingtalk', 'https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1&sign=x')).toMatch(/timestamp and sign/);
    expect(urlProblem('generic', 'https://user:pw@ops.example.cn/hook')).toMatch(/password/);
    expect(urlProblem('generic', 'http://10.0.0.5:8080/hook')).toBeNull();
  });

  it('masks every query value to its last four characters and drops a user name', () => {
    expect(maskUrl('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa')).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…5aaa');
    expect(maskUrl('https://u:p@ops.example.cn/hook?t=abc')).toBe('https://ops.example.cn/hook?t=…');
  });

  it('seals an address so that it opens only with the same hub secrets and for the same webhook', () => {
    const secrets = newHubSecrets();
    const sealer = webhookSealer(secrets);
    const url = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6';
    const sealed = sealer.seal(url, 'ops');
    expect(sealed).not.toContain('693a91f6');
    expect(sealer.open(sealed, 'ops')).toBe(url);
    expect(webhookSealer(secrets).open(sealed, 'ops')).toBe(url);
    expect(() => sealer.open(sealed, 'other')).toThrow(/sealed with other hub secrets/);
    expect(() => webhookSealer(newHubSecrets()).open(sealed, 'ops')).toThrow(/sealed with other hub secrets/);
    expect(() => sealer.open(url, 'ops')).toThrow(/not sealed/);
  });
});
