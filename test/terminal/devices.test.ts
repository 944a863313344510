/**
 * The terminal with its devices, on the real simulated set: a scanner on a
 * pty, the virtual printer on 127.0.0.1 (TCP, ESC/POS decoded back to text)
 * with the drawer on its kick port, and a customer display on a pty. Sales go
 * through dispatch like the UI's calls.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDevices, startSimulatedDevices, type DeviceManager, type SimulatedDevices } from '../../drivers';
import type { DevicesStatusView, PrintJobView } from '../../src/shared/contract/devices';
import type { EventPayload } from '../../src/shared/contract/events';
import type { PrintedReport } from '../../src/shared/contract/report';
import { SALE_COMPLETED } from '../../src/terminal';
import { openFixture, P, type Fixture } from './fixture';
import { until } from '../support/wait';

const cleanups: Array<() => Promise<void> | void> = [];
let statusEvents: Array<EventPayload<'device.status'>> = [];

async function setUp(drawer: { waitForClose?: boolean } = {}): Promise<{ f: Fixture; sim: SimulatedDevices }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-term-devices-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const sim = await startSimulatedDevices({ dir, drawerCloseAfterMs: 60_000 });
  cleanups.push(() => sim.stop());
  const dm: DeviceManager = createDevices({ ...sim.config, printer: { ...sim.config.printer, retryMs: 100, statusTimeoutMs: 400 }, drawer: { kind: 'printer', waitForClose: drawer.waitForClose ?? false } });
  cleanups.push(() => dm.stop());
  dm.start();
  await dm.whenReady(5000);
  const f = await openFixture();
  cleanups.push(() => f.close());
  await f.reopen({ devices: dm });
  statusEvents = [];
  f.t.events.on('device.status', (e) => statusEvents.push(e));
  return { f, sim };
}

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  statusEvents = [];
});

const WATER = P.water.barcodes[0] as string;
const COLA = P.cola.barcodes[0] as string;

interface Completed {
  completed: { receiptNo: string; total: number; change: number } | null;
}

describe('the terminal drives its devices', () => {
  it('a cash sale prints its receipt after the commit, kicks the drawer, and the display follows item, total and change', async () => {
    const { f, sim } = await setUp();
    await f.ok('cart.scan', { code: WATER });
    await until(() => sim.display.screen.rows[0].includes('农夫山泉'), 5000, 'the item on the display');
    expect(sim.display.screen.lamp).toBe(1);
    expect(sim.display.screen.rows[1]).toContain('2.00');
    await f.ok('cart.scan', { code: COLA });
    await until(() => sim.display.screen.rows[0].includes('可口可乐'), 5000, 'the second item');

    const printed = sim.printer.next('job', 8000);
    const r = await f.ok<Completed>('tender.cash', { tendered: 1000 });
    const sale = r.completed;
    expect(sale).toMatchObject({ total: 550, change: 450 });
    const job = await printed;
    expect(job.text).toContain(sale?.receiptNo);
    expect(job.lines.some((l) => l.includes('应收') && l.includes('5.50'))).toBe(true);
    expect(job.lines.some((l) => l.includes('找零') && l.includes('4.50'))).toBe(true);
    expect(job.items).toContainEqual(expect.objectContaining({ kind: 'drawer' }));
    expect(sim.printer.condition.drawerOpen).toBe(true);
    await until(() => sim.display.screen.lamp === 4, 5000, 'the change lamp');
    expect(sim.display.screen.rows[1]).toContain('4.50');
    await until(() => statusEvents.some((e) => e.kind === 'drawer' && e.message === 'drawer open'), 5000, 'the drawer open event');

    // a card sale: no drawer, the display ends on the total
    sim.printer.set({ drawerOpen: false });
    await f.ok('cart.scan', { code: COLA });
    const second = sim.printer.next('job', 8000);
    await f.ok<Completed>('tender.card', { amount: 350, reference: 'POS-1' });
    expect((await second).items.some((i) => i.kind === 'drawer')).toBe(false);
    await until(() => sim.display.screen.lamp === 2, 5000, 'the total lamp');
    expect(sim.display.screen.rows[1]).toContain('3.50');
    expect(sim.printer.condition.drawerOpen).toBe(false);

    const jobs = async () => (await f.ok<{ jobs: PrintJobView[] }>('receipt.jobs', {})).jobs;
    await until(async () => (await jobs()).every((j) => j.state === 'done'), 5000, 'both jobs done');
    expect((await jobs()).map((j) => [j.kind, j.state])).toEqual([
      ['sale', 'done'],
      ['sale', 'done'],
    ]);
  });

  it('paper out in the middle of a receipt: the sale stays committed, the job waits with its reason, the cashier is told, and it prints once paper is back', async () => {
    const { f, sim } = await setUp();
    sim.printer.paperOutAfter(300);
    await f.ok('cart.scan', { code: WATER });
    const r = await f.call('tender.cash', { tendered: 200 });
    expect(r.ok).toBe(true);
    const receiptNo = (r.value as Completed).completed?.receiptNo ?? '';
    expect(f.t.ledger.entries(1, 1000).filter((e) => e.type === SALE_COMPLETED)).toHaveLength(1);

    const told = (e: EventPayload<'device.status'>) => e.kind === 'printer' && e.status === 'paper-out' && /out of paper.*: 1 receipt\(s\) waiting to print/.test(e.message ?? '');
    await until(() => statusEvents.some(told), 8000, 'a paper-out event naming the waiting receipt');
    const st = await f.ok<DevicesStatusView>('devices.status', {});
    expect(st.printer).toMatchObject({ state: 'paper-out', waitingJobs: 1 });
    expect(st.waiting).toEqual([expect.objectContaining({ receiptNo, state: 'waiting', reason: expect.stringMatching(/paper/) })]);
    // the cash was taken: the drawer opened at once although the receipt did not print
    expect(sim.printer.condition.drawerOpen).toBe(true);
    // the next sale is not held up by the printer
    await f.ok('cart.scan', { code: COLA });

    const whole = sim.printer.next('job', 8000, (j) => j.text.includes(receiptNo) && !j.halted);
    sim.printer.set({ paperOut: false });
    const again = await f.ok<{ jobId: string }>('receipt.reprint', { jobId: st.waiting[0]?.id ?? '' });
    expect(again.jobId).toBe(st.waiting[0]?.id);
    expect((await whole).lines.some((l) => l.includes('应收') && l.includes('2.00'))).toBe(true);
    await until(async () => (await f.ok<DevicesStatusView>('devices.status', {})).waiting.length === 0, 8000, 'an empty queue');
    await until(() => statusEvents.findLast((e) => e.kind === 'printer')?.status === 'ok', 5000, 'the printer ok event');

    // a marked copy by receipt number, without a second drawer kick
    sim.printer.set({ drawerOpen: false });
    const copy = sim.printer.next('job', 8000);
    const c = await f.ok<{ jobId: string; receiptNo: string }>('receipt.reprint', { receiptNo });
    expect(c.receiptNo).toBe(receiptNo);
    const cj = await copy;
    expect(cj.text).toContain('重印 COPY');
    expect(cj.text).toContain(receiptNo);
    expect(cj.items.some((i) => i.kind === 'drawer')).toBe(false);
    expect((await f.call('receipt.reprint', { receiptNo: 'S01-T1-99999999' })).error?.code).toBe('not-found');
  });

  it('a scan from the pty scanner reaches the UI as a scan event and lands in the cart through the same call', async () => {
    const { f, sim } = await setUp();
    const scans: Array<EventPayload<'scan'>> = [];
    f.t.events.on('scan', (s) => {
      scans.push(s);
      void f.call('cart.scan', { code: s.code });
    });
    await sim.scanner.scan(WATER);
    await until(() => scans.length === 1, 5000, 'the scan event');
    expect(scans[0]).toMatchObject({ code: WATER, source: `serial:${sim.scanner.path}` });
    expect(scans[0]?.at).toMatch(/^\d{4}-\d\d-\d\dT/);
    await until(async () => (await f.ok<{ lines: unknown[] }>('cart.get', {})).lines.length === 1, 5000, 'the line in the cart');
  });

  it('drawer openings of store operations kick the drawer; a cash refund prints its slip', async () => {
    const { f, sim } = await setUp();
    expect((await f.call('drawer.open', { reason: '换零钱' })).error?.code).toBe('override-required');
    expect(sim.printer.condition.drawerOpen).toBe(false);
    await f.ok('drawer.open', { reason: '换零钱' }, 'supervisor');
    await until(() => sim.printer.condition.drawerOpen, 5000, 'the no-sale kick');

    sim.printer.set({ drawerOpen: false });
    await f.ok('cart.scan', { code: WATER });
    const saleJob = sim.printer.next('job', 8000);
    const sale = (await f.ok<Completed>('tender.cash', { tendered: 200 })).completed;
    await saleJob;
    sim.printer.set({ drawerOpen: false });
    const slip = sim.printer.next('job', 8000);
    await f.ok('refund.receipt', { code: sale?.receiptNo, lines: [{ lineNo: 1 }], reason: '质量问题' }, 'supervisor');
    const s = await slip;
    expect(s.text).toContain('退货单');
    expect(s.items.filter((i) => i.kind === 'drawer')).toHaveLength(1);
    expect(sim.printer.condition.drawerOpen).toBe(true);
  });

  it('prints the X report slip on request, and a copy of the Z slip once the day is closed', async () => {
    const { f, sim } = await setUp();
    await f.ok('cart.scan', { code: WATER });
    const saleJob = sim.printer.next('job', 8000);
    await f.ok('tender.cash', { tendered: 200 });
    await saleJob;
    expect((await f.call('report.print', { kind: 'x' })).error?.code).toBe('override-required');
    expect((await f.call('report.print', { kind: 'z' }, 'supervisor')).error?.code).toBe('not-found');

    const head = f.t.ledger.head();
    const xJob = sim.printer.next('job', 8000);
    const x = await f.ok<PrintedReport & { jobId: string }>('report.print', { kind: 'x' }, 'supervisor');
    expect(f.t.ledger.head()).toEqual(head);
    const xSlip = await xJob;
    expect(xSlip.text).toContain('X 读数报表');
    expect(xSlip.lines.some((l) => l.includes('销售 1 笔') && l.includes('2.00'))).toBe(true);
    expect(xSlip.text).not.toContain('REPRINT');
    expect(x).toMatchObject({ kind: 'x', counts: { sales: 1 }, receipt: { kind: 'report' } });

    await f.ok('shift.close', { counted: [] }, 'supervisor');
    const z = await f.ok<PrintedReport>('report.z', {}, 'manager');
    const zJob = sim.printer.next('job', 8000);
    const copy = await f.ok<PrintedReport & { jobId: string }>('report.print', { kind: 'z', date: z.businessDay }, 'supervisor');
    const zSlip = await zJob;
    expect(zSlip.text).toContain('Z 日结报表');
    expect(zSlip.text).toContain('REPRINT');
    expect(copy).toMatchObject({ kind: 'z', generatedAt: z.generatedAt, net: z.net, closedBy: z.closedBy, receipt: { copy: true } });
    const jobs = (await f.ok<{ jobs: PrintJobView[] }>('receipt.jobs', {})).jobs;
    expect(jobs.filter((j) => j.kind === 'report').map((j) => j.id)).toEqual([copy.jobId, x.jobId]);
  });

  it('IT test actions need a supervisor; the drawer test is journaled', async () => {
    const { f, sim } = await setUp();
    expect((await f.call('devices.test', { action: 'print' })).error?.code).toBe('override-required');
    const job = sim.printer.next('job', 8000);
    expect(await f.ok('devices.test', { action: 'print' }, 'supervisor')).toMatchObject({ action: 'print', message: expect.stringMatching(/test receipt queued/) });
    expect((await job).text).toContain('打印测试');
    const before = f.t.ledger.head().seq;
    expect(await f.ok('devices.test', { action: 'drawer' }, 'manager')).toMatchObject({ message: 'drawer kicked; it reads open' });
    const entries = f.t.ledger.entries(before + 1, 10);
    expect(entries.map((e) => e.type)).toEqual(['DrawerOpened']);
    expect(JSON.parse(entries[0]?.payload ?? '{}')).toMatchObject({ cause: 'no-sale', cashier: '3001', reason: 'drawer test (devices.test)' });
    await f.ok('devices.test', { action: 'display' }, 'supervisor');
    await until(() => sim.display.screen.rows[0].includes('欢迎光临'), 5000, 'the display test');
  });

  it('with the wait-for-drawer rule, the next sale is refused while the drawer is open', async () => {
    const { f, sim } = await setUp({ waitForClose: true });
    await f.ok('cart.scan', { code: WATER });
    await f.ok('tender.cash', { tendered: 500 });
    await until(() => sim.printer.condition.drawerOpen, 8000, 'the kick');
    const refused = await f.call('cart.scan', { code: COLA });
    expect(refused.error).toEqual({ code: 'drawer-open', message: expect.stringMatching(/drawer is open: close it/) });
    sim.printer.set({ drawerOpen: false });
    await f.ok('cart.scan', { code: COLA });
    // an open sale goes on while the drawer is open (only the next sale waits)
    sim.printer.set({ drawerOpen: true });
    await f.ok('cart.scan', { code: WATER });
  });

  it('a terminal without devices answers the device calls with clear refusals', async () => {
    const f = await openFixture();
    cleanups.push(() => f.close());
    expect(await f.ok('devices.status', {})).toEqual({ scanner: null, printer: null, drawer: null, display: null, waiting: [] });
    expect((await f.call('receipt.reprint', { receiptNo: 'x' })).error).toEqual({ code: 'device-error', message: 'no receipt printer is configured on this terminal' });
    expect((await f.call('devices.test', { action: 'display' }, 'supervisor')).error?.code).toBe('device-error');
    expect((await f.call('report.print', { kind: 'x' }, 'supervisor')).error).toEqual({ code: 'device-error', message: 'no receipt printer is configured on this terminal' });
    expect(await f.ok('receipt.jobs', {})).toEqual({ jobs: [] });
  });
});
