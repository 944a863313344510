/**
 * Devices benchmark (npm run bench -- devices [--json] [--quick]).
 * - receipt render: a 30-line sale receipt (header, 30 item rows, totals,
 *   QR, CODE128) to ESC/POS bytes for 80 mm, p50/p99 per receipt;
 * - virtual printer side: the same bytes decoded and drawn as text + PNG
 *   (Chinese from the installed CJK TrueType font, glyph cache warm);
 * - scanner: a frame written into the far end of a real pty (socat) to the
 *   SerialScanner's scan event, p50/p99.
 */
import fs from 'node:fs';
import path from 'node:path';
import { decodeEscPos } from '../../drivers/escpos/decoder';
import { encodeReceipt } from '../../drivers/escpos/encoder';
import { wordmarkLogo } from '../../drivers/escpos/raster';
import { jobToPng, jobToText } from '../../drivers/escpos/render';
import { TrueTypeFont } from '../../drivers/escpos/truetype';
import { SerialScanner } from '../../drivers/scanner/serial-scanner';
import { SimulatedScanner } from '../../drivers/scanner/simulated-scanner';
import { ManagedTransport } from '../../drivers/transport/managed';
import { SerialConnector } from '../../drivers/transport/serial';
import type { ReceiptDocument } from '../../src/shared/receipt';
import { scratchDir, summarize, type BenchRow, type BenchSuite } from './harness';

function receipt30(): ReceiptDocument {
  return {
    receiptNo: 'B-000123',
    kind: 'sale',
    openDrawer: true,
    blocks: [
      { kind: 'logo' },
      { kind: 'text', text: '全家便利店 上海南京西路店', align: 'center', bold: true, size: 'double' },
      { kind: 'text', text: '2026-11-25 12:00:00  收银员 王芳  机号 02', align: 'center' },
      { kind: 'rule' },
      ...Array.from({ length: 30 }, (_, i) => ({
        kind: 'row' as const,
        cells: [
          { text: `${['农夫山泉矿泉水 550ml', '可口可乐 330ml', '康师傅红烧牛肉面'][i % 3]} #${i + 1}`, width: 6 },
          { text: String(1 + (i % 4)), width: 2, align: 'right' as const },
          { text: `${(350 + i * 25) / 100}`, width: 3, align: 'right' as const },
        ],
      })),
      { kind: 'rule' },
      { kind: 'pair', left: '合计', right: '￥123.45', bold: true, size: 'double' },
      { kind: 'pair', left: '现金', right: '200.00' },
      { kind: 'pair', left: '找零', right: '76.55' },
      { kind: 'qr', data: 'https://till.example/r/B-000123' },
      { kind: 'barcode', data: 'B-000123', symbology: 'CODE128' },
    ],
  };
}

async function scannerLatency(n: number): Promise<number[]> {
  const dir = scratchDir('devices');
  const sim = await SimulatedScanner.open(path.join(dir, 'scanner'), 'CR');
  const t = new ManagedTransport(new SerialConnector({ path: sim.path, baudRate: 115200 }));
  const scanner = new SerialScanner(t, { suffix: 'CR' });
  const samples: number[] = [];
  try {
    scanner.start();
    await t.whenOpen(5000);
    for (let i = 0; i < n; i++) {
      const code = `69012345${String(i).padStart(5, '0')}`;
      const got = scanner.next('scan', 2000, (s) => s.code === code);
      const t0 = performance.now();
      await sim.scan(code);
      await got;
      samples.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 2));
    }
  } finally {
    await scanner.stop();
    await sim.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return samples;
}

const suite: BenchSuite = {
  name: 'devices',
  summary: 'receipt render time (30 lines) and scanner frame -> scan event through a pty',
  async run({ quick, log }) {
    const doc = receipt30();
    const logo = wordmarkLogo();
    const n = quick ? 300 : 3000;
    for (let i = 0; i < 500; i++) encodeReceipt(doc, { width: 80, logo });
    const render: number[] = [];
    let bytes = 0;
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      bytes = encodeReceipt(doc, { width: 80, logo }).length;
      render.push(performance.now() - t0);
    }
    const r = summarize(render);
    log(`render: ${n} receipts of ${bytes} bytes`);
    const raw = encodeReceipt(doc, { width: 80, logo });
    const font = TrueTypeFont.findCjk();
    jobToPng(decodeEscPos(raw), 48, font);
    const vp: number[] = [];
    for (let i = 0; i < (quick ? 30 : 200); i++) {
      const t0 = performance.now();
      const items = decodeEscPos(raw);
      jobToText(items, 48);
      jobToPng(items, 48, font);
      vp.push(performance.now() - t0);
    }
    const v = summarize(vp);
    const scans = await scannerLatency(quick ? 100 : 1000);
    const s = summarize(scans);
    log(`scanner: ${scans.length} frames through a pty`);
    const rows: BenchRow[] = [
      { metric: 'receipt render p50 (30 lines, 80 mm)', value: r.p50, unit: 'ms' },
      { metric: 'receipt render p99 (30 lines, 80 mm)', value: r.p99, unit: 'ms', target: '<= 5' },
      { metric: 'virtual printer decode + text + PNG p50', value: v.p50, unit: 'ms' },
      { metric: 'virtual printer decode + text + PNG p99', value: v.p99, unit: 'ms', target: '<= 250' },
      { metric: 'scanner frame -> scan event p50 (pty)', value: s.p50, unit: 'ms' },
      { metric: 'scanner frame -> scan event p99 (pty)', value: s.p99, unit: 'ms', target: '<= 20' },
    ];
    return rows;
  },
};
export default suite;
