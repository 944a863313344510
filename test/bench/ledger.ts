/**
 * Ledger benchmark (npm run bench -- ledger [--json] [--quick]).
 *
 * In one run, on the same disk:
 * - the physical anchor: 512-byte appends each followed by fdatasync to a
 *   plain file (rawFdatasyncRate);
 * - durable journal appends: a sale-sized payload (about 1 KB of canonical
 *   JSON), each append its own transaction (WAL, synchronous=FULL), through
 *   the real Ledger.append: rate, p50, p99 and max latency;
 * - the ratio of the two rates. The two are measured in alternating slices
 *   (raw, journal, raw, journal, ...) so that a disk or CPU shared with other
 *   work weighs on both alike; the ratio is total journal appends per second
 *   over total raw appends per second;
 * - `till verify` (the real command, as a child process, start-up included)
 *   over 1,000,000 entries built in one transaction with synchronous=OFF
 *   (setup only); then the same verify in this process for its CPU time.
 * The 1-minute load average is printed with the figures: on a shared machine
 * it says how much of the CPU and disk the benchmark really had.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { canonicalJson } from '../../src/shared/canonical-json';
import { openLedger, verifyLedger } from '../../src/ledger/index';
import { rawFdatasyncRate, scratchDir, summarize, type BenchRow, type BenchSuite } from './harness';

const ROOT = path.resolve(__dirname, '../..');

/** A sale as the selling code journals it: 6 lines, tenders, totals; about 1 KB of canonical JSON. */
function sale(i: number): unknown {
  return {
    cartId: `C${String(i).padStart(10, '0')}`,
    cashier: 'U0001',
    shift: 42,
    lines: Array.from({ length: 6 }, (_, k) => ({
      sku: `6901234${String(k).padStart(6, '0')}`,
      name: ['矿泉水 550ml', '可口可乐 330ml', 'Instant noodles beef', '口香糖', 'Milk tea 500ml', 'Bread roll'][k],
      qty: 1 + (k % 3),
      unitPrice: 350 + k * 125,
      discount: k === 2 ? 50 : 0,
      tax: { rate: 1300, amount: 40 + k },
    })),
    totals: { subtotal: 5250, discount: 50, tax: 255, total: 5200, rounding: 0 },
    tenders: [{ kind: 'cash', amount: 10000 }, { kind: 'change', amount: -4800 }],
    member: null,
    promotions: [{ id: 'P-2026-03-A', saved: 50 }],
  };
}

interface Slices {
  rawPerSecond: number;
  rawP50: number;
  rawP99: number;
  journalPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  appends: number;
  bytes: number;
}

/** Alternating slices of raw fdatasync appends and journal appends, `rounds` of each. */
function alternate(dir: string, rounds: number, sliceSeconds: number): Slices {
  const ledger = openLedger(path.join(dir, 'append'), { create: { store: 'B1', terminal: 'T1' } });
  try {
    for (let i = 0; i < 200; i++) ledger.append('Sale', sale(i)); // warm-up: statements, page cache, WAL file
    let rawOps = 0;
    let rawSeconds = 0;
    const rawP50s: number[] = [];
    const rawP99s: number[] = [];
    const samples: number[] = [];
    let journalSeconds = 0;
    for (let r = 0; r < rounds; r++) {
      const raw = rawFdatasyncRate(dir, { seconds: sliceSeconds });
      rawOps += raw.perSecond * sliceSeconds;
      rawSeconds += sliceSeconds;
      rawP50s.push(raw.p50Ms);
      rawP99s.push(raw.p99Ms);
      const until = performance.now() + sliceSeconds * 1000;
      const t0 = performance.now();
      for (let i = 0; performance.now() < until; i++) {
        const payload = sale(samples.length);
        const s = performance.now();
        ledger.append('Sale', payload);
        samples.push(performance.now() - s);
      }
      journalSeconds += (performance.now() - t0) / 1000;
    }
    const { p50, p99, max } = summarize(samples);
    return {
      rawPerSecond: rawOps / rawSeconds,
      rawP50: summarize(rawP50s).p50,
      rawP99: summarize(rawP99s).p50,
      journalPerSecond: samples.length / journalSeconds,
      p50,
      p99,
      max,
      appends: samples.length,
      bytes: canonicalJson(sale(1)).length,
    };
  } finally {
    ledger.close();
  }
}

function buildEntries(dir: string, count: number): void {
  const ledger = openLedger(dir, { create: { store: 'B1', terminal: 'T2' } });
  try {
    ledger.db.pragma('synchronous = OFF'); // setup only: the measured verify reads what is written here
    const batch = 50_000;
    for (let done = 1; done < count; ) {
      const n = Math.min(batch, count - done);
      ledger.transaction(() => {
        for (let i = 0; i < n; i++) ledger.append('Sale', sale(done + i));
      });
      done += n;
    }
  } finally {
    ledger.close();
  }
  // Written with synchronous=OFF: flush it now, so the timed verify does not share the disk with this setup's write-back.
  const fd = fs.openSync(path.join(dir, 'ledger.db'), 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

const suite: BenchSuite = {
  name: 'ledger',
  summary: 'durable journal appends against raw fdatasync on the same disk, and till verify over 1,000,000 entries',
  async run({ quick, log }) {
    const dir = scratchDir('ledger');
    try {
      log(`scratch directory ${dir}`);
      const m = alternate(dir, quick ? 4 : 10, 0.5);
      log(`raw 512 B + fdatasync: ${m.rawPerSecond.toFixed(0)}/s; journal: ${m.journalPerSecond.toFixed(0)}/s over ${m.appends} appends of ${m.bytes} B`);
      const loadDuringAppends = os.loadavg()[0] as number;

      const count = quick ? 100_000 : 1_000_000;
      const vdir = path.join(dir, 'verify');
      const b0 = performance.now();
      buildEntries(vdir, count);
      log(`built ${count} entries in ${((performance.now() - b0) / 1000).toFixed(1)} s (${(fs.statSync(path.join(vdir, 'ledger.db')).size / 1e6).toFixed(0)} MB)`);
      const v0 = performance.now();
      const run = spawnSync(process.execPath, [path.join(ROOT, 'bin/till.cjs'), 'verify', '--data', vdir, '--json'], { encoding: 'utf8', timeout: 120_000 });
      const verifySeconds = (performance.now() - v0) / 1000;
      const result = JSON.parse(run.stdout || '{}') as { ok?: boolean; entries?: number };
      if (run.status !== 0 || result.ok !== true || result.entries !== count) {
        throw new Error(`till verify did not pass over the built ledger (exit ${run.status}): ${run.stdout} ${run.stderr}`);
      }

      // The same walk in this process, for its CPU time (every thread): what the verify costs when it has the machine to itself.
      const cpu0 = process.cpuUsage();
      const w0 = performance.now();
      const inProcess = await verifyLedger(vdir);
      const cpu = process.cpuUsage(cpu0);
      const inProcessSeconds = (performance.now() - w0) / 1000;
      if (!inProcess.ok) throw new Error(`verifyLedger failed over the built ledger: ${inProcess.detail}`);

      const rows: BenchRow[] = [
        { metric: 'raw 512 B append + fdatasync', value: Math.round(m.rawPerSecond), unit: 'ops/s' },
        { metric: 'raw append + fdatasync p50 (median of slices)', value: m.rawP50, unit: 'ms' },
        { metric: 'raw append + fdatasync p99 (median of slices)', value: m.rawP99, unit: 'ms' },
        { metric: `journal append (${m.bytes} B sale, 1 tx each)`, value: Math.round(m.journalPerSecond), unit: 'appends/s' },
        { metric: 'journal append p50', value: m.p50, unit: 'ms' },
        { metric: 'journal append p99', value: m.p99, unit: 'ms', target: '<= 5' },
        { metric: 'journal append max', value: m.max, unit: 'ms' },
        { metric: 'ratio appends / raw', value: m.journalPerSecond / m.rawPerSecond, unit: 'x', target: '>= 0.7' },
        { metric: 'load average (1 min) during appends', value: loadDuringAppends, unit: `on ${os.cpus().length} cpus` },
        { metric: `till verify, ${count} entries`, value: verifySeconds, unit: 's', target: '< 10' },
        { metric: `verifyLedger in-process, ${count} entries, wall`, value: inProcessSeconds, unit: 's' },
        { metric: `verifyLedger in-process, CPU time (all threads)`, value: (cpu.user + cpu.system) / 1e6, unit: 's' },
        { metric: 'load average (1 min) after verify', value: os.loadavg()[0] as number, unit: `on ${os.cpus().length} cpus` },
      ];
      return rows;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
export default suite;
