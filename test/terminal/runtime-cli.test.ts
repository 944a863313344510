/**
 * The runtime under the CLI: `till simulate` on an enrolled terminal
 * replicates while it sells (--until-synced waits for the hub's last ack),
 * `till sync --until-idle` then has nothing left, and the hub's copy equals
 * the terminal's journal. `till terminal` reads DATA/devices.json and says
 * what it drives, or why it drives nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/hub/server';
import type { HubStore } from '../../src/hub/store/types';
import { openLedger } from '../../src/ledger/index';
import { tempDir } from '../hub/fixtures';
import { enrollLedger, sameJournal, startSqliteHub, type SqliteHub } from '../sync/setup';
import { till, tillServe } from '../support/till';
import { waitFor } from '../support/wait';

describe('the runtime in till simulate and till terminal', () => {
  let sqliteHub: SqliteHub;
  let store: HubStore;
  let hub: RunningHub;
  const dirs: string[] = [];
  const newDir = (name: string) => {
    const d = tempDir(name);
    dirs.push(d);
    return d;
  };
  beforeAll(async () => {
    sqliteHub = await startSqliteHub();
    ({ store, hub } = sqliteHub);
  });
  afterAll(async () => {
    await sqliteHub.close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('simulate on an enrolled terminal ends with hub == terminal, and till sync --until-idle agrees', async () => {
    const dir = newDir('rt-sim');
    expect((await till('init', '--data', dir, '--store', 'S7', '--terminal', 'T1')).code).toBe(0);
    const ledger = openLedger(dir);
    await enrollLedger(hub, store, ledger);
    ledger.close();

    const sim = await till('simulate', '--data', dir, '--sales', '15', '--seed', '7', '--until-synced', '30');
    expect(sim.err).toBe('');
    expect(sim.code).toBe(0);
    expect(sim.out.match(/^committed S7-T1-\d{8}$/gm)?.length).toBe(15);
    expect(sim.out).toMatch(/^synced: the hub has every entry up to \d+/m);

    const synced = await till('sync', '--data', dir, '--until-idle', '--timeout', '30');
    expect(synced.code).toBe(0);
    const reader = openLedger(dir, { readonly: true });
    try {
      expect(synced.out).toContain(`up to ${reader.head().seq} (hash ${reader.head().hash})`);
      expect(await sameJournal(store, reader)).toEqual({ count: reader.head().seq, lastHash: reader.head().hash, equal: true });
    } finally {
      reader.close();
    }
  });

  it('simulate --until-synced on a terminal that is not enrolled fails with the reason', async () => {
    const dir = newDir('rt-sim-off');
    expect((await till('init', '--data', dir, '--store', 'S7', '--terminal', 'T2')).code).toBe(0);
    const r = await till('simulate', '--data', dir, '--sales', '1', '--until-synced', '5');
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/--until-synced: the terminal in .* does not replicate to a hub \(till enroll\)/);
    expect((await till('simulate', '--data', dir, '--sales', '1', '--until-synced', 'soon')).code).toBe(2);
  });

  it('till terminal names the bad field of devices.json and still serves the lane', async () => {
    const dir = newDir('rt-term');
    expect((await till('init', '--data', dir, '--store', 'S7', '--terminal', 'T3')).code).toBe(0);
    fs.writeFileSync(path.join(dir, 'devices.json'), JSON.stringify({ scanner: { kind: 'serial', path: '/dev/ttyUSB0', suffix: 'TAB' } }));
    const t = tillServe('terminal', '--data', dir, '--lane-port', '0');
    await waitFor('the lane server', () => /lane server on http:\/\/127\.0\.0\.1:\d+/.test(t.output()));
    const r = await t.stop();
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/devices\.json: scanner\.suffix: .*\(selling without devices\)/);
    expect(r.out).toContain('terminal S7/T3: not replicating to a hub');
  });
});
