/**
 * `till payments test --data DIR --provider wechat|alipay --code CODE --amount FEN`:
 * one real payment of FEN with the customer's payment code against the
 * endpoint DATA/payments.json configures, then its reversal (WeChat Pay
 * reverse, Alipay cancel), printing every request and answer (the code masked,
 * no key). The order number is TEST-<terminal>-<time>, never a sale's.
 * `till payments reconcile --data DIR --date YYYY-MM-DD [--provider P] [--bill FILE]`:
 * the day's payment-code payments and refunds of this till in the provider's
 * bill layout; with --bill (the statement downloaded from the merchant
 * platform) every order that differs is named, and the exit code is 1.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { collectPayment } from '../../core/payment';
import { dayRange } from '../../core/shift';
import { openLedger } from '../../ledger/index';
import { formatMinor } from '../../shared/money';
import {
  alipayBill,
  BillFormatError,
  buildPayments,
  CatalogReader,
  decodeBill,
  describeMismatch,
  maskCode,
  parseBill,
  readPaymentsFile,
  reconcile,
  tillMovements,
  wechatBill,
  type PaymentTrace,
} from '../../terminal/index';
import { EXIT, UsageError, type CliIO, type Command } from '../io';

const HIDDEN = new Set(['sign', 'nonce_str']);

function fields(r: Record<string, string>): string {
  return Object.entries(r)
    .filter(([k, v]) => !HIDDEN.has(k) && v !== '')
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

function printTrace(io: CliIO): (t: PaymentTrace) => void {
  return (t) => {
    io.out(`-> ${t.api}  ${fields(t.request)}\n`);
    io.out(`<- ${t.outcome}${t.response ? `  ${fields(t.response)}` : ''}\n`);
  };
}

function identity(data: string): { store: string; terminal: string } {
  const ledger = openLedger(data, { readonly: true });
  try {
    return ledger.identity;
  } finally {
    ledger.close();
  }
}

async function test(v: { data?: string; provider?: string; code?: string; amount?: string }, io: CliIO): Promise<number> {
  if (!v.data) throw new UsageError('--data DIR is required');
  if (v.provider !== 'wechat' && v.provider !== 'alipay') throw new UsageError('--provider must be wechat or alipay');
  if (!v.code || !/^\d{16,24}$/.test(v.code)) throw new UsageError("--code is the customer's payment code: 16 to 24 digits");
  if (!v.amount || !/^[1-9]\d{0,7}$/.test(v.amount)) throw new UsageError('--amount is in fen: a whole number from 1');
  const provider = v.provider;
  const amount = Number(v.amount);
  const id = identity(v.data);
  const config = readPaymentsFile(v.data);
  if (!config) {
    io.err(`till payments test: there is no ${v.data}/payments.json (see resources/config/payments.example.json)\n`);
    return EXIT.failed;
  }
  const payments = buildPayments(config, { dataDir: v.data, identity: id, trace: printTrace(io) });
  if (!payments.accepts(provider)) {
    io.err(`till payments test: payments.json has no ${provider} section\n`);
    return EXIT.failed;
  }
  const orderId = `TEST-${id.terminal}-${Date.now().toString(36).toUpperCase()}`;
  io.out(`${config.mode === 'sandbox' ? 'SANDBOX (nothing is really charged): ' : ''}${provider} payment of ${formatMinor(amount)} with code ${maskCode(v.code)}, order ${orderId}\n`);
  const outcome = await collectPayment(payments, { orderId, provider, code: v.code, amount, description: `${id.store}-${id.terminal} payments test` }, { now: () => performance.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) });
  switch (outcome.kind) {
    case 'approved':
      io.out(`payment: approved, provider transaction ${outcome.reference}${outcome.paidAt ? ` at ${outcome.paidAt}` : ''}\n`);
      break;
    case 'declined':
      io.out(`payment: declined (${outcome.reason}): ${outcome.message}\n`);
      return EXIT.failed;
    case 'timeout':
      io.out('payment: not confirmed in time; the order was revoked, nothing is charged\n');
      return EXIT.failed;
    case 'revoke-failed':
      io.out(`payment: not confirmed, and the revoke failed (${outcome.message}): check order ${orderId} on the merchant platform\n`);
      return EXIT.error;
  }
  io.out(`reversal of ${orderId}:\n`);
  try {
    await payments.revoke({ orderId, provider, amount });
  } catch (e) {
    io.out(`reversal: FAILED (${e instanceof Error ? e.message : String(e)}): refund order ${orderId} on the merchant platform\n`);
    return EXIT.error;
  }
  io.out(`reversal: done, ${formatMinor(amount)} goes back to the customer\n`);
  return EXIT.ok;
}

function reconcileDay(v: { data?: string; date?: string; provider?: string; bill?: string }, io: CliIO): number {
  if (!v.data) throw new UsageError('--data DIR is required');
  if (!v.date || !/^\d{4}-\d\d-\d\d$/.test(v.date)) throw new UsageError('--date YYYY-MM-DD is required');
  if (v.provider !== undefined && v.provider !== 'wechat' && v.provider !== 'alipay') throw new UsageError('--provider must be wechat or alipay');
  const config = readPaymentsFile(v.data);
  const providers = v.provider ? [v.provider as 'wechat' | 'alipay'] : (['wechat', 'alipay'] as const).filter((p) => config?.[p] !== undefined);
  if (!providers.length) throw new UsageError('say --provider wechat or alipay (payments.json names neither)');
  if (v.bill && providers.length !== 1) throw new UsageError('--bill is one provider\'s statement: say --provider too');
  const ledger = openLedger(v.data, { readonly: true });
  try {
    const offset = new CatalogReader(ledger.db).settings().utcOffsetMinutes;
    let range: { from: string; to: string };
    try {
      range = dayRange(v.date, offset);
    } catch {
      throw new UsageError(`--date ${v.date} is not a calendar date`);
    }
    const { store, terminal } = ledger.identity;
    let failed = false;
    for (const p of providers) {
      const rows = tillMovements(ledger.db, p, range.from, range.to);
      const w = config?.wechat;
      const ctx = {
        day: v.date,
        store,
        terminal,
        appId: p === 'wechat' ? (w?.appId ?? '') : (config?.alipay?.appId ?? ''),
        merchantId: p === 'wechat' ? (w?.mchId ?? '') : (config?.alipay?.appId ?? ''),
        subMerchantId: p === 'wechat' ? (w?.subMchId ?? '') : '',
      };
      io.out(p === 'wechat' ? wechatBill(rows, ctx) : alipayBill(rows, ctx));
      if (!v.bill) continue;
      const bill = parseBill(decodeBill(fs.readFileSync(v.bill)), p);
      const r = reconcile(rows, bill, `${store}-${terminal}-`);
      io.err(`${p}: ${r.matched} orders match${r.otherTills ? `; ${r.otherTills} rows of the bill are other tills'` : ''}; ${r.mismatches.length} differ\n`);
      for (const m of r.mismatches) io.err(`MISMATCH ${describeMismatch(m)}\n`);
      if (r.mismatches.length) failed = true;
    }
    return failed ? EXIT.failed : EXIT.ok;
  } finally {
    ledger.close();
  }
}

const command: Command = {
  summary: 'payment codes: one real payment and its reversal against the configured provider, or the day in the provider\'s bill format',
  usage: 'till payments test --data DIR --provider wechat|alipay --code CODE --amount FEN | till payments reconcile --data DIR --date YYYY-MM-DD [--provider wechat|alipay] [--bill FILE]',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: { data: { type: 'string' }, provider: { type: 'string' }, code: { type: 'string' }, amount: { type: 'string' }, date: { type: 'string' }, bill: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length !== 1 || (positionals[0] !== 'test' && positionals[0] !== 'reconcile')) throw new UsageError("the sub-commands are 'test' and 'reconcile'");
    try {
      return positionals[0] === 'test' ? await test(values, io) : reconcileDay(values, io);
    } catch (e) {
      if (!(e instanceof BillFormatError)) throw e;
      io.err(`till payments ${positionals[0]}: ${e.message}\n`);
      return EXIT.error;
    }
  },
};
export default command;
