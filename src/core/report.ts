/** The X/Z report as plain text for IT staff and managers (till report), from the report object. */
import type { Report } from '../shared/contract/report';
import { formatMinor } from '../shared/money';

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
