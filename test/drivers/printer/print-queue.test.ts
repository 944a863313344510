import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { printer as ThermalPrinter, types as PrinterTypes, characterSet as CharacterSet } from 'node-thermal-printer';
import { decodeEscPos } from '../../../drivers/escpos/decoder';
import { jobLines } from '../../../drivers/escpos/render';
import { EscPosPrinter } from '../../../drivers/printer/escpos-printer';
import { PrintQueue, type PrintJob } from '../../../drivers/printer/print-queue';
import { VirtualPrinter, type VirtualJob } from '../../../drivers/printer/virtual-printer';
import { ManagedTransport } from '../../../drivers/transport/managed';
import { TcpConnector } from '../../../drivers/transport/tcp';
import type { ReceiptDocument } from '../../../src/shared/receipt';
import { cleanupsAfterEach, until } from '../../support/wait';

const cleanups = cleanupsAfterEach();

function receipt(no: string, lines = 20): ReceiptDocument {
  return {
    receiptNo: no,
    kind: 'sale',
    openDrawer: false,
    blocks: [
      { kind: 'text', text: `小票 ${no}`, align: 'center', bold: true },
      ...Array.from({ length: lines }, (_, i) => ({ kind: 'pair' as const, left: `商品 ${i + 1} 农夫山泉`, right: `${i + 1}.00` })),
      { kind: 'pair', left: '合计', right: '210.00', bold: true },
      { kind: 'qr', data: `https://till.example/r/${no}` },
    ],
  };
}

async function setup(opts: { port?: number; outDir?: string; spoolDir?: string } = {}) {
  const vp = new VirtualPrinter({ port: opts.port ?? 0, idleMs: 200, ...(opts.outDir ? { outDir: opts.outDir } : {}) });
  const port = await vp.start();
  cleanups.push(() => vp.stop());
  const t = new ManagedTransport(new TcpConnector({ host: '127.0.0.1', port }), { backoff: { initialMs: 50, maxMs: 200 } });
  cleanups.push(() => t.close());
  const printer = new EscPosPrinter(t, { width: 80, statusTimeoutMs: 400 });
  const queue = new PrintQueue(printer, { retryMs: 100, ...(opts.spoolDir ? { spoolDir: opts.spoolDir } : {}) });
  cleanups.push(() => queue.close());
  const events: PrintJob[] = [];
  queue.on('job', (j) => events.push(j));
  const vjobs: VirtualJob[] = [];
  vp.on('job', (j) => vjobs.push(j));
  t.open();
  await t.whenOpen(3000);
  return { vp, port, t, printer, queue, events, vjobs };
}

describe('printing through the queue to the virtual printer over TCP', () => {
  it('a receipt arrives whole and reads back as rendered; status is ready', async () => {
    const { printer, queue, vjobs } = await setup();
    const doc = receipt('R-1');
    const id = queue.submit(doc);
    await queue.whenIdle();
    expect(queue.get(id)?.state).toBe('done');
    await until(() => vjobs.length === 1);
    expect(vjobs[0]?.endedBy).toBe('cut');
    expect(vjobs[0]?.lines).toEqual(jobLines(decodeEscPos(printer.render(doc))));
    expect(vjobs[0]?.items).toContainEqual(expect.objectContaining({ kind: 'qr', data: 'https://till.example/r/R-1' }));
    expect((await printer.queryStatus()).state).toBe('ready');
  });

  it('paper out in the middle of a receipt: the job waits with the reason, and prints whole once paper is back', async () => {
    const { vp, queue, events, vjobs } = await setup();
    vp.paperOutAfter(300);
    const id = queue.submit({ ...receipt('R-2'), openDrawer: true });
    expect(typeof id).toBe('string');
    await until(() => events.some((e) => e.id === id && e.state === 'waiting'));
    const waiting = events.find((e) => e.id === id && e.state === 'waiting') as PrintJob;
    expect(waiting.reason).toMatch(/out of paper/);
    expect(waiting.drawerOpenedEarly).toBe(true);
    expect(vp.condition.drawerOpen).toBe(true);
    expect(queue.waiting).toBe(1);
    await until(() => vjobs.length === 1);
    expect(vjobs[0]?.halted).toBe('paper out');
    let paperOutReads = 0;
    vp.on('status', (q) => void (q.query === 'dle-eot' && q.n === 1 && q.condition.paperOut && (paperOutReads += 1)));
    const later = queue.submit(receipt('R-3', 2));
    // the queue has asked the printer twice since and heard "out of paper": both jobs stay where they are
    await until(() => paperOutReads >= 2);
    expect(queue.get(id)?.state).toBe('waiting');
    expect(queue.get(later)?.state).toBe('queued');
    vp.set({ paperOut: false });
    await queue.whenIdle();
    expect(queue.get(id)).toMatchObject({ state: 'done', attempts: 2 });
    expect(queue.get(later)?.state).toBe('done');
    await until(() => vjobs.length === 3);
    expect(vjobs[1]?.lines[0]?.trim()).toBe('小票 R-2');
    expect(vjobs[1]?.halted).toBeUndefined();
    expect(vjobs[1]?.items.some((i) => i.kind === 'drawer')).toBe(false);
    expect(vjobs[1]?.lines).toContain('合计' + ' '.repeat(48 - 4 - 6) + '210.00');
    expect(vjobs[2]?.lines[0]?.trim()).toBe('小票 R-3');
  });

  it('cover open and offline keep the job waiting without sending it; reprint prints a marked copy', async () => {
    const { vp, queue, vjobs } = await setup();
    vp.set({ coverOpen: true });
    const id = queue.submit(receipt('R-4', 1));
    await until(() => queue.get(id)?.state === 'waiting');
    expect(queue.get(id)?.reason).toMatch(/cover is open/);
    let offlineReads = 0;
    vp.on('status', (q) => void (q.query === 'dle-eot' && q.n === 1 && q.condition.offline && (offlineReads += 1)));
    vp.set({ coverOpen: false, offline: true });
    await until(() => /offline/.test(queue.get(id)?.reason ?? ''));
    // two more reads of the offline printer, and still nothing was sent to it
    const seen = offlineReads;
    await until(() => offlineReads >= seen + 2);
    expect(queue.get(id)?.reason).toMatch(/offline/);
    expect(vjobs).toHaveLength(0);
    vp.set({ offline: false });
    await queue.whenIdle();
    const copy = queue.reprint(id);
    await queue.whenIdle();
    expect(queue.get(copy)).toMatchObject({ state: 'done', reprintOf: id });
    await until(() => vjobs.length === 2);
    expect(vjobs[1]?.lines[0]).toContain('重印');
    expect(() => queue.reprint('nope')).toThrow(/no print job/);
  });

  it('printer switched off (socket dropped, nothing listening): the job waits and prints when it is back on the same port', async () => {
    const first = await setup();
    const port = first.port;
    await first.vp.stop();
    first.vp.dropConnections();
    await until(() => first.t.status.state === 'reconnecting');
    const id = first.queue.submit(receipt('R-5', 1));
    await until(() => first.queue.get(id)?.state === 'waiting');
    expect(first.queue.get(id)?.reason).toMatch(/not connected/);
    const vp2 = new VirtualPrinter({ port, idleMs: 200 });
    await vp2.start();
    cleanups.push(() => vp2.stop());
    const got: VirtualJob[] = [];
    vp2.on('job', (j) => got.push(j));
    await first.queue.whenIdle();
    await until(() => got.length === 1);
    expect(got[0]?.lines[0]?.trim()).toBe('小票 R-5');
  });

  it('a job not yet printed survives a restart through the spool directory', async () => {
    const spool = fs.mkdtempSync(path.join(os.tmpdir(), 'till-spool-'));
    cleanups.push(() => fs.rmSync(spool, { recursive: true, force: true }));
    const a = await setup({ spoolDir: spool });
    a.vp.set({ paperOut: true });
    const id = a.queue.submit(receipt('R-6', 1));
    await until(() => a.queue.get(id)?.state === 'waiting');
    a.queue.close();
    expect(fs.readdirSync(spool)).toEqual([`${id}.json`]);
    a.vp.set({ paperOut: false });
    const queue2 = new PrintQueue(a.printer, { retryMs: 100, spoolDir: spool });
    cleanups.push(() => queue2.close());
    await queue2.whenIdle();
    expect(queue2.get(id)?.state).toBe('done');
    expect(fs.readdirSync(spool)).toEqual([]);
    await until(() => a.vjobs.length === 1);
  });
});

describe('other encoders through TCP', () => {
  it('a Chinese receipt from node-thermal-printer reads back the same text, and files are written', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'till-vp-'));
    cleanups.push(() => fs.rmSync(out, { recursive: true, force: true }));
    const vp = new VirtualPrinter({ port: 0, outDir: out, idleMs: 200 });
    const port = await vp.start();
    cleanups.push(() => vp.stop());
    const p = new ThermalPrinter({ type: PrinterTypes.EPSON, interface: `tcp://127.0.0.1:${port}`, characterSet: CharacterSet.CHINA, width: 48 });
    const text = ['全家便利店 上海南京西路店', '收银员: 张三  机号: 02', '农夫山泉矿泉水 550ml   2.00', '可口可乐 330ml         3.50', '合计: ￥5.50  找零: ￥4.50', '谢谢惠顾，欢迎再次光临！'];
    p.alignCenter();
    p.println(text[0] as string);
    p.alignLeft();
    for (const line of text.slice(1)) p.println(line);
    p.cut();
    const job = vp.next('job', 5000);
    await p.execute();
    const j = await job;
    expect(j.lines).toEqual(text);
    expect(fs.readFileSync(path.join(out, `${j.n}.txt`), 'utf8')).toContain('谢谢惠顾，欢迎再次光临！');
    expect(fs.readFileSync(path.join(out, `${j.n}.png`)).subarray(1, 4).toString()).toBe('PNG');
  });
});
