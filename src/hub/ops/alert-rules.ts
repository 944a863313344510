/**
 * When an alert is open: pure rules over what the hub stores of a terminal
 * (its row, its last status report, the fleet view) at a moment `now`.
 *
 * Each condition answers active (with details), inactive, or unknown (null):
 * an offline terminal's last report is stale, so its lag, devices, backup and
 * clock are unknown and whatever alert is open for them stays open until the
 * terminal reports again. The offline alert itself follows the fleet view's
 * `missing` flag (offline longer than the fleet setting missingAfterMinutes).
 *
 * Lag is not judged in the first CATCH_UP_MS after a terminal connects: one
 * that was offline for a day reports a day of lag and then sends it, and
 * should not raise an alert and clear it a minute later.
 *
 * Device faults count from when the hub first saw them in a status report
 * (faultsSince, kept per terminal at each report, so every hub node reads
 * the same start); a fault that goes away and comes back starts again.
 * Clock skew is the terminal's clock in its report against the hub's clock
 * at receipt. Backup age is measured on the terminal's clock (the backup's
 * time against the report's), plus the time since the report.
 *
 * A refusal of a terminal's journal (ledger-diverged and the like) is opened
 * by ingest and clears when the hub stores a later batch from that terminal.
 */
import type { AlertCode, AlertSettings, TerminalView } from '../../shared/hub-api/index';
import { REFUSAL_ALERT_CODES } from '../../shared/hub-api/index';
import type { DeviceHealth, StatusReport } from '../../shared/replication';
import type { AlertRow, FleetRow } from '../store/types';

export const ALERT_SETTINGS_KEY = 'alerts';

export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  lagEntries: 500,
  lagMinutes: 30,
  paperOutMinutes: 5,
  scannerUnpluggedMinutes: 5,
  drawerOpenMinutes: 10,
  /** backups run hourly in business hours: a night without one is normal */
  backupHours: 26,
  clockSkewSeconds: 120,
};

export type FaultCode = 'printer-paper-out' | 'scanner-unplugged' | 'drawer-open';

/** the alert a device's report is about, if any */
export function faultOf(d: DeviceHealth): FaultCode | null {
  if (d.kind === 'printer' && d.state === 'paper-out') return 'printer-paper-out';
  if (d.kind === 'scanner' && !d.ok) return 'scanner-unplugged';
  if (d.kind === 'drawer' && d.state === 'open') return 'drawer-open';
  return null;
}

const faultKey = (code: FaultCode, device: string) => `${code}|${device}`;

/** the faults of a new status report, each with the time the hub first saw it (kept from `previous` while it lasts) */
export function faultsSince(previous: Readonly<Record<string, string>>, report: StatusReport, at: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of report.devices) {
    const code = faultOf(d);
    if (code === null) continue;
    const key = faultKey(code, d.name);
    out[key] = previous[key] ?? at;
  }
  return out;
}

export type Verdict = { active: true; message: string; details: Record<string, unknown> } | { active: false } | null;

const INACTIVE = { active: false } as const;
export const CATCH_UP_MS = 2 * 60_000;
const minutes = (ms: number) => Math.floor(ms / 60_000);

function fault(row: FleetRow, code: FaultCode, thresholdMinutes: number, now: Date, what: string): Verdict {
  const devices: string[] = [];
  let since: string | null = null;
  for (const [key, at] of Object.entries(row.faultsSince)) {
    if (!key.startsWith(`${code}|`)) continue;
    devices.push(key.slice(code.length + 1));
    if (since === null || at < since) since = at;
  }
  if (since === null) return INACTIVE;
  const ms = now.getTime() - Date.parse(since);
  if (ms < thresholdMinutes * 60_000) return INACTIVE;
  return { active: true, message: `${what} for ${minutes(ms)} min (${devices.join(', ')})`, details: { devices, since } };
}

function lag(row: FleetRow, s: StatusReport, view: TerminalView, now: Date, settings: AlertSettings): Verdict {
  const entries = s.queueDepth;
  const seconds = view.lag.seconds ?? 0;
  if (entries < settings.lagEntries && seconds < settings.lagMinutes * 60) return INACTIVE;
  if (row.connectedAt !== null && now.getTime() - Date.parse(row.connectedAt) < CATCH_UP_MS) return null;
  return { active: true, message: `${entries} entries not yet at the hub, the oldest waiting ${Math.floor(seconds / 60)} min`, details: { entries, seconds } };
}

function backup(row: FleetRow, s: StatusReport, statusAt: string, now: Date, settings: AlertSettings): Verdict {
  const b = s.backup;
  if (b === undefined || b === null) return null;
  const limit = settings.backupHours * 3600_000;
  if (b.at === null) {
    if (now.getTime() - Date.parse(row.enrolledAt) < limit) return INACTIVE;
    return { active: true, message: 'no backup yet', details: { at: null, ok: b.ok, secondary: b.secondary } };
  }
  const age = Date.parse(s.at) - Date.parse(b.at) + (now.getTime() - Date.parse(statusAt));
  if (age < limit) return INACTIVE;
  return { active: true, message: `newest backup ${Math.floor(age / 3600_000)} h old`, details: { at: b.at, ageSeconds: Math.floor(age / 1000), ok: b.ok, secondary: b.secondary } };
}

function clock(s: StatusReport, statusAt: string, settings: AlertSettings): Verdict {
  const seconds = Math.round((Date.parse(s.at) - Date.parse(statusAt)) / 1000);
  if (Math.abs(seconds) < settings.clockSkewSeconds) return INACTIVE;
  return { active: true, message: `clock ${Math.abs(seconds)} s ${seconds > 0 ? 'ahead of' : 'behind'} the hub`, details: { seconds } };
}

/** every condition of one terminal now: active, inactive, or unknown (null: leave an open alert as it is) */
export function conditionsOf(row: FleetRow, view: TerminalView, now: Date, settings: AlertSettings): Map<AlertCode, Verdict> {
  const out = new Map<AlertCode, Verdict>();
  const revoked = row.revokedAt !== null;
  out.set(
    'terminal-offline',
    !revoked && view.missing
      ? { active: true, message: `offline since ${row.lastSeen ?? 'enrollment'}`, details: { lastSeen: row.lastSeen, enrolledAt: row.enrolledAt } }
      : INACTIVE,
  );
  const s = row.status;
  const known = !revoked && view.online && s !== null && row.statusAt !== null;
  const when = (v: () => Verdict): Verdict => (revoked ? INACTIVE : known ? v() : null);
  out.set('replication-lag', when(() => lag(row, s as StatusReport, view, now, settings)));
  out.set('printer-paper-out', when(() => fault(row, 'printer-paper-out', settings.paperOutMinutes, now, 'printer out of paper')));
  out.set('scanner-unplugged', when(() => fault(row, 'scanner-unplugged', settings.scannerUnpluggedMinutes, now, 'scanner unplugged')));
  out.set('drawer-open', when(() => fault(row, 'drawer-open', settings.drawerOpenMinutes, now, 'cash drawer open')));
  out.set('backup-stale', when(() => backup(row, s as StatusReport, row.statusAt as string, now, settings)));
  out.set('clock-skew', when(() => clock(s as StatusReport, row.statusAt as string, settings)));
  return out;
}

const REFUSALS: ReadonlySet<string> = new Set(REFUSAL_ALERT_CODES);

export const isRefusal = (code: string): boolean => REFUSALS.has(code);

/** an open refusal alert clears once the hub has stored a batch after it, or the terminal was revoked */
export function refusalCleared(alert: AlertRow, row: FleetRow): boolean {
  return row.revokedAt !== null || (row.hwmAt !== null && row.hwmAt > alert.lastSeen);
}
