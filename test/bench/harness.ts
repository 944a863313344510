/**
 * Shared pieces of the benchmarks: percentiles, a row type the runner prints
 * as a table or JSON, and the physical anchor every throughput target is a
 * ratio of (512-byte appends with fdatasync to a plain file on the same disk).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface BenchRow {
  metric: string;
  value: number;
  unit: string;
  /** e.g. '>= 0.7' or '<= 5'; the runner marks the row pass/fail */
  target?: string;
}

export interface BenchSuite {
  name: string;
  summary: string;
  run(opts: { quick: boolean; log: (line: string) => void }): Promise<BenchRow[]>;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

export function summarize(samplesMs: number[]): { p50: number; p99: number; max: number } {
  const s = [...samplesMs].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p99: percentile(s, 99), max: s[s.length - 1] ?? Number.NaN };
}

export function meetsTarget(value: number, target: string | undefined): boolean | null {
  if (!target) return null;
  const m = /^(<=|>=|<|>)\s*([\d.]+)$/.exec(target.trim());
  if (!m) return null;
  const t = Number(m[2]);
  switch (m[1]) {
    case '<=': return value <= t;
    case '>=': return value >= t;
    case '<': return value < t;
    default: return value > t;
  }
}

/** A scratch directory on the same disk as the repository (not tmpfs), removed by the caller. */
export function scratchDir(prefix: string): string {
  const base = process.env.TILL_BENCH_DIR ?? path.join(os.tmpdir());
  return fs.mkdtempSync(path.join(base, `till-bench-${prefix}-`));
}

/** Raw rate of 512-byte appends each followed by fdatasync, for `seconds` or `max` writes. */
export function rawFdatasyncRate(dir: string, opts: { seconds?: number; max?: number } = {}): { perSecond: number; p50Ms: number; p99Ms: number } {
  const file = path.join(dir, 'raw-append.bin');
  const fd = fs.openSync(file, 'a');
  const buf = Buffer.alloc(512, 0x61);
  const samples: number[] = [];
  const until = performance.now() + (opts.seconds ?? 2) * 1000;
  const max = opts.max ?? 20_000;
  const t0 = performance.now();
  try {
    while (samples.length < max && performance.now() < until) {
      const s = performance.now();
      fs.writeSync(fd, buf);
      fs.fdatasyncSync(fd);
      samples.push(performance.now() - s);
    }
  } finally {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
  }
  const elapsed = (performance.now() - t0) / 1000;
  const { p50, p99 } = summarize(samples);
  return { perSecond: samples.length / elapsed, p50Ms: p50, p99Ms: p99 };
}
