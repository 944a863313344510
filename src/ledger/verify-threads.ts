/**
 * Runs walkRange in a worker thread. From the TypeScript sources (the till
 * command, tests) the worker loads verify-worker.ts through tsx's require
 * hook; from a build it loads the compiled verify-worker.js beside this file.
 * When neither is there, the range is walked in this thread instead.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { TillError, type ErrorCode } from '../shared/errors';
import { openSqlite } from './files';
import { walkRange, type RangeResult } from './walk';

export interface WalkJob {
  file: string;
  from: number;
  to: number;
  nativeBinding?: string;
}

export type WorkerReply = { ok: true; result: RangeResult } | { ok: false; code: ErrorCode; message: string };

function startWorker(job: WalkJob): Worker | null {
  const fromSource = path.extname(__filename) === '.ts';
  const entry = path.join(__dirname, `verify-worker${fromSource ? '.ts' : '.js'}`);
  if (!fs.existsSync(entry)) return null;
  if (!fromSource) return new Worker(entry, { workerData: job });
  const tsx = createRequire(__filename).resolve('tsx/cjs');
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(entry)});`, { eval: true, workerData: job });
}

function walkHere(job: WalkJob): RangeResult {
  const db = openSqlite(job.file, { readonly: true, ...(job.nativeBinding ? { nativeBinding: job.nativeBinding } : {}) });
  try {
    return walkRange(db, job.from, job.to, job.file);
  } finally {
    db.close();
  }
}

export function walkInWorker(file: string, from: number, to: number, nativeBinding?: string): Promise<RangeResult> {
  const job: WalkJob = { file, from, to, ...(nativeBinding ? { nativeBinding } : {}) };
  const worker = startWorker(job);
  if (!worker) return Promise.resolve().then(() => walkHere(job));
  return new Promise((resolve, reject) => {
    worker.once('message', (reply: WorkerReply) => {
      if (reply.ok) resolve(reply.result);
      else reject(new TillError(reply.code, reply.message));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new TillError('internal', `the verify worker for entries ${from}-${to} stopped (exit ${code})`));
    });
  });
}
