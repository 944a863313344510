/**
 * Auto-update behind a module of ours. electron-updater is loaded only when
 * updates are enabled (a packaged app with a feed URL), because merely
 * requiring it outside a packaged Electron app tries to reach the network.
 * The feed is a generic HTTPS folder (TILL_UPDATE_URL): the newest release's
 * latest.yml (latest-mac.yml, latest-linux.yml) at its root, and each release
 * also under VERSION/, so a terminal can be pointed at one version.
 *
 * Staged rollout: the hub's store settings carry an UpdateRollout (see
 * src/shared/contract/catalog.ts), read from the terminal's synced settings
 * at every check. A terminal takes part when its store is listed or its
 * bucket (a stable hash of STORE/TERMINAL, 0-99) is below the percentage;
 * the others stay where they are. A pinned version below the running one is
 * a rollback (electron-updater's allowDowngrade). Without a rollout the
 * terminal follows the feed's newest release.
 *
 * Never in the middle of a sale or a shift: the update downloads in the
 * background; it installs (silently, restarting the app) only once no cart
 * is open and no shift is open, looked at again whenever the terminal says
 * something changed, or when the app quits.
 */
import { createHash } from 'node:crypto';
import type { UpdateRollout } from '../shared/contract/catalog';

export interface UpdaterConfig {
  packaged: boolean;
  /** generic provider base URL (latest.yml etc. live there) */
  feedUrl?: string | undefined;
  channel?: string | undefined;
}

export interface Feed {
  provider: 'generic';
  url: string;
  channel?: string;
}

export type UpdaterPlan = { enabled: false; reason: string } | { enabled: true; feed: Feed };

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
  const feed: Feed = { provider: 'generic', url: url.href };
  if (c.channel) feed.channel = c.channel;
  return { enabled: true, feed };
}

/** the terminal's place in a percentage rollout: 0-99, the same on every check */
export function rolloutBucket(store: string, terminal: string): number {
  return createHash('sha256').update(`${store}/${terminal}`).digest().readUInt32BE(0) % 100;
}

/** compares release versions (1.4.2, 1.5.0-beta.1): negative when a < b */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const [main = '', pre] = v.split('-', 2);
    return { nums: main.split('.').map((n) => Number(n) || 0), pre: pre ?? null };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d !== 0) return d;
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === null) return 1;
  if (y.pre === null) return -1;
  return x.pre < y.pre ? -1 : 1;
}

export type RolloutDecision =
  | { take: false; reason: string }
  | { take: true; version: string | null; channel: string | null; downgrade: boolean; reason: string };

/** what this terminal does about updates under the hub's rollout (see the header) */
export function decideRollout(r: UpdateRollout | null | undefined, who: { store: string; terminal: string }, current: string): RolloutDecision {
  if (!r) return { take: true, version: null, channel: null, downgrade: false, reason: 'no rollout set at the hub: following the feed' };
  const bucket = rolloutBucket(who.store, who.terminal);
  const listed = r.stores.includes(who.store);
  if (!listed && bucket >= r.percent) return { take: false, reason: `not in this rollout (bucket ${bucket}, rollout ${r.percent}%, store ${who.store} not listed)` };
  const why = listed ? `store ${who.store} is listed` : `bucket ${bucket} is within ${r.percent}%`;
  if (r.version === null) return { take: true, version: null, channel: r.channel, downgrade: false, reason: `${why}: the newest release` };
  const cmp = compareVersions(r.version, current);
  if (cmp === 0) return { take: false, reason: `already on ${current}` };
  return { take: true, version: r.version, channel: r.channel, downgrade: cmp < 0, reason: `${why}: ${cmp < 0 ? 'roll back' : 'update'} to ${r.version}` };
}

/** the feed to check under a decision: the root for the newest release, VERSION/ for a pinned one */
export function feedFor(base: Feed, d: Extract<RolloutDecision, { take: true }>): Feed {
  const url = d.version ? new URL(`${d.version}/`, base.url.endsWith('/') ? base.url : `${base.url}/`).href : base.url;
  const channel = d.channel && d.channel !== 'latest' ? d.channel : base.channel;
  return { provider: 'generic', url, ...(channel ? { channel } : {}) };
}

/** the part of electron-updater's autoUpdater we use */
export interface AutoUpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  allowDowngrade: boolean;
  setFeedURL(options: Feed): void;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  on(event: 'error', listener: (e: Error) => void): unknown;
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
}

/** what the updater needs of the running terminal (src/terminal/runtime/update-gate.ts) */
export interface UpdateGate {
  readonly identity: { store: string; terminal: string };
  /** the rollout in the synced store settings, read at each check */
  rollout(): UpdateRollout | null;
  /** a cart or a shift is open: installing now would interrupt it */
  busy(): boolean;
  /** calls back when busy() may have changed; returns the unsubscribe function */
  onChange(listener: () => void): () => void;
}

export interface Updater {
  readonly plan: UpdaterPlan;
  /** checks once now under the current rollout; errors are logged, never thrown at the cashier */
  check(): Promise<RolloutDecision | null>;
  /** the version downloaded and waiting for a quiet moment, or null */
  pending(): string | null;
  stop(): void;
}

/**
 * Starts the updater. `load` returns electron-updater's autoUpdater; it is
 * called only when updates are enabled.
 */
export async function startUpdater(c: UpdaterConfig, load: () => Promise<AutoUpdaterLike>, log: (line: string) => void, gate: UpdateGate, current: string): Promise<Updater> {
  const plan = planUpdates(c);
  if (!plan.enabled) {
    log(`updater: ${plan.reason}`);
    return { plan, check: async () => null, pending: () => null, stop: () => undefined };
  }
  const au = await load();
  au.autoDownload = true;
  au.autoInstallOnAppQuit = true;
  au.on('error', (e) => log(`updater: ${e.message}`));
  let waiting: string | null = null;
  let installing = false;
  const installWhenQuiet = () => {
    if (!waiting || installing || gate.busy()) return;
    installing = true;
    log(`updater: installing ${waiting} now that no sale or shift is open`);
    au.quitAndInstall(true, true);
  };
  au.on('update-downloaded', (info) => {
    waiting = info.version;
    log(`updater: ${info.version} downloaded; it installs once no sale or shift is open`);
    installWhenQuiet();
  });
  const off = gate.onChange(installWhenQuiet);
  return {
    plan,
    pending: () => waiting,
    check: async () => {
      const d = decideRollout(gate.rollout(), gate.identity, current);
      if (!d.take) {
        log(`updater: ${d.reason}`);
        return d;
      }
      au.allowDowngrade = d.downgrade;
      au.setFeedURL(feedFor(plan.feed, d));
      log(`updater: ${d.reason}`);
      try {
        await au.checkForUpdates();
      } catch (e) {
        log(`updater: ${e instanceof Error ? e.message : String(e)}`);
      }
      return d;
    },
    stop: off,
  };
}
