/**
 * `till payments test` against the protocol stubs (WeChat Pay over mutual
 * TLS with the merchant's p12, Alipay with RSA2 keys made here), and `till
 * payments reconcile` in both bill layouts, read back and compared with a
 * bill that differs.
 */
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessDay } from '../../src/core/shift';
import { createTerminal, importCatalog, loadFilePayments, saveUser } from '../../src/terminal/index';
import { AlipayStub } from '../support/alipay-stub';
import { makeTestCerts, type TestCerts } from '../support/test-certs';
import { cleanupsAfterEach } from '../support/wait';
import { WechatPayStub } from '../support/wechat-pay-stub';
import { tempDirs } from '../fixtures/ledger/helpers';
import { till } from '../support/till';
import { P, PROMOS, SETTINGS, USERS } from '../terminal/fixture';

const MERCHANT = { appId: 'wx8888888888888888', mchId: '1900000109', apiKey: '192006250b4c09247ec02edce69f6a2d' };
const ALIPAY_APP = '2021000122671080';
const tmp = tempDirs('cli-payments');
const cleanups = cleanupsAfterEach();
const app = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
let certs: TestCerts;
beforeAll(() => {
  certs = makeTestCerts(MERCHANT.mchId);
});
afterAll(() => fs.rmSync(certs.dir, { recursive: true, force: true }));

async function shop(): Promise<{ dir: string; wechat: WechatPayStub; alipay: AlipayStub }> {
  const wechat = await new WechatPayStub({ ...MERCHANT, tls: { key: certs.serverKey, cert: certs.serverCert, ca: certs.ca } }).start();
  const alipay = await new AlipayStub({ appId: ALIPAY_APP, appPublicKey: app.publicKey }).start();
  cleanups.push(() => wechat.close(), () => alipay.close());
  const dir = path.join(tmp(), 'data');
  expect((await till('init', '--data', dir, '--store', 'S01', '--terminal', 'T1')).code).toBe(0);
  fs.writeFileSync(path.join(dir, 'apiclient_cert.p12'), certs.clientP12, { mode: 0o600 });
  fs.writeFileSync(path.join(dir, 'ca.pem'), certs.ca);
  fs.writeFileSync(path.join(dir, 'app-private.pem'), app.privateKey, { mode: 0o600 });
  fs.writeFileSync(path.join(dir, 'alipay-public.pem'), alipay.alipayPublicKey);
  const config = {
    mode: 'live',
    timeoutSeconds: 1,
    pollSeconds: 0.05,
    wechat: { ...MERCHANT, baseUrl: wechat.url, certP12File: 'apiclient_cert.p12', caFile: 'ca.pem' },
    alipay: { appId: ALIPAY_APP, privateKeyFile: 'app-private.pem', alipayPublicKeyFile: 'alipay-public.pem', gateway: alipay.gateway },
  };
  fs.writeFileSync(path.join(dir, 'payments.json'), JSON.stringify(config, null, 2), { mode: 0o600 });
  return { dir, wechat, alipay };
}

describe('till payments test', () => {
  it('WeChat Pay: one payment and its reversal, every step printed, the key never', async () => {
    const { dir, wechat } = await shop();
    const r = await till('payments', 'test', '--data', dir, '--provider', 'wechat', '--code', '134567890123456789', '--amount', '1');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^wechat payment of 0\.01 with code 1345\*{10}6789, order TEST-T1-\w+$/m);
    expect(r.out).toMatch(/^-> \/pay\/micropay .*total_fee=1 .*auth_code=1345\*{10}6789/m);
    expect(r.out).toMatch(/^<- SUCCESS .*transaction_id=4200\d{24}/m);
    expect(r.out).toMatch(/^-> \/secapi\/pay\/reverse /m);
    expect(r.out).toMatch(/^reversal: done, 0\.01 goes back to the customer$/m);
    expect(r.out).not.toContain(MERCHANT.apiKey);
    expect(r.out).not.toContain('134567890123456789');
    expect(wechat.ledger.charges()).toHaveLength(1);
    expect(wechat.ledger.net()).toBe(0);
  });

  it('Alipay: a customer confirming on the phone is queried, then the payment is cancelled (refunded)', async () => {
    const { dir, alipay } = await shop();
    alipay.ledger.next('user-paying-then-paid');
    const r = await till('payments', 'test', '--data', dir, '--provider', 'alipay', '--code', '281234567890123456', '--amount', '250');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^-> alipay\.trade\.pay .*total_amount=2\.50/m);
    expect(r.out).toMatch(/^<- 10003: order success pay inprocess/m);
    expect(r.out).toMatch(/^-> alipay\.trade\.query /m);
    expect(r.out).toMatch(/^-> alipay\.trade\.cancel /m);
    expect(r.out).toMatch(/action=refund/);
    expect(alipay.ledger.net()).toBe(0);
  });

  it('a declined code says why and exits 1', async () => {
    const { dir, wechat } = await shop();
    wechat.ledger.next('declined');
    const r = await till('payments', 'test', '--data', dir, '--provider', 'wechat', '--code', '134567890123456789', '--amount', '100');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^payment: declined \(balance-insufficient\): WeChat Pay NOTENOUGH/m);
  });

  it('refuses a payments.json others can read, and names a bad field without printing its value', async () => {
    const { dir } = await shop();
    const file = path.join(dir, 'payments.json');
    fs.chmodSync(file, 0o644);
    let r = await till('payments', 'test', '--data', dir, '--provider', 'wechat', '--code', '134567890123456789', '--amount', '1');
    expect(r).toMatchObject({ code: 3, err: expect.stringMatching(/can be read by other users: chmod 600/) });
    fs.chmodSync(file, 0o600);
    const config = JSON.parse(fs.readFileSync(file, 'utf8')) as { wechat: { apiKey: string } };
    config.wechat.apiKey = 'short-secret-value';
    fs.writeFileSync(file, JSON.stringify(config));
    r = await till('payments', 'test', '--data', dir, '--provider', 'wechat', '--code', '134567890123456789', '--amount', '1');
    expect(r).toMatchObject({ code: 3, err: expect.stringMatching(/wechat\.apiKey: the API v2 key is 32 letters and digits/) });
    expect(r.err).not.toContain('short-secret-value');
    fs.writeFileSync(file, '{"mode": "live", "wechat": {"apiKey": "secret-in-broken-json",}');
    r = await till('payments', 'test', '--data', dir, '--provider', 'wechat', '--code', '134567890123456789', '--amount', '1');
    expect(r.err).toMatch(/is not valid JSON/);
    expect(r.err).not.toContain('secret-in-broken-json');
  });

  it('bad usage is named', async () => {
    const { dir } = await shop();
    expect((await till('payments', 'test', '--data', dir, '--provider', 'unionpay', '--code', '1', '--amount', '1')).code).toBe(2);
    expect((await till('payments', 'test', '--data', dir, '--provider', 'wechat', '--code', '134567890123456789', '--amount', '1.5')).err).toMatch(/--amount is in fen/);
  });
});

describe('till payments reconcile', () => {
  /** a day of this till: two WeChat sales, a partial refund of one, a voided sale; one Alipay sale */
  async function day(dir: string): Promise<string> {
    const t = createTerminal({ dataDir: dir, log: () => undefined, paymentProvider: ({ identity }) => loadFilePayments({ dataDir: dir, identity }).provider });
    try {
      importCatalog(t.ledger, Object.values(P), { promotions: PROMOS, settings: SETTINGS, members: [] });
      saveUser(t.ledger, USERS.cashier);
      saveUser(t.ledger, USERS.supervisor);
      const tok = async (u: { code: string; pin: string }) => {
        const r = await t.dispatch('auth.login', { userCode: u.code, pin: u.pin }, {});
        return { sessionToken: (r.ok ? (r.value as { sessionToken: string }).sessionToken : '') };
      };
      const cashier = await tok(USERS.cashier);
      const sup = await tok(USERS.supervisor);
      const ok = async (m: Parameters<typeof t.dispatch>[0], input: unknown, ctx = cashier) => {
        const r = await t.dispatch(m, input, ctx);
        if (!r.ok) throw new Error(`${m}: ${r.error.message}`);
        return r.value as { completed?: { receiptNo: string } };
      };
      await ok('shift.open', { float: [] });
      const sell = async (code: string, ...items: string[]) => {
        for (const i of items) await ok('cart.scan', { code: i });
        return (await ok('tender.paymentCode', { code })).completed?.receiptNo as string;
      };
      const a = await sell('134567890123456789', P.water.barcodes[0] as string, P.riceball.barcodes[0] as string);
      await sell('134567890123456780', P.cola.barcodes[0] as string);
      await ok('refund.receipt', { code: a, lines: [{ lineNo: 1 }], reason: '退货' }, sup);
      await ok('cart.scan', { code: P.noodle.barcodes[0] });
      await ok('tender.paymentCode', { code: '134567890123456781', amount: 200 });
      await ok('sale.void', { reason: '顾客取消' }, sup);
      await sell('281234567890123456', P.stamp.barcodes[0] as string);
      return businessDay(new Date(), t.catalog.settings().utcOffsetMinutes);
    } finally {
      t.close();
    }
  }

  it("prints the day in WeChat Pay's bill layout; a bill that differs is named, order by order", async () => {
    const { dir, wechat } = await shop();
    const date = await day(dir);
    const r = await till('payments', 'reconcile', '--data', dir, '--date', date, '--provider', 'wechat');
    expect(r.code, r.err).toBe(0);
    const lines = r.out.trim().split('\r\n');
    expect(lines[0]).toBe('交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注');
    const rows = lines.slice(1, -2).map((l) => l.split(',').map((v) => v.replace(/^`/, '')));
    // three payments (two sales and the voided one), the partial refund and the void's reversal
    expect(rows.map((v) => [v[9], v[24], v[25]])).toEqual(
      expect.arrayContaining([
        ['SUCCESS', '8.50', '0.00'],
        ['SUCCESS', '3.50', '0.00'],
        ['SUCCESS', '2.00', '0.00'],
        ['REFUND', '0.00', '2.00'],
        ['REFUND', '0.00', '2.00'],
      ]),
    );
    expect(rows).toHaveLength(5);
    expect(lines.at(-1)).toBe('`5,`14.00,`4.00,`0.00,`0.00,`14.00,`4.00');
    // the stub's own ledger agrees with what the till printed
    expect(wechat.ledger.net()).toBe(1400 - 400);

    // the statement as downloaded: one refund missing, one amount different, a row of another till
    const body = r.out.trim().split('\r\n');
    const refundRow = body.findIndex((l) => l.includes('`REFUND'));
    const colaRow = body.findIndex((l) => l.includes('`3.50'));
    const edited = body.map((l, i) => (i === colaRow ? l.replaceAll('`3.50', '`3.00') : l)).filter((_l, i) => i !== refundRow);
    const removedOrder = (body[refundRow] as string).split(',')[6]?.replace(/^`/, '');
    edited.splice(1, 0, (body[colaRow] as string).replace(/`S01-T1-\w+/, '`S01-T9-ZZ'));
    const billFile = path.join(tmp(), 'wechat-bill.csv');
    fs.writeFileSync(billFile, edited.join('\r\n'));
    const rr = await till('payments', 'reconcile', '--data', dir, '--date', date, '--provider', 'wechat', '--bill', billFile);
    expect(rr.code).toBe(1);
    expect(rr.err).toMatch(/wechat: 1 orders match; 1 rows of the bill are other tills'; 2 differ/);
    expect(rr.err).toMatch(new RegExp(`MISMATCH ${removedOrder}: the till has paid \\d+\\.\\d\\d, refunded 2\\.00, the bill paid \\d+\\.\\d\\d, refunded 0\\.00`));
    expect(rr.err).toMatch(/MISMATCH S01-T1-\w+: the till has paid 3\.50, refunded 0\.00, the bill paid 3\.00, refunded 0\.00/);

    // the till's own print, used as the statement: everything matches
    fs.writeFileSync(billFile, r.out);
    const same = await till('payments', 'reconcile', '--data', dir, '--date', date, '--provider', 'wechat', '--bill', billFile);
    expect(same.code, same.err).toBe(0);
    expect(same.err).toMatch(/wechat: 3 orders match; 0 differ/);
  }, 60_000);

  it("prints Alipay's 业务明细 layout, and reads a GBK statement with a payment the till does not have", async () => {
    const { dir } = await shop();
    const date = await day(dir);
    const r = await till('payments', 'reconcile', '--data', dir, '--date', date, '--provider', 'alipay');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）');
    const row = r.out.split('\r\n').find((l) => l.includes(',交易,')) as string;
    expect(row.split(',')[11]).toBe('1.20');
    const extra = row.replace(/S01-T1-\w+/, 'S01-T1-NEW1');
    const billFile = path.join(tmp(), 'alipay-bill.csv');
    fs.writeFileSync(billFile, iconv.encode(r.out.replace(row, `${row}\r\n${extra}`), 'gbk'));
    const rr = await till('payments', 'reconcile', '--data', dir, '--date', date, '--provider', 'alipay', '--bill', billFile);
    expect(rr.code).toBe(1);
    expect(rr.err).toMatch(/MISMATCH S01-T1-NEW1: in the bill \(paid 1\.20, refunded 0\.00\) but not in the till/);
    expect(rr.err).toMatch(/alipay: 1 orders match; 1 differ/);
  }, 60_000);

  it('refuses a file that is not a statement', async () => {
    const { dir } = await shop();
    const billFile = path.join(tmp(), 'not-a-bill.csv');
    fs.writeFileSync(billFile, 'a,b,c\n1,2,3\n');
    const r = await till('payments', 'reconcile', '--data', dir, '--date', '2026-06-01', '--provider', 'wechat', '--bill', billFile);
    expect(r).toMatchObject({ code: 3, err: expect.stringMatching(/no header line with 商户订单号/) });
  });
});
