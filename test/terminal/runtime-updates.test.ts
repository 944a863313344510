/**
 * The staged rollout as a terminal receives it: the hub changes the store
 * settings, the terminal's synced settings carry the rollout, and the updater
 * (src/main/updater.ts, with a recording electron-updater) decides from
 * them; an update downloaded while the shift is open installs once it closes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideRollout, startUpdater, type AutoUpdaterLike, type Feed } from '../../src/main/updater';
import { APP_VERSION } from '../../src/shared/version';
import { updateGate } from '../../src/terminal';
import { startSqliteHub, type SqliteHub } from '../sync/setup';
import { cleanupsAfterEach, until } from '../support/wait';
import { SETTINGS } from './fixture';
import { runtimeKit } from './runtime-kit';

const cleanups = cleanupsAfterEach();
const { dataDir, start, signIn } = runtimeKit(cleanups);

let hub: SqliteHub;
beforeAll(async () => {
  hub = await startSqliteHub();
});
afterAll(async () => {
  await hub.close();
});

class RecordingUpdater implements AutoUpdaterLike {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  allowDowngrade = false;
  feeds: Feed[] = [];
  installs = 0;
  private downloaded: ((info: { version: string }) => void) | null = null;
  setFeedURL(f: Feed): void {
    this.feeds.push(f);
  }
  async checkForUpdates(): Promise<unknown> {
    return null;
  }
  quitAndInstall(): void {
    this.installs += 1;
  }
  on(event: 'error' | 'update-downloaded', listener: ((e: Error) => void) | ((info: { version: string }) => void)): this {
    if (event === 'update-downloaded') this.downloaded = listener as (info: { version: string }) => void;
    return this;
  }
  download(version: string): void {
    this.downloaded?.({ version });
  }
}

describe('the update rollout on a running terminal', () => {
  it('reads the rollout the hub sets in the store settings, and installs only after the shift closes', async () => {
    const dir = await dataDir(hub);
    const rt = await start(dir, [], { backups: null });
    await rt.sync?.replicator.untilIdle(10_000);
    const gate = updateGate(rt.terminal, { pollMs: 20 });
    expect(gate.rollout()).toBeNull();
    // the kit's lane has its shift open
    expect(gate.busy()).toBe(true);

    await hub.hub.changeCatalog([{ kind: 'settings', key: 'store', data: { ...SETTINGS, updates: { percent: 100, version: '9.9.9', channel: 'beta' } } }]);
    await until(() => gate.rollout()?.version === '9.9.9', 10_000, 'the rollout in the synced settings');
    expect(decideRollout(gate.rollout(), gate.identity, APP_VERSION)).toMatchObject({ take: true, version: '9.9.9', downgrade: false });

    const au = new RecordingUpdater();
    const lines: string[] = [];
    const updater = await startUpdater({ packaged: true, feedUrl: 'https://updates.example.com/till/' }, async () => au, (l) => lines.push(l), gate, APP_VERSION);
    cleanups.push(() => updater.stop());
    await updater.check();
    expect(au.feeds).toEqual([{ provider: 'generic', url: 'https://updates.example.com/till/9.9.9/', channel: 'beta' }]);

    au.download('9.9.9');
    expect(au.installs).toBe(0);
    const session = await signIn(rt);
    const closed = await rt.terminal.dispatch('shift.close', { counted: [] }, { sessionToken: session });
    expect(closed.ok).toBe(true);
    await until(() => au.installs === 1, 5000, 'the install after the shift closed');
    expect(lines).toContain('updater: installing 9.9.9 now that no sale or shift is open');

    // the hub narrows the rollout to another store: this terminal holds
    await hub.hub.changeCatalog([{ kind: 'settings', key: 'store', data: { ...SETTINGS, updates: { percent: 0, stores: ['S99'] } } }]);
    await until(() => gate.rollout()?.percent === 0, 10_000, 'the narrowed rollout');
    expect(await updater.check()).toMatchObject({ take: false });
    expect(au.feeds).toHaveLength(1);
  });
});
