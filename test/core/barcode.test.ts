import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { classifyCode, classifyPaymentCode, expandUpcE, gs1CheckDigit, hasValidCheckDigit, normaliseGtin, withCheckDigit } from '../../src/core/barcode';
import { DEFAULT_SETTINGS } from '../../src/core/settings';

describe('GS1 check digits', () => {
  it.each([
    ['4006381333931', 'EAN-13'],
    ['9780306406157', 'EAN-13 (ISBN)'],
    ['5901234123457', 'EAN-13'],
    ['6901234567892', 'EAN-13 (China)'],
    ['036000291452', 'UPC-A'],
    ['73513537', 'EAN-8'],
    ['96385074', 'EAN-8'],
  ])('%s is a valid %s', (code) => {
    expect(hasValidCheckDigit(code)).toBe(true);
    expect(gs1CheckDigit(code.slice(0, -1))).toBe(Number(code.at(-1)));
  });

  it('catches every single-digit error', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{12}$/), fc.integer({ min: 0, max: 11 }), fc.integer({ min: 1, max: 9 }), (body, pos, delta) => {
        const code = withCheckDigit(body);
        const wrong = code.slice(0, pos) + String((Number(code[pos]) + delta) % 10) + code.slice(pos + 1);
        return hasValidCheckDigit(code) && !hasValidCheckDigit(wrong);
      }),
    );
  });

  it('normalises UPC-A to 13 digits and refuses bad check digits', () => {
    expect(normaliseGtin('036000291452')).toBe('0036000291452');
    expect(normaliseGtin('4006381333931')).toBe('4006381333931');
    expect(normaliseGtin('4006381333932')).toBeNull();
  });
});

describe('UPC-E expansion', () => {
  it.each([
    ['01234565', '012345000065'],
    ['04252614', '042100005264'],
    ['01234133', '012300000413'],
    ['01234145', '012340000015'],
    ['123456', '012345000065'],
  ])('%s -> %s', (upcE, upcA) => {
    expect(expandUpcE(upcE)).toBe(upcA);
  });

  it('refuses a UPC-E whose check digit does not match the expansion', () => {
    expect(expandUpcE('01234566')).toBeNull();
    expect(expandUpcE('21234565')).toBeNull();
  });

  it('scans a UPC-E as its UPC-A GTIN, and keeps EAN-8 first when both readings are valid', () => {
    // 01234133 fails the EAN-8 check, so it can only be a UPC-E
    expect(classifyCode('01234133', DEFAULT_SETTINGS)).toEqual({ kind: 'gtin', symbology: 'UPC-E', candidates: ['0012300000413'] });
    // 01234565 passes both checks: EAN-8 first, then the UPC-E reading
    expect(classifyCode('01234565', DEFAULT_SETTINGS)).toEqual({ kind: 'gtin', symbology: 'EAN-8', candidates: ['01234565', '0012345000065'] });
  });
});

describe('payment codes', () => {
  it.each([
    ['134567890123456789', 'wechat'],
    ['104567890123456789', 'wechat'],
    ['154567890123456780', 'wechat'],
    ['281234567890123456', 'alipay'],
    ['2512345678901234', 'alipay'],
    ['301234567890123456789012', 'alipay'],
    ['6212345678901234567', 'unionpay'],
    ['164567890123456789', null],
    ['3112345678901234', null],
    ['621234567890123456', null],
    ['25123456789012', null],
    ['2412345678901234', null],
    ['3012345678901234567890123', null],
  ])('%s -> %s', (code, provider) => {
    expect(classifyPaymentCode(code)).toBe(provider);
    if (provider) expect(classifyCode(code, DEFAULT_SETTINGS)).toEqual({ kind: 'payment', provider });
  });
});

describe('store label codes', () => {
  it('reads a 13-digit price label (21 + PLU + fen)', () => {
    expect(classifyCode(withCheckDigit('210020100599'), DEFAULT_SETTINGS)).toEqual({ kind: 'embedded', plu: '201', value: 'price', amount: 599 });
  });
  it('reads a 13-digit weight label (22 + PLU + grams)', () => {
    expect(classifyCode(withCheckDigit('220020100456'), DEFAULT_SETTINGS)).toEqual({ kind: 'embedded', plu: '201', value: 'weight', amount: 456 });
  });
  it('reads an 18-digit scale label (20 + PLU + fen + grams)', () => {
    expect(classifyCode(withCheckDigit('20002010058400456'), DEFAULT_SETTINGS)).toEqual({ kind: 'scale', plu: '201', amount: 584, grams: 456 });
  });
  it('refuses a label with a wrong check digit, never reading a wrong item', () => {
    const good = withCheckDigit('210020100599');
    const bad = good.slice(0, 12) + String((Number(good[12]) + 1) % 10);
    expect(classifyCode(bad, DEFAULT_SETTINGS)).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/check digit/) });
  });
  it('follows the store layout: without layouts a 2x code is an ordinary EAN-13', () => {
    const code = withCheckDigit('210020100599');
    expect(classifyCode(code, { embeddedLayouts: [], scaleLayout: null })).toEqual({ kind: 'gtin', symbology: 'EAN-13', candidates: [code] });
  });
  it('explains codes that are nothing', () => {
    expect(classifyCode('12345', DEFAULT_SETTINGS)).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/5-digit/) });
    expect(classifyCode('ABC', DEFAULT_SETTINGS)).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/digits only/) });
    expect(classifyCode('4006381333932', DEFAULT_SETTINGS)).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/EAN-13 check digit/) });
  });
  it('never throws on any string', () => {
    fc.assert(fc.property(fc.string({ maxLength: 40 }), (s) => typeof classifyCode(s, DEFAULT_SETTINGS).kind === 'string'));
  });
});
