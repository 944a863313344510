/**
 * Auto-update behind a module of ours. electron-updater is loaded only when
 * updates are enabled (a packaged app with a feed URL), because merely
 * requiring it outside a packaged Electron app tries to reach the network.
 * The provider is configurable: a generic HTTPS feed whose URL comes from
 * TILL_UPDATE_URL or the terminal config; without one, updates are off.
 */

export interface UpdaterConfig {
  packaged: boolean;
  /** generic provider base URL (latest.yml etc. live there) */
  feedUrl?: string | undefined;
  channel?: string | undefined;
}

export type UpdaterPlan = { enabled: false; reason: string } | { enabled: true; feed: { provider: 'generic'; url: string; channel?: string } };

/** decides whether and from where to update, with the reason when not */
export function planUpdates(c: UpdaterConfig): UpdaterPlan {
  if (!c.packaged) return { enabled: false, reason: 'updates are off in development' };
  if (!c.feedUrl) return { enabled: false, reason: 'no update feed configured (set TILL_UPDATE_URL)' };
  let url: URL;
  try {
    url = new URL(c.feedUrl);
  } catch {
    return { enabled: false, reason: `update feed '${c.feedUrl}' is not a URL` };
  }
  if (url.protocol !== 'https:') return { enabled: false, reason: 'the update feed must be https' };
  const feed: { provider: 'generic'; url: string; channel?: string } = { provider: 'generic', url: url.href };
  if (c.channel) feed.channel = c.channel;
  return { enabled: true, feed };
}

/** the part of electron-updater's autoUpdater we use */
export interface AutoUpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  setFeedURL(options: { provider: 'generic'; url: string; channel?: string }): void;
  checkForUpdates(): Promise<unknown>;
  on(event: 'error', listener: (e: Error) => void): unknown;
}

export interface Updater {
  readonly plan: UpdaterPlan;
  /** checks once now; errors are logged, never thrown at the cashier */
  check(): Promise<void>;
}

/**
 * Starts the updater. `load` returns electron-updater's autoUpdater; it is
 * called only when updates are enabled. An update installs on the next quit,
 * never in the middle of a sale.
 */
export async function startUpdater(
  c: UpdaterConfig,
  load: () => Promise<AutoUpdaterLike>,
  log: (line: string) => void,
): Promise<Updater> {
  const plan = planUpdates(c);
  if (!plan.enabled) {
    log(`updater: ${plan.reason}`);
    return { plan, check: async () => undefined };
  }
  const au = await load();
  au.autoDownload = true;
  au.autoInstallOnAppQuit = true;
  au.setFeedURL(plan.feed);
  au.on('error', (e) => log(`updater: ${e.message}`));
  return {
    plan,
    check: async () => {
      try {
        await au.checkForUpdates();
      } catch (e) {
        log(`updater: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
  };
}
