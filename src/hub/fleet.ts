/**
 * The fleet as the console shows it, from what the hub stores per terminal.
 *
 * Online: connected more recently than disconnected, and heard from (a
 * connection, a status report, every 30 s) within `staleAfterMs`, so a
 * terminal behind a hub node that died does not stay online. Since: when it
 * connected (online) or was last heard from (offline). Missing: offline for
 * longer than the chain's missingAfterMinutes (and not revoked). Lag: from the
 * terminal's last status report, the entries it had not had acknowledged and
 * the age of the oldest of them at that time. Verified: the hub's high-water
 * mark, the last entry whose hash and link it checked, and when it arrived.
 */
import type { FleetSettings, TerminalView } from '../shared/hub-api/index';
import type { StatusReport } from '../shared/replication';
import type { FleetRow, HubStore } from './store/types';

export const FLEET_SETTINGS_KEY = 'fleet';
export const DEFAULT_FLEET_SETTINGS: FleetSettings = { missingAfterMinutes: 15 };
/** three missed status reports */
export const DEFAULT_STALE_AFTER_MS = 90_000;

export async function fleetSettings(store: HubStore): Promise<FleetSettings> {
  return { ...DEFAULT_FLEET_SETTINGS, ...((await store.setting<Partial<FleetSettings>>(FLEET_SETTINGS_KEY)) ?? {}) };
}

/** the age in seconds of the oldest entry waiting at the terminal when it reported (0: none waited; null: it did not say) */
export function lagSecondsOf(s: StatusReport): number | null {
  if (s.queueDepth === 0) return 0;
  return s.oldestPendingAt ? Math.max(0, Math.floor((Date.parse(s.at) - Date.parse(s.oldestPendingAt)) / 1000)) : null;
}

export function terminalView(r: FleetRow, now: Date, settings: FleetSettings, staleAfterMs = DEFAULT_STALE_AFTER_MS): TerminalView {
  const heard = r.lastSeen === null ? null : Date.parse(r.lastSeen);
  const connected = r.connectedAt !== null && (r.disconnectedAt === null || r.connectedAt > r.disconnectedAt);
  const online = r.revokedAt === null && connected && heard !== null && now.getTime() - heard <= staleAfterMs;
  const since = online ? r.connectedAt : r.lastSeen;
  const offlineFrom = heard ?? Date.parse(r.enrolledAt);
  const missing = !online && r.revokedAt === null && now.getTime() - offlineFrom > settings.missingAfterMinutes * 60_000;
  const s = r.status;
  const lagSeconds = s ? lagSecondsOf(s) : null;
  const devices = s?.devices ?? [];
  return {
    terminalId: r.id,
    store: r.store,
    terminal: r.terminal,
    enrolledAt: r.enrolledAt,
    revokedAt: r.revokedAt,
    online,
    since,
    lastSeen: r.lastSeen,
    appVersion: s?.appVersion ?? null,
    lag: { entries: s ? s.queueDepth : null, seconds: lagSeconds, reportedAt: r.statusAt },
    verified: { seq: r.hwm.seq, hash: r.hwm.hash, at: r.hwmAt },
    devices,
    faults: devices.filter((d) => !d.ok),
    lastError: s?.lastError ?? null,
    alerts: r.alertCount,
    openAlerts: r.openAlerts,
    missing,
  };
}
