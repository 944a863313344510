/**
 * `till terminal` as a real process: an enrolled terminal with a backlog of
 * simulated sales starts its lane server and pushes the backlog to the hub;
 * SIGTERM stops it cleanly.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openLedger } from '../../src/ledger/index';
import { tempDir } from '../hub/fixtures';
import { hubUrlOf } from './sync-helpers';
import { till, tillServe } from '../support/till';
import { waitFor } from '../support/wait';

const ROOT = path.resolve(__dirname, '../..');

describe('till terminal', () => {
  const hubDir = tempDir('tp-hub');
  const termDir = tempDir('tp-term');
  const hub = tillServe('hub', '--data', hubDir, '--port', '0');
  afterAll(async () => {
    await hub.stop();
    fs.rmSync(hubDir, { recursive: true, force: true });
    fs.rmSync(termDir, { recursive: true, force: true });
  });

  it('serves the lane and replicates its journal until stopped', async () => {
    const url = await waitFor('the hub', () => hubUrlOf(hubDir));
    expect((await till('init', '--data', termDir, '--store', 'S3', '--terminal', 'T8')).code).toBe(0);
    expect((await till('simulate', '--data', termDir, '--sales', '30', '--seed', '3')).code).toBe(0);
    const code = (await till('hub', 'enroll-code', '--data', hubDir, '--store', 'S3', '--terminal', 'T8')).out.trim();
    expect((await till('enroll', '--data', termDir, '--hub', url, '--code', code)).code).toBe(0);
    const reader = openLedger(termDir, { readonly: true });
    const head = reader.head();
    reader.close();

    const child = spawn(process.execPath, [path.join(ROOT, 'bin/till.cjs'), 'terminal', '--data', termDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    await waitFor('the lane server', () => /lane server on http:\/\/127\.0\.0\.1:\d+/.test(out), 20_000);
    expect(out).toContain(`terminal S3/T8: replicating to ${url}`);
    let hubHwm = 0;
    for (let i = 0; i < 200 && hubHwm < head.seq; i++) {
      const st = JSON.parse((await till('hub', 'status', '--data', hubDir, '--json')).out) as { terminals: Array<{ hwm: { seq: number; hash: string } }> };
      hubHwm = st.terminals[0]?.hwm.seq ?? 0;
      if (hubHwm < head.seq) await new Promise((r) => setTimeout(r, 100));
    }
    expect(hubHwm).toBe(head.seq);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
