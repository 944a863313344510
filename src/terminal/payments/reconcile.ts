/**
 * One day's payment codes as the providers' bills show them, and the
 * differences from a bill the store downloaded.
 *
 * The till's side comes from its projections (payment_orders,
 * payment_refunds): every order the provider charged (approved, or reversed
 * after approval by a void) is a payment, every refund and every such reversal
 * a refund. It is written in the provider's own statement layout so a person
 * can lay the two side by side:
 * - WeChat Pay: the 交易账单 of /pay/downloadbill (bill_type ALL): the 27
 *   columns from 交易时间 to 费率备注, every value prefixed with a backtick,
 *   then the 总交易单数 summary;
 * - Alipay: the 业务明细 CSV (支付宝交易号 ... 备注, `#` comment lines around
 *   it, refunds as negative amounts in 业务类型 退款).
 * Amounts are yuan with two decimals (converted from fen exactly), times China
 * Standard Time. A bill is read back tolerantly (GBK or UTF-8, backticks,
 * quotes), and the two sides are compared per merchant order number of this
 * terminal (orders of other tills in the merchant's bill are counted, not
 * compared): an order missing on either side, or paid or refunded amounts
 * that differ, is named.
 */
import iconv from 'iconv-lite';
import type { PaymentProviderName } from '../../shared/contract/cart';
import { formatMinor } from '../../shared/money';
import type { ReadableDb } from '../../ledger/index';
import { fenOf } from './provider-common';

export interface TillMovement {
  kind: 'payment' | 'refund';
  orderNo: string;
  /** the provider's transaction number of the payment */
  transactionId: string | null;
  refundNo: string | null;
  refundReference: string | null;
  /** fen */
  amount: number;
  /** ISO UTC */
  at: string;
}

/** the terminal's payment-code movements with one provider in [from, to) (ISO UTC instants) */
export function tillMovements(db: ReadableDb, provider: PaymentProviderName, from: string, to: string): TillMovement[] {
  const paid = db
    .prepare(
      `SELECT order_no AS orderNo, reference, amount, coalesce(paid_at, started_at) AS at, state, settled_at AS settledAt FROM payment_orders
       WHERE provider = ? AND reference IS NOT NULL AND state IN ('approved', 'revoked')`,
    )
    .all(provider) as Array<{ orderNo: string; reference: string; amount: number; at: string; state: string; settledAt: string }>;
  const out: TillMovement[] = [];
  for (const p of paid) {
    if (p.at >= from && p.at < to) out.push({ kind: 'payment', orderNo: p.orderNo, transactionId: p.reference, refundNo: null, refundReference: null, amount: p.amount, at: p.at });
    // reversed after it was paid (a void): the provider pays the whole order back
    if (p.state === 'revoked' && p.settledAt >= from && p.settledAt < to) {
      out.push({ kind: 'refund', orderNo: p.orderNo, transactionId: p.reference, refundNo: p.orderNo, refundReference: null, amount: p.amount, at: p.settledAt });
    }
  }
  const refunds = db
    .prepare(
      `SELECT r.refund_no AS refundNo, r.order_no AS orderNo, r.reference, r.amount, r.settled_at AS at, o.reference AS transactionId
       FROM payment_refunds r LEFT JOIN payment_orders o ON o.order_no = r.order_no
       WHERE r.provider = ? AND r.state = 'refunded' AND r.settled_at >= ? AND r.settled_at < ?`,
    )
    .all(provider, from, to) as Array<{ refundNo: string; orderNo: string; reference: string | null; amount: number; at: string; transactionId: string | null }>;
  for (const r of refunds) out.push({ kind: 'refund', orderNo: r.orderNo, transactionId: r.transactionId, refundNo: r.refundNo, refundReference: r.reference, amount: r.amount, at: r.at });
  return out.sort((a, b) => a.at.localeCompare(b.at) || a.orderNo.localeCompare(b.orderNo));
}

/** ISO UTC -> yyyy-MM-dd HH:mm:ss China Standard Time */
function cst(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
}

export const WECHAT_BILL_HEADER = [
  '交易时间',
  '公众账号ID',
  '商户号',
  '特约商户号',
  '设备号',
  '微信订单号',
  '商户订单号',
  '用户标识',
  '交易类型',
  '交易状态',
  '付款银行',
  '货币种类',
  '应结订单金额',
  '代金券金额',
  '微信退款单号',
  '商户退款单号',
  '退款金额',
  '充值券退款金额',
  '退款类型',
  '退款状态',
  '商品名称',
  '商户数据包',
  '手续费',
  '费率',
  '订单金额',
  '申请退款金额',
  '费率备注',
];

export const ALIPAY_BILL_HEADER = [
  '支付宝交易号',
  '商户订单号',
  '业务类型',
  '商品名称',
  '创建时间',
  '完成时间',
  '门店编号',
  '门店名称',
  '操作员',
  '终端号',
  '对方账户',
  '订单金额（元）',
  '商家实收（元）',
  '支付宝红包（元）',
  '集分宝（元）',
  '支付宝优惠（元）',
  '商家优惠（元）',
  '券核销金额（元）',
  '券名称',
  '商家红包消费金额（元）',
  '卡消费金额（元）',
  '退款批次号/请求号',
  '服务费（元）',
  '分润（元）',
  '备注',
];

export interface BillContext {
  day: string;
  store: string;
  terminal: string;
  /** WeChat Pay: appid / mch_id / sub_mch_id as configured (not secrets); Alipay: the app id */
  appId: string;
  merchantId: string;
  subMerchantId: string;
}

export function wechatBill(rows: readonly TillMovement[], c: BillContext): string {
  const y = formatMinor;
  const lines = [WECHAT_BILL_HEADER.join(',')];
  let paid = 0;
  let refunded = 0;
  for (const r of rows) {
    const pay = r.kind === 'payment';
    if (pay) paid += r.amount;
    else refunded += r.amount;
    const v = [
      cst(r.at),
      c.appId,
      c.merchantId,
      c.subMerchantId,
      c.terminal,
      r.transactionId ?? '',
      r.orderNo,
      '',
      'MICROPAY',
      pay ? 'SUCCESS' : 'REFUND',
      '',
      'CNY',
      pay ? y(r.amount) : '0.00',
      '0.00',
      r.refundReference ?? '',
      r.refundNo ?? '',
      pay ? '0.00' : y(r.amount),
      '0.00',
      pay ? '' : 'ORIGINAL',
      pay ? '' : 'SUCCESS',
      `${c.store}-${c.terminal} sale`,
      '',
      '0.00',
      '',
      pay ? y(r.amount) : '0.00',
      pay ? '0.00' : y(r.amount),
      '',
    ];
    lines.push(v.map((x) => `\`${x}`).join(','));
  }
  lines.push('总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额');
  lines.push([String(rows.length), y(paid), y(refunded), '0.00', '0.00', y(paid), y(refunded)].map((x) => `\`${x}`).join(','));
  return lines.join('\r\n') + '\r\n';
}

export function alipayBill(rows: readonly TillMovement[], c: BillContext): string {
  const y = formatMinor;
  const lines = [
    '#支付宝业务明细查询',
    `#账号：[${c.merchantId}]`,
    `#起始日期：[${c.day.replace(/^(\d{4})-(\d{2})-(\d{2})$/, '$1年$2月$3日')} 00:00:00]`,
    '#-----------------------------------------业务明细列表----------------------------------------',
    ALIPAY_BILL_HEADER.join(','),
  ];
  let paid = 0;
  let refunded = 0;
  for (const r of rows) {
    const pay = r.kind === 'payment';
    if (pay) paid += r.amount;
    else refunded += r.amount;
    const amount = pay ? y(r.amount) : y(-r.amount);
    lines.push(
      [
        r.transactionId ?? '',
        r.orderNo,
        pay ? '交易' : '退款',
        `${c.store}-${c.terminal} sale`,
        cst(r.at),
        cst(r.at),
        c.store,
        '',
        '',
        c.terminal,
        '',
        amount,
        amount,
        '0.00',
        '0.00',
        '0.00',
        '0.00',
        '0.00',
        '',
        '0.00',
        '0.00',
        r.refundNo ?? '',
        '0.00',
        '0.00',
        '',
      ].join(','),
    );
  }
  lines.push('#-----------------------------------------业务明细列表结束------------------------------------');
  lines.push(`#交易合计：${rows.filter((r) => r.kind === 'payment').length}笔，商家实收共${y(paid)}元`);
  lines.push(`#退款合计：${rows.filter((r) => r.kind === 'refund').length}笔，商家实收退款共${y(-refunded)}元`);
  return lines.join('\r\n') + '\r\n';
}

export interface BillRow {
  kind: 'payment' | 'refund';
  orderNo: string;
  refundNo: string | null;
  amount: number;
}

/** text of a bill file: UTF-8, or GBK as Alipay downloads it */
export function decodeBill(bytes: Buffer): string {
  const utf8 = bytes.toString('utf8');
  return utf8.includes('\uFFFD') ? iconv.decode(bytes, 'gb18030') : utf8.replace(/^\uFEFF/, '');
}

function splitCsv(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((v) => v.trim().replace(/^`/, '').trim());
}

export class BillFormatError extends Error {
  readonly code = 'bad-bill';
}

/** the payments and refunds of a WeChat Pay 交易账单 or an Alipay 业务明细 */
export function parseBill(text: string, provider: 'wechat' | 'alipay'): BillRow[] {
  const lines = text.split(/\r?\n/);
  const at = lines.findIndex((l) => !l.startsWith('#') && l.includes('商户订单号'));
  if (at < 0) throw new BillFormatError(`no header line with 商户订单号: not a ${provider === 'wechat' ? 'WeChat Pay 交易账单' : 'Alipay 业务明细'}`);
  const header = splitCsv(lines[at] as string);
  const col = (name: string) => header.indexOf(name);
  const need = provider === 'wechat' ? ['商户订单号', '交易状态'] : ['商户订单号', '业务类型', '订单金额（元）'];
  for (const n of need) if (col(n) < 0) throw new BillFormatError(`the bill has no column ${n}`);
  const money = (v: string | undefined, what: string, line: number): number => {
    const f = fenOf(v?.replace(/^-/, '') || '0');
    if (f === null) throw new BillFormatError(`line ${line + 1}: ${what} is not an amount`);
    return f;
  };
  const rows: BillRow[] = [];
  for (let i = at + 1; i < lines.length; i++) {
    const line = lines[i] as string;
    // WeChat Pay's totals follow the rows under their own header
    if (line.startsWith('总交易单数')) break;
    if (!line.trim() || line.startsWith('#')) continue;
    const v = splitCsv(line);
    if (v.length < header.length) throw new BillFormatError(`line ${i + 1} has ${v.length} fields, the header ${header.length}`);
    const get = (n: string) => v[col(n)];
    const orderNo = get('商户订单号') ?? '';
    if (provider === 'wechat') {
      const state = get('交易状态');
      const paidCol = col('订单金额') >= 0 ? '订单金额' : '应结订单金额';
      const refundCol = col('申请退款金额') >= 0 ? '申请退款金额' : '退款金额';
      if (state === 'SUCCESS' || state === 'REVOKED') rows.push({ kind: 'payment', orderNo, refundNo: null, amount: money(get(paidCol), paidCol, i) });
      if (state === 'REVOKED') rows.push({ kind: 'refund', orderNo, refundNo: orderNo, amount: money(get(paidCol), paidCol, i) });
      if (state === 'REFUND') rows.push({ kind: 'refund', orderNo, refundNo: get('商户退款单号') || null, amount: money(get(refundCol), refundCol, i) });
    } else {
      const kind = get('业务类型');
      const amount = money(get('订单金额（元）'), '订单金额（元）', i);
      if (kind === '交易') rows.push({ kind: 'payment', orderNo, refundNo: null, amount });
      if (kind === '退款') rows.push({ kind: 'refund', orderNo, refundNo: get('退款批次号/请求号') || null, amount });
    }
  }
  return rows;
}

export interface Mismatch {
  orderNo: string;
  till: { paid: number; refunded: number } | null;
  bill: { paid: number; refunded: number } | null;
}

export interface Reconciliation {
  mismatches: Mismatch[];
  matched: number;
  /** rows of the bill for other terminals of the merchant */
  otherTills: number;
}

/** compares per merchant order number of this terminal (prefix STORE-TERMINAL-) */
export function reconcile(till: readonly TillMovement[], bill: readonly BillRow[], prefix: string): Reconciliation {
  const sum = (rows: ReadonlyArray<{ kind: string; orderNo: string; amount: number }>) => {
    const m = new Map<string, { paid: number; refunded: number }>();
    for (const r of rows) {
      const t = m.get(r.orderNo) ?? { paid: 0, refunded: 0 };
      if (r.kind === 'payment') t.paid += r.amount;
      else t.refunded += r.amount;
      m.set(r.orderNo, t);
    }
    return m;
  };
  const ours = bill.filter((r) => r.orderNo.startsWith(prefix));
  const a = sum(till);
  const b = sum(ours);
  const mismatches: Mismatch[] = [];
  let matched = 0;
  for (const no of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(no) ?? null;
    const y = b.get(no) ?? null;
    if (x && y && x.paid === y.paid && x.refunded === y.refunded) matched++;
    else mismatches.push({ orderNo: no, till: x, bill: y });
  }
  return { mismatches, matched, otherTills: bill.length - ours.length };
}

export function describeMismatch(m: Mismatch): string {
  const s = (v: { paid: number; refunded: number }) => `paid ${formatMinor(v.paid)}, refunded ${formatMinor(v.refunded)}`;
  if (!m.bill) return `${m.orderNo}: in the till (${s(m.till as { paid: number; refunded: number })}) but not in the bill`;
  if (!m.till) return `${m.orderNo}: in the bill (${s(m.bill)}) but not in the till`;
  return `${m.orderNo}: the till has ${s(m.till)}, the bill ${s(m.bill)}`;
}
