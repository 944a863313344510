import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLedger } from '../../src/ledger/index';
import { tempDir } from '../hub/fixtures';
import { hubUrlOf } from './sync-helpers';
import { till, tillServe } from '../support/till';
import { waitFor } from '../support/wait';

function sell(dir: string, n: number): { seq: number; hash: string } {
  const ledger = openLedger(dir);
  try {
    for (let i = 0; i < n; i++) ledger.append('TestSale', { total: 100 + i, lines: [{ sku: 'COLA', qty: 1 }] });
    return ledger.head();
  } finally {
    ledger.close();
  }
}

describe('till hub, enroll, sync and hub status', () => {
  const hubDir = tempDir('cli-hub');
  const termDir = tempDir('cli-term');
  let hub: ReturnType<typeof tillServe>;
  let url: string;

  beforeAll(async () => {
    hub = tillServe('hub', '--data', hubDir, '--port', '0');
    url = await waitFor('the hub to start', () => hubUrlOf(hubDir));
    expect((await till('init', '--data', termDir, '--store', 'S1', '--terminal', 'T1')).code).toBe(0);
  });
  afterAll(async () => {
    const r = await hub.stop();
    expect(r.code).toBe(0);
    fs.rmSync(hubDir, { recursive: true, force: true });
    fs.rmSync(termDir, { recursive: true, force: true });
  });

  it('refuses to sync before enrollment, with the reason', async () => {
    const r = await till('sync', '--data', termDir, '--until-idle');
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/not enrolled/);
  });

  it('enrolls with a one-time code, stores the token 0600, and refuses a code for another terminal', async () => {
    const other = await till('hub', 'enroll-code', '--data', hubDir, '--store', 'S1', '--terminal', 'T2');
    const bad = await till('enroll', '--data', termDir, '--hub', url, '--code', other.out.trim());
    expect(bad.code).toBe(3);
    expect(bad.err).toMatch(/for S1\/T2, but this ledger is S1\/T1/);
    const code = await till('hub', 'enroll-code', '--data', hubDir, '--store', 'S1', '--terminal', 'T1');
    expect(code.out.trim()).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const ok = await till('enroll', '--data', termDir, '--hub', url, '--code', code.out.trim());
    expect(ok).toMatchObject({ code: 0, out: `enrolled S1/T1 with ${url}\n` });
    const file = path.join(termDir, 'hub-credentials.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const reuse = await till('enroll', '--data', termDir, '--hub', url, '--code', code.out.trim());
    expect(reuse.err).toMatch(/unknown or was already used/);
  });

  it('pushes everything with --until-idle and hub status shows the same head', async () => {
    const head = sell(termDir, 1234);
    const r = await till('sync', '--data', termDir, '--until-idle', '--timeout', '30');
    expect(r.err).toBe('');
    expect(r).toMatchObject({ code: 0, out: `synced: the hub has every entry up to ${head.seq} (hash ${head.hash})\n` });
    const st = await till('hub', 'status', '--data', hubDir, '--json');
    const doc = JSON.parse(st.out) as { terminals: Array<{ terminalId: string; hwm: { seq: number; hash: string }; lastSeen: string | null; queueDepth: number | null }> };
    expect(doc.terminals.find((t) => t.terminalId === 'S1/T1')).toMatchObject({ hwm: head, queueDepth: expect.any(Number) });
    const text = await till('hub', 'status', '--data', hubDir);
    expect(text.out).toContain(`S1/T1`);
    expect(text.out).toContain(`seq ${String(head.seq).padStart(8)}`);
  });

  it('a revoked terminal cannot push: sync fails with the reason', async () => {
    const head = sell(termDir, 3);
    expect((await till('hub', 'revoke', '--data', hubDir, '--terminal', 'T1')).out).toMatch(/revoked S1\/T1/);
    const r = await till('sync', '--data', termDir, '--until-idle', '--timeout', '10');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/revoked/);
    const st = JSON.parse((await till('hub', 'status', '--data', hubDir, '--json')).out) as { terminals: Array<{ terminalId: string; revoked: boolean; hwm: { seq: number } }> };
    expect(st.terminals.find((t) => t.terminalId === 'S1/T1')).toMatchObject({ revoked: true, hwm: { seq: head.seq - 3 } });
  });
});
