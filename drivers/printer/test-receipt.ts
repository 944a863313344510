/** The receipt `till print-test` and the device manager's test action print. */
import type { ReceiptDocument } from '../../src/shared/receipt';

export function testReceipt(opts: { width: 58 | 80; at?: Date; target?: string }): ReceiptDocument {
  const at = (opts.at ?? new Date()).toISOString().replace('T', ' ').slice(0, 19);
  return {
    receiptNo: 'TEST',
    kind: 'test',
    openDrawer: false,
    blocks: [
      { kind: 'text', text: '打印测试 PRINT TEST', align: 'center', bold: true, size: 'double' },
      { kind: 'text', text: `${opts.width} mm  ${at}`, align: 'center' },
      ...(opts.target ? [{ kind: 'text' as const, text: opts.target, align: 'center' as const }] : []),
      { kind: 'rule', char: '=' },
      { kind: 'row', cells: [{ text: '商品 Item', width: 6 }, { text: '数量', width: 2, align: 'right' }, { text: '金额', width: 3, align: 'right' }] },
      { kind: 'row', cells: [{ text: '农夫山泉 550ml', width: 6 }, { text: '2', width: 2, align: 'right' }, { text: '4.00', width: 3, align: 'right' }] },
      { kind: 'row', cells: [{ text: 'Coca-Cola 可口可乐 330ml', width: 6 }, { text: '1', width: 2, align: 'right' }, { text: '3.50', width: 3, align: 'right' }] },
      { kind: 'rule' },
      { kind: 'pair', left: '合计 Total', right: '￥7.50', bold: true },
      { kind: 'text', text: '0123456789'.repeat(5).slice(0, opts.width === 58 ? 32 : 48) },
      { kind: 'text', text: 'right 右对齐', align: 'right' },
      { kind: 'qr', data: 'https://till.example/r/TEST' },
      { kind: 'barcode', data: 'TEST-0001', symbology: 'CODE128' },
    ],
  };
}
