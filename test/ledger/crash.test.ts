/**
 * kill -9 at random moments loses no committed entry and leaves no partial
 * one. A child appends sale-sized entries and prints each seq after its
 * append returned; it is killed at a random moment (sometimes while still
 * starting or opening, mostly while appending). After each kill the ledger is
 * reopened as the writer (taking over the stale lock) and verified, and every
 * printed seq must be in it. Two lanes on two data directories run side by
 * side to keep the wall time down.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLedger, verifyLedger } from '../../src/ledger/index';
import { killHard, startFixture, tempDirs } from '../fixtures/ledger/helpers';

const tmp = tempDirs('crash');
const KILLS_PER_LANE = 26;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface LaneReport {
  /** rounds whose child was still running when SIGKILL reached it */
  kills: number;
  roundsWithAppends: number;
}

async function lane(dir: string): Promise<LaneReport> {
  openLedger(dir, { create: { store: 'S1', terminal: 'T1' } }).close();
  const report: LaneReport = { kills: 0, roundsWithAppends: 0 };
  for (let round = 0; round < KILLS_PER_LANE; round++) {
    const child = startFixture('appender', [dir, '1000000']);
    let out = '';
    let ready: () => void = () => undefined;
    const isReady = new Promise<void>((r) => (ready = r));
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.startsWith('ready\n')) ready();
    });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    if (round % 6 === 0) {
      await sleep(Math.random() * 500); // anywhere in start-up, open, or the first appends
    } else {
      await Promise.race([isReady, exited]);
      await sleep(Math.random() * 120);
    }
    await killHard(child);
    // a kill counts only if it met a live child: one that had exited by itself (a crash at start) proves nothing
    if (child.signalCode === 'SIGKILL') report.kills += 1;
    const printed = out
      .split('\n')
      .slice(0, -1) // a line cut by the kill has no newline yet
      .filter((l) => /^\d+$/.test(l))
      .map(Number);
    const v = await verifyLedger(dir);
    expect(v, `round ${round}`).toMatchObject({ ok: true, firstBad: null });
    const writer = openLedger(dir);
    const head = writer.head();
    expect(head.seq).toBe(v.entries);
    for (const seq of printed) {
      expect(seq, `round ${round}: printed seq ${seq} must be committed`).toBeLessThanOrEqual(head.seq);
      expect(writer.entries(seq, 1)[0]?.type).toBe('Sale');
    }
    writer.close();
    if (printed.length) report.roundsWithAppends += 1;
  }
  return report;
}

describe('kill -9 while appending', () => {
  it(`loses no printed entry and leaves no partial one over ${2 * KILLS_PER_LANE} kills`, async () => {
    // allSettled: a failing lane must not end the test while the other still starts children
    const settled = await Promise.allSettled([lane(path.join(tmp(), 'a')), lane(path.join(tmp(), 'b'))]);
    const reports = settled.map((r) => {
      if (r.status === 'rejected') throw r.reason;
      return r.value;
    });
    const kills = reports.reduce((n, r) => n + r.kills, 0);
    const withAppends = reports.reduce((n, r) => n + r.roundsWithAppends, 0);
    // the children run for up to 20 s, so every round's kill should meet a live one
    expect(kills).toBe(2 * KILLS_PER_LANE);
    // most kills must land while entries are being appended, or the test proves little
    expect(withAppends).toBeGreaterThanOrEqual(kills / 2);
  }, 90_000);
});
