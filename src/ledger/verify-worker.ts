/**
 * Worker thread of `till verify`: walks one seq range of a ledger file on
 * its own read-only connection and posts a WorkerReply.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { TillError } from '../shared/errors';
import { openSqlite } from './files';
import type { WalkJob, WorkerReply } from './verify-threads';
import { walkRange } from './walk';

function run(job: WalkJob): WorkerReply {
  try {
    const db = openSqlite(job.file, { readonly: true, ...(job.nativeBinding ? { nativeBinding: job.nativeBinding } : {}) });
    try {
      return { ok: true, result: walkRange(db, job.from, job.to, job.file) };
    } finally {
      db.close();
    }
  } catch (e) {
    if (e instanceof TillError) return { ok: false, code: e.code, message: e.message };
    return { ok: false, code: 'internal', message: e instanceof Error ? e.message : String(e) };
  }
}

parentPort?.postMessage(run(workerData as WalkJob));
