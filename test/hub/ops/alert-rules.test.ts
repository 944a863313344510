/**
 * The alert rules at chosen moments: each condition active past its
 * threshold and inactive below it, unknown (left as it is) while a terminal
 * is offline or catching up after it connects, everything inactive once it
 * is revoked; device faults keep the time the hub first saw them; a refusal
 * clears after a later stored batch.
 */
import { describe, expect, it } from 'vitest';
import { CATCH_UP_MS, DEFAULT_ALERT_SETTINGS, conditionsOf, faultsSince, refusalCleared } from '../../../src/hub/ops/alert-rules';
import { DEFAULT_FLEET_SETTINGS, terminalView } from '../../../src/hub/fleet';
import type { AlertRow, FleetRow } from '../../../src/hub/store/types';
import type { StatusReport } from '../../../src/shared/replication';

const NOW = new Date('2026-03-02T04:00:00.000Z');
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();

function report(o: Partial<StatusReport> = {}): StatusReport {
  return { appVersion: '1.0.0', at: NOW.toISOString(), devices: [], queueDepth: 0, oldestPendingAt: null, lastError: null, ...o };
}

/** a terminal connected 10 minutes ago that reported just now */
function row(o: Partial<FleetRow> = {}): FleetRow {
  return {
    id: 'S1/T1',
    store: 'S1',
    terminal: 'T1',
    tokenHash: 'h',
    enrolledAt: ago(7 * 24 * 60),
    revokedAt: null,
    hwm: { seq: 10, hash: 'a'.repeat(64) },
    lastSeen: NOW.toISOString(),
    status: report(),
    statusAt: NOW.toISOString(),
    faultsSince: {},
    connectedAt: ago(10),
    disconnectedAt: null,
    hwmAt: ago(1),
    alertCount: 0,
    openAlerts: [],
    ...o,
  };
}

function verdicts(r: FleetRow, settings = DEFAULT_ALERT_SETTINGS): Record<string, unknown> {
  const view = terminalView(r, NOW, DEFAULT_FLEET_SETTINGS);
  return Object.fromEntries([...conditionsOf(r, view, NOW, settings)].map(([code, v]) => [code, v === null ? 'unknown' : v.active ? v.details : 'inactive']));
}

const ALL_INACTIVE = {
  'terminal-offline': 'inactive',
  'replication-lag': 'inactive',
  'printer-paper-out': 'inactive',
  'scanner-unplugged': 'inactive',
  'drawer-open': 'inactive',
  'backup-stale': 'unknown',
  'clock-skew': 'inactive',
};

describe('alert rules', () => {
  it('finds nothing wrong with a healthy terminal (and cannot judge backups it does not report)', () => {
    expect(verdicts(row())).toEqual(ALL_INACTIVE);
  });

  it('raises an offline alert once the terminal is missing, and leaves its other conditions as they are while it is away', () => {
    const away = row({ lastSeen: ago(16), statusAt: ago(16), status: report({ at: ago(16), queueDepth: 900 }), disconnectedAt: ago(16) });
    expect(verdicts(away)).toMatchObject({ 'terminal-offline': { lastSeen: ago(16) }, 'replication-lag': 'unknown', 'printer-paper-out': 'unknown', 'clock-skew': 'unknown' });
    expect(verdicts(row({ lastSeen: ago(14), statusAt: ago(14), disconnectedAt: ago(14) }))['terminal-offline']).toBe('inactive');
  });

  it('raises lag over the entries or the minutes, but not while the terminal catches up after connecting', () => {
    expect(verdicts(row({ status: report({ queueDepth: 500, oldestPendingAt: ago(1) }) }))['replication-lag']).toEqual({ entries: 500, seconds: 60 });
    expect(verdicts(row({ status: report({ queueDepth: 3, oldestPendingAt: ago(31) }) }))['replication-lag']).toEqual({ entries: 3, seconds: 1860 });
    expect(verdicts(row({ status: report({ queueDepth: 499, oldestPendingAt: ago(29) }) }))['replication-lag']).toBe('inactive');
    const justBack = row({ connectedAt: new Date(NOW.getTime() - CATCH_UP_MS + 1000).toISOString(), status: report({ queueDepth: 5000, oldestPendingAt: ago(24 * 60) }) });
    expect(verdicts(justBack)['replication-lag']).toBe('unknown');
  });

  it('raises device faults only past their minutes, naming the devices and the time first seen', () => {
    const faults = { 'printer-paper-out|printer': ago(6), 'scanner-unplugged|/dev/ttyUSB0': ago(4), 'drawer-open|printer drawer': ago(11) };
    expect(verdicts(row({ faultsSince: faults }))).toMatchObject({
      'printer-paper-out': { devices: ['printer'], since: ago(6) },
      'scanner-unplugged': 'inactive',
      'drawer-open': { devices: ['printer drawer'], since: ago(11) },
    });
    expect(verdicts(row({ faultsSince: faults }), { ...DEFAULT_ALERT_SETTINGS, scannerUnpluggedMinutes: 0 })['scanner-unplugged']).toEqual({ devices: ['/dev/ttyUSB0'], since: ago(4) });
  });

  it('raises a stale backup by its age on the terminal’s clock plus the time since the report, and a till never backed up after the hours', () => {
    const b = (at: string | null) => ({ at, ok: true, secondary: 'off' as const, message: null });
    expect(verdicts(row({ status: report({ backup: b(ago(25 * 60)) }) }))['backup-stale']).toBe('inactive');
    expect(verdicts(row({ status: report({ backup: b(ago(27 * 60)) }) }))['backup-stale']).toMatchObject({ at: ago(27 * 60), ageSeconds: 27 * 3600 });
    /* the terminal's clock runs an hour ahead: its backup and its report move together */
    const ahead = (minutes: number) => new Date(NOW.getTime() + 3600_000 - minutes * 60_000).toISOString();
    expect(verdicts(row({ status: report({ at: ahead(0), backup: b(ahead(25 * 60)) }) }), { ...DEFAULT_ALERT_SETTINGS, clockSkewSeconds: 7200 })['backup-stale']).toBe('inactive');
    expect(verdicts(row({ status: report({ backup: b(null) }) }))['backup-stale']).toMatchObject({ at: null });
    expect(verdicts(row({ enrolledAt: ago(60), status: report({ backup: b(null) }) }))['backup-stale']).toBe('inactive');
  });

  it('raises clock skew either way past the seconds', () => {
    const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000).toISOString();
    expect(verdicts(row({ status: report({ at: at(121) }) }))['clock-skew']).toEqual({ seconds: 121 });
    expect(verdicts(row({ status: report({ at: at(-300) }) }))['clock-skew']).toEqual({ seconds: -300 });
    expect(verdicts(row({ status: report({ at: at(119) }) }))['clock-skew']).toBe('inactive');
  });

  it('clears everything of a revoked terminal', () => {
    const revoked = row({ revokedAt: ago(1), faultsSince: { 'printer-paper-out|printer': ago(60) }, status: report({ queueDepth: 9999, backup: { at: null, ok: false, secondary: 'off', message: null } }) });
    expect(verdicts(revoked)).toEqual({ ...ALL_INACTIVE, 'backup-stale': 'inactive' });
    const alert: AlertRow = { id: 1, terminalId: 'S1/T1', at: ago(5), code: 'ledger-diverged', message: 'm', details: {}, state: 'open', lastSeen: ago(5), clearedAt: null };
    expect(refusalCleared(alert, revoked)).toBe(true);
  });

  it('clears a refusal once a batch was stored after it was last seen', () => {
    const alert: AlertRow = { id: 1, terminalId: 'S1/T1', at: ago(5), code: 'bad-hash', message: 'm', details: {}, state: 'open', lastSeen: ago(3), clearedAt: null };
    expect(refusalCleared(alert, row({ hwmAt: ago(4) }))).toBe(false);
    expect(refusalCleared(alert, row({ hwmAt: ago(2) }))).toBe(true);
    expect(refusalCleared(alert, row({ hwmAt: null }))).toBe(false);
  });

  it('keeps the time a device fault was first seen while it lasts, and starts again once it went away', () => {
    const out = report({ devices: [{ name: 'printer', kind: 'printer', ok: false, state: 'paper-out' }, { name: 'sc', kind: 'scanner', ok: false, state: 'offline' }, { name: 'd', kind: 'drawer', ok: true, state: 'closed' }] });
    const first = faultsSince({}, out, ago(10));
    expect(first).toEqual({ 'printer-paper-out|printer': ago(10), 'scanner-unplugged|sc': ago(10) });
    expect(faultsSince(first, out, ago(5))).toEqual(first);
    const fixed = faultsSince(first, report({ devices: [{ name: 'printer', kind: 'printer', ok: true, state: 'ok' }] }), ago(4));
    expect(fixed).toEqual({});
    expect(faultsSince(fixed, out, ago(1))).toEqual({ 'printer-paper-out|printer': ago(1), 'scanner-unplugged|sc': ago(1) });
    expect(faultsSince({}, report({ devices: [{ name: 'p', kind: 'printer', ok: false, detail: 'paper out' }] }), ago(1))).toEqual({});
  });
});
