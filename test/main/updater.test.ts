/**
 * The updater behind our module: the feed plan, the staged rollout (a stable
 * bucket per terminal, listed stores, a pinned version, a rollback), and an
 * update that downloads during a sale or a shift installs only once neither
 * is open. electron-updater is replaced by a recording double that speaks its
 * interface.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { updateRolloutSchema } from '../../src/shared/contract/catalog';
import { compareVersions, decideRollout, feedFor, planUpdates, rolloutBucket, startUpdater, type AutoUpdaterLike, type Feed, type UpdateGate } from '../../src/main/updater';

class RecordingUpdater extends EventEmitter implements AutoUpdaterLike {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  allowDowngrade = false;
  feeds: Feed[] = [];
  checks = 0;
  installs: Array<[boolean | undefined, boolean | undefined]> = [];
  constructor(private readonly failWith: Error | null = null) {
    super();
  }
  setFeedURL(options: Feed): void {
    this.feeds.push(options);
  }
  async checkForUpdates(): Promise<unknown> {
    this.checks++;
    if (this.failWith) throw this.failWith;
    return null;
  }
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void {
    this.installs.push([isSilent, isForceRunAfter]);
  }
}

/** a terminal as the updater sees it: busy while the test says so */
function fakeGate(rollout: unknown = null, who = { store: 'S001', terminal: 'T01' }) {
  let busy = false;
  const listeners = new Set<() => void>();
  const gate: UpdateGate = {
    identity: who,
    rollout: () => (rollout === null ? null : updateRolloutSchema.parse(rollout)),
    busy: () => busy,
    onChange: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return {
    gate,
    setBusy(v: boolean) {
      busy = v;
      for (const l of listeners) l();
    },
    listeners,
  };
}

const FEED = 'https://updates.example.com/till';

describe('planUpdates', () => {
  it('is off in development and without a feed, and says why', () => {
    expect(planUpdates({ packaged: false, feedUrl: FEED })).toEqual({ enabled: false, reason: 'updates are off in development' });
    expect(planUpdates({ packaged: true })).toMatchObject({ enabled: false, reason: expect.stringContaining('TILL_UPDATE_URL') as unknown });
    expect(planUpdates({ packaged: true, feedUrl: 'http://updates.example.com/' })).toMatchObject({ enabled: false, reason: expect.stringContaining('https') as unknown });
    expect(planUpdates({ packaged: true, feedUrl: '::' })).toMatchObject({ enabled: false });
  });

  it('uses the generic provider with the configured URL and channel', () => {
    expect(planUpdates({ packaged: true, feedUrl: `${FEED}/`, channel: 'beta' })).toEqual({ enabled: true, feed: { provider: 'generic', url: `${FEED}/`, channel: 'beta' } });
  });
});

describe('the staged rollout', () => {
  const who = { store: 'S001', terminal: 'T01' };

  it('gives each terminal a stable bucket, spread over 0-99', () => {
    expect(rolloutBucket('S001', 'T01')).toBe(rolloutBucket('S001', 'T01'));
    const buckets = Array.from({ length: 2000 }, (_, i) => rolloutBucket(`S${i % 200}`, `T${i}`));
    expect(Math.min(...buckets)).toBe(0);
    expect(Math.max(...buckets)).toBe(99);
    // about a tenth of a fleet falls under 10 %
    const under10 = buckets.filter((b) => b < 10).length;
    expect(under10).toBeGreaterThan(140);
    expect(under10).toBeLessThan(260);
  });

  it('takes part by percentage or by a listed store; the others stay', () => {
    const bucket = rolloutBucket(who.store, who.terminal);
    expect(decideRollout(updateRolloutSchema.parse({ percent: bucket + 1 }), who, '1.0.0')).toMatchObject({ take: true, version: null, downgrade: false });
    expect(decideRollout(updateRolloutSchema.parse({ percent: bucket }), who, '1.0.0')).toMatchObject({ take: false, reason: expect.stringContaining(`bucket ${bucket}`) as unknown });
    expect(decideRollout(updateRolloutSchema.parse({ percent: 0, stores: ['S001'] }), who, '1.0.0')).toMatchObject({ take: true, reason: expect.stringContaining('store S001 is listed') as unknown });
    expect(decideRollout(null, who, '1.0.0')).toMatchObject({ take: true, version: null });
  });

  it('pins a version: up is an update, down is a rollback, the same is nothing to do', () => {
    const r = (version: string) => updateRolloutSchema.parse({ percent: 100, version });
    expect(decideRollout(r('1.5.0'), who, '1.4.2')).toMatchObject({ take: true, version: '1.5.0', downgrade: false });
    expect(decideRollout(r('1.4.1'), who, '1.4.2')).toMatchObject({ take: true, version: '1.4.1', downgrade: true, reason: expect.stringContaining('roll back to 1.4.1') as unknown });
    expect(decideRollout(r('1.4.2'), who, '1.4.2')).toMatchObject({ take: false });
    expect(compareVersions('1.10.0', '1.9.9')).toBeGreaterThan(0);
    expect(compareVersions('1.5.0-beta.1', '1.5.0')).toBeLessThan(0);
    expect(feedFor({ provider: 'generic', url: FEED }, { take: true, version: '1.4.1', channel: 'latest', downgrade: true, reason: '' })).toEqual({ provider: 'generic', url: `${FEED}/1.4.1/` });
    expect(feedFor({ provider: 'generic', url: `${FEED}/` }, { take: true, version: null, channel: 'beta', downgrade: false, reason: '' })).toEqual({ provider: 'generic', url: `${FEED}/`, channel: 'beta' });
    expect(() => updateRolloutSchema.parse({ version: 'latest' })).toThrow();
  });
});

describe('startUpdater', () => {
  it('never loads electron-updater when updates are off', async () => {
    const lines: string[] = [];
    let loaded = false;
    const u = await startUpdater(
      { packaged: false },
      async () => {
        loaded = true;
        return new RecordingUpdater();
      },
      (l) => lines.push(l),
      fakeGate().gate,
      '1.0.0',
    );
    expect(await u.check()).toBeNull();
    expect(loaded).toBe(false);
    expect(lines).toEqual(['updater: updates are off in development']);
  });

  it('checks only when the rollout includes this terminal, with the downgrade switch for a rollback, and logs a failed check instead of throwing', async () => {
    const au = new RecordingUpdater(new Error('feed unreachable'));
    const lines: string[] = [];
    let rollout: unknown = { percent: 0 };
    const base = fakeGate();
    const gate: UpdateGate = { ...base.gate, rollout: () => updateRolloutSchema.parse(rollout) };
    const u = await startUpdater({ packaged: true, feedUrl: FEED }, async () => au, (l) => lines.push(l), gate, '1.4.2');
    expect(au.autoInstallOnAppQuit).toBe(true);
    expect(await u.check()).toMatchObject({ take: false });
    expect(au.checks).toBe(0);
    rollout = { percent: 100, version: '1.4.1' };
    expect(await u.check()).toMatchObject({ take: true, downgrade: true });
    expect(au.checks).toBe(1);
    expect(au.allowDowngrade).toBe(true);
    expect(au.feeds.at(-1)).toEqual({ provider: 'generic', url: `${FEED}/1.4.1/` });
    expect(lines).toContain('updater: feed unreachable');
    au.emit('error', new Error('bad signature'));
    expect(lines).toContain('updater: bad signature');
  });

  it('an update downloaded during a sale or a shift installs only once neither is open, silently, once', async () => {
    const au = new RecordingUpdater();
    const g = fakeGate();
    const lines: string[] = [];
    const u = await startUpdater({ packaged: true, feedUrl: FEED }, async () => au, (l) => lines.push(l), g.gate, '1.4.2');
    g.setBusy(true);
    au.emit('update-downloaded', { version: '1.5.0' });
    expect(u.pending()).toBe('1.5.0');
    g.setBusy(true);
    expect(au.installs).toEqual([]);
    g.setBusy(false);
    expect(au.installs).toEqual([[true, true]]);
    g.setBusy(false);
    expect(au.installs).toHaveLength(1);
    expect(lines).toContain('updater: installing 1.5.0 now that no sale or shift is open');
    u.stop();
    expect(g.listeners.size).toBe(0);
  });
});
