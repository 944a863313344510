import { describe, expect, it } from 'vitest';
import { parseWechatXml, toWechatXml, wechatSign, wechatSignString, wechatVerify } from '../../../src/terminal/payments/wechat-sign';

// The worked example of WeChat Pay's 签名算法 page (API v2 安全规范)
const EXAMPLE = { appid: 'wxd930ea5d5a258f4f', mch_id: '10000100', device_info: '1000', body: 'test', nonce_str: 'ibuaiVcKdpRxkhJA' };
const KEY = '192006250b4c09247ec02edce69f6a2d';

describe('WeChat Pay v2 signatures, against the documented example', () => {
  it('builds stringA in ASCII order of the names', () => {
    expect(wechatSignString(EXAMPLE)).toBe('appid=wxd930ea5d5a258f4f&body=test&device_info=1000&mch_id=10000100&nonce_str=ibuaiVcKdpRxkhJA');
  });

  it('MD5: 9A0A8659F005D6984697E2CA0A9CF3B7', () => {
    expect(wechatSign(EXAMPLE, KEY, 'MD5')).toBe('9A0A8659F005D6984697E2CA0A9CF3B7');
  });

  it('HMAC-SHA256: 6A9AE165...70DACD6', () => {
    expect(wechatSign(EXAMPLE, KEY, 'HMAC-SHA256')).toBe('6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6');
  });

  it('leaves out empty values and the sign itself, and signs fields it does not know', () => {
    const withExtras = { ...EXAMPLE, sign: 'X', attach: '', zz_new_field: 'v' };
    expect(wechatSignString(withExtras)).toBe(`${wechatSignString(EXAMPLE)}&zz_new_field=v`);
  });

  it('verifies a signed message and refuses one changed in any field or signed with another key', () => {
    const signed = { ...EXAMPLE, sign: wechatSign(EXAMPLE, KEY, 'HMAC-SHA256') };
    expect(wechatVerify(signed, KEY, 'HMAC-SHA256')).toBe(true);
    expect(wechatVerify({ ...signed, body: 'test2' }, KEY, 'HMAC-SHA256')).toBe(false);
    expect(wechatVerify(signed, `${KEY.slice(0, -1)}e`, 'HMAC-SHA256')).toBe(false);
    expect(wechatVerify(signed, KEY, 'MD5')).toBe(false);
    const { sign: _drop, ...unsigned } = signed;
    expect(wechatVerify(unsigned, KEY, 'HMAC-SHA256')).toBe(false);
  });

  it('the documented message round-trips through the XML format, CDATA and all', () => {
    const msg = { ...EXAMPLE, body: '金枪鱼饭团 ]]> & <x>', sign: '9A0A8659F005D6984697E2CA0A9CF3B7' };
    const xml = toWechatXml(msg);
    expect(xml).toContain('<mch_id>10000100</mch_id>');
    expect(parseWechatXml(xml)).toEqual(msg);
  });

  it('refuses XML with a DTD (no entity is ever expanded) and XML that is not one flat <xml>', () => {
    expect(() => parseWechatXml('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><a>&e;</a></xml>')).toThrow(/DTD/);
    expect(() => parseWechatXml('<xml><a><b>1</b></a></xml>')).toThrow(/not a plain value/);
    expect(() => parseWechatXml('<other>1</other>')).toThrow(/no <xml> root/);
    expect(() => parseWechatXml('<xml><a>1</xml>')).toThrow(/not well-formed/);
  });
});
