import { describe, expect, it } from 'vitest';
import { planUpdates, startUpdater, type AutoUpdaterLike } from '../../src/main/updater';

class RecordingUpdater implements AutoUpdaterLike {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  feeds: unknown[] = [];
  checks = 0;
  errorListener: ((e: Error) => void) | null = null;
  constructor(private readonly failWith: Error | null = null) {}
  setFeedURL(options: { provider: 'generic'; url: string; channel?: string }): void {
    this.feeds.push(options);
  }
  async checkForUpdates(): Promise<unknown> {
    this.checks++;
    if (this.failWith) throw this.failWith;
    return null;
  }
  on(_event: 'error', listener: (e: Error) => void): this {
    this.errorListener = listener;
    return this;
  }
}

describe('planUpdates', () => {
  it('is off in development and without a feed, and says why', () => {
    expect(planUpdates({ packaged: false, feedUrl: 'https://updates.example.com/till' })).toEqual({ enabled: false, reason: 'updates are off in development' });
    expect(planUpdates({ packaged: true })).toMatchObject({ enabled: false, reason: expect.stringContaining('TILL_UPDATE_URL') });
    expect(planUpdates({ packaged: true, feedUrl: 'http://updates.example.com/' })).toMatchObject({ enabled: false, reason: expect.stringContaining('https') });
    expect(planUpdates({ packaged: true, feedUrl: '::' })).toMatchObject({ enabled: false });
  });

  it('uses the generic provider with the configured URL and channel', () => {
    expect(planUpdates({ packaged: true, feedUrl: 'https://updates.example.com/till/', channel: 'beta' })).toEqual({
      enabled: true,
      feed: { provider: 'generic', url: 'https://updates.example.com/till/', channel: 'beta' },
    });
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
    );
    await u.check();
    expect(loaded).toBe(false);
    expect(lines).toEqual(['updater: updates are off in development']);
  });

  it('configures the feed, installs on quit, and logs a failed check instead of throwing', async () => {
    const au = new RecordingUpdater(new Error('feed unreachable'));
    const lines: string[] = [];
    const u = await startUpdater({ packaged: true, feedUrl: 'https://updates.example.com/till' }, async () => au, (l) => lines.push(l));
    expect(au.feeds).toEqual([{ provider: 'generic', url: 'https://updates.example.com/till' }]);
    expect(au.autoInstallOnAppQuit).toBe(true);
    await u.check();
    expect(au.checks).toBe(1);
    expect(lines).toEqual(['updater: feed unreachable']);
    au.errorListener?.(new Error('bad signature'));
    expect(lines).toContain('updater: bad signature');
  });
});
