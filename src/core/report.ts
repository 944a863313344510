/** The X/Z report as plain text for IT staff and managers (till report), and as a slip for the receipt printer. */
import type { Report } from '../shared/contract/report';
import type { StoreSettings } from '../shared/contract/catalog';
import type { ReceiptBlock, ReceiptDocument } from '../shared/receipt';
import { formatMinor } from '../shared/money';
import { localTime } from './sale';

const PROVIDER = { wechat: 'WeChat Pay', alipay: 'Alipay', unionpay: 'UnionPay' } as const;

/** display columns: CJK and full-width characters take two */
const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1), 0);

function row(label: string, ...cells: string[]): string {
  return `  ${label}${' '.repeat(Math.max(1, 22 - width(label)))}${cells.map((c) => c.padStart(12)).join('')}\n`;
}

const money = (n: number) => formatMinor(n);

export function formatReport(r: Report): string {
  let out = `${r.kind === 'z' ? 'Z report (day closed)' : 'X report (day so far)'}  ${r.businessDay}  store ${r.store} terminal ${r.terminal}\n`;
  out += `generated ${r.generatedAt}, through journal entry ${r.throughSeq}${r.closedBy ? `, closed by ${r.closedBy}` : ''}\n\n`;
  const c = r.counts;
  out += `counts: ${c.sales} sales, ${c.voids} voids, ${c.refunds} refunds, ${c.noSales} no-sales, ${c.overrides} overrides, ${c.drawerOpenings} drawer openings\n\n`;
  out += row('sales', money(r.sales.total));
  out += row('  gross / savings', money(r.sales.gross), money(-r.sales.savings));
  if (r.sales.rounding !== 0) out += row('  rounding', money(r.sales.rounding));
  out += row('refunds', money(-r.refunds));
  out += row('net', money(r.net));
  out += row('voided (not sold)', money(r.voidedTotal));
  out += row('paid in / paid out', money(r.paidIn), money(-r.paidOut));
  out += `\nby tender${''.padEnd(15)}${['sales', 'refunds', 'net'].map((h) => h.padStart(12)).join('')}\n`;
  for (const t of r.byTender) out += row(t.provider ? PROVIDER[t.provider] : t.kind, money(t.sales), money(-t.refunds), money(t.net));
  out += `\nby VAT rate${''.padEnd(13)}${['sales', 'VAT', 'refunds', 'VAT'].map((h) => h.padStart(12)).join('')}\n`;
  for (const t of r.byTaxRate) out += row(`${t.vatRate / 100}%`, money(t.salesNet), money(t.salesTax), money(-t.refundsNet), money(-t.refundsTax));
  out += `\nby category${''.padEnd(13)}${['sales', 'refunds', 'net'].map((h) => h.padStart(12)).join('')}\n`;
  for (const t of r.byCategory) out += row(t.category, money(t.sales), money(-t.refunds), money(t.net));
  out += `\nshifts (UTC)${''.padEnd(12)}${['float', 'expected', 'counted', 'over/short'].map((h) => h.padStart(12)).join('')}\n`;
  for (const s of r.shifts) {
    out += row(
      `${s.openedBy} ${s.openedAt.slice(11, 16)}-${s.closedAt ? s.closedAt.slice(11, 16) : 'open'}`,
      money(s.float),
      money(s.expected),
      s.counted === null ? '-' : money(s.counted),
      s.variance === null ? '-' : money(s.variance),
    );
  }
  return out;
}

const TENDER_LABEL = { cash: '现金', card: '银行卡', 'payment-code': '付款码' } as const;
const PROVIDER_LABEL = { wechat: '微信支付', alipay: '支付宝', unionpay: '云闪付' } as const;

/** the X or Z report as a slip (document kind 'report'; it never opens the drawer) */
export function reportReceipt(r: Report, settings: Pick<StoreSettings, 'storeName' | 'utcOffsetMinutes'>): ReceiptDocument {
  const pair = (left: string, right: number, bold = false): ReceiptBlock => ({ kind: 'pair', left, right: money(right), ...(bold ? { bold } : {}) });
  const b: ReceiptBlock[] = [
    { kind: 'text', text: settings.storeName, align: 'center', bold: true },
    { kind: 'text', text: r.kind === 'z' ? 'Z 日结报表' : 'X 读数报表', align: 'center', bold: true, size: 'double' },
    { kind: 'pair', left: `营业日 ${r.businessDay}`, right: `机号 ${r.terminal}` },
    { kind: 'pair', left: `打印 ${localTime(r.generatedAt, settings.utcOffsetMinutes)}`, right: r.closedBy ? `日结 ${r.closedBy}` : '' },
    { kind: 'rule' },
    { kind: 'pair', left: `销售 ${r.counts.sales} 笔`, right: money(r.sales.total) },
    { kind: 'pair', left: `退货 ${r.counts.refunds} 笔`, right: money(-r.refunds) },
    pair('净额', r.net, true),
    { kind: 'pair', left: `作废 ${r.counts.voids} 笔`, right: money(r.voidedTotal) },
    { kind: 'pair', left: '收入 / 支出', right: `${money(r.paidIn)} / ${money(-r.paidOut)}` },
    { kind: 'pair', left: `开钱箱 ${r.counts.drawerOpenings} (无交易 ${r.counts.noSales})`, right: `授权 ${r.counts.overrides}` },
    { kind: 'rule', char: '-' },
  ];
  for (const t of r.byTender) b.push(pair(t.provider ? PROVIDER_LABEL[t.provider] : TENDER_LABEL[t.kind], t.net));
  b.push({ kind: 'rule', char: '-' });
  for (const t of r.byTaxRate) b.push({ kind: 'pair', left: `税率 ${t.vatRate / 100}%`, right: `${money(t.salesNet - t.refundsNet)} 税 ${money(t.salesTax - t.refundsTax)}` });
  b.push({ kind: 'rule', char: '-' });
  for (const c of r.byCategory) b.push(pair(c.category, c.net));
  b.push({ kind: 'rule' });
  for (const s of r.shifts) {
    b.push({ kind: 'pair', left: `班次 ${s.openedBy} ${localTime(s.openedAt, settings.utcOffsetMinutes).slice(11, 16)}`, right: s.closedAt ? `至 ${localTime(s.closedAt, settings.utcOffsetMinutes).slice(11, 16)}` : '未交班' });
    b.push(pair('  备用金', s.float), pair('  应有现金', s.expected));
    if (s.counted !== null && s.variance !== null) b.push(pair('  实点现金', s.counted), pair(s.variance > 0 ? '  长款' : s.variance < 0 ? '  短款' : '  长短款', s.variance, true));
  }
  b.push({ kind: 'feed', lines: 3 });
  return { receiptNo: `${r.kind.toUpperCase()}-${r.store}-${r.terminal}-${r.businessDay}`, kind: 'report', blocks: b, openDrawer: false };
}
