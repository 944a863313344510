import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openLedger } from '../../src/ledger/index';
import { STACK_LINE, tempDirs } from '../fixtures/ledger/helpers';
import { till, tillProcess } from '../support/till';

const tmp = tempDirs('cli-verify');

function ledgerWith(entries: number): { dir: string; lastHash: string } {
  const dir = path.join(tmp(), 'data');
  const ledger = openLedger(dir, { create: { store: 'S1', terminal: 'T1' } });
  for (let i = 0; i < entries; i++) ledger.append('Sale', { total: i });
  const lastHash = ledger.head().hash;
  ledger.close();
  return { dir, lastHash };
}

describe('till verify', () => {
  it('exits 0 for an intact ledger, with exactly the documented JSON', async () => {
    const { dir, lastHash } = ledgerWith(4);
    expect(await till('verify', '--data', dir)).toEqual({ code: 0, out: `ledger intact: 5 entries, last hash ${lastHash}\n`, err: '' });
    const j = await till('verify', '--data', dir, '--json');
    expect(j.code).toBe(0);
    expect(j.out).toBe(`{"ok":true,"entries":5,"lastHash":"${lastHash}","firstBad":null}\n`);
  });

  it('exits 1 naming the first bad seq and the reason', async () => {
    const { dir } = ledgerWith(6);
    const db = new Database(path.join(dir, 'ledger.db'));
    db.exec("DROP TRIGGER journal_no_update; UPDATE journal SET payload = '{\"total\":99}' WHERE seq = 4");
    const hash3 = db.prepare('SELECT hash FROM journal WHERE seq = 3').pluck().get() as string;
    db.close();
    const r = await till('verify', '--data', dir);
    expect(r.code).toBe(1);
    expect(r.out).toBe(`ledger DAMAGED at seq 4: hash-mismatch (entry 4: the stored hash is not the hash of the entry)\n3 entries intact before it, last intact hash ${hash3}\n`);
    const j = await till('verify', '--data', dir, '--json');
    expect(j.code).toBe(1);
    expect(JSON.parse(j.out)).toEqual({ ok: false, entries: 3, lastHash: hash3, firstBad: { seq: 4, reason: 'hash-mismatch' } });
  });

  it('usage errors exit 2', async () => {
    expect((await till('verify')).code).toBe(2);
  });

  it('missing, wrong, corrupt, truncated and foreign files: one clear line from the real command, never a stack trace', async () => {
    const base = tmp();
    const notADir = path.join(base, 'a-file');
    fs.writeFileSync(notADir, 'x');
    const corrupt = ledgerWith(1).dir;
    fs.writeFileSync(path.join(corrupt, 'ledger.db'), 'not a database at all'.repeat(300));
    const truncated = ledgerWith(300).dir;
    const tf = path.join(truncated, 'ledger.db');
    fs.truncateSync(tf, Math.floor(fs.statSync(tf).size / 3));
    const foreign = tmp();
    new Database(path.join(foreign, 'ledger.db')).exec('CREATE TABLE t (x)');
    const [missing, wrong, bad, cut, other] = await Promise.all([
      tillProcess('verify', '--data', path.join(base, 'nope')),
      tillProcess('verify', '--data', notADir),
      tillProcess('verify', '--data', corrupt),
      tillProcess('verify', '--data', truncated, '--json'),
      tillProcess('verify', '--data', foreign),
    ]);
    expect(missing).toMatchObject({ code: 3, out: '', err: `till verify: there is no data directory at ${path.join(base, 'nope')}; check the path, or create a ledger with: till init --data ${path.join(base, 'nope')} --store CODE --terminal CODE\n` });
    expect(wrong).toMatchObject({ code: 3, err: `till verify: ${notADir} is a file, not a data directory; pass the folder that holds ledger.db\n` });
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/^ledger DAMAGED in the file: integrity \(.*ledger\.db is damaged \(file is not a database\)/);
    expect(cut.code).toBe(1);
    expect(JSON.parse(cut.out)).toMatchObject({ ok: false, firstBad: { reason: 'integrity' } });
    expect(other).toMatchObject({ code: 3, err: `till verify: ${path.join(foreign, 'ledger.db')} is not a Till ledger (no journal table); check the path\n` });
    for (const r of [missing, wrong, bad, cut, other]) {
      expect(r.err + r.out).not.toMatch(STACK_LINE);
      expect(r.err.split('\n').filter(Boolean).length).toBeLessThanOrEqual(1);
    }
  });
});
