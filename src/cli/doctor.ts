/**
 * `till doctor`: every check IT staff would make on a till, each answering
 * ok, warn or fail with one sentence and the fix, in the person's language
 * (src/cli/messages.ts). In order:
 *
 *   ledger        the Genesis entry, the last 1,000 entries and the chain head
 *                 recomputed, no gap (--full: the whole chain and SQLite's
 *                 integrity check, as till verify)
 *   disk          free space where the data directory lives
 *   permissions   the data directory private (0700) and writable, its files 0600
 *   backup        the newest backup's age (warn after 26 h, fail after 72 h),
 *                 that it verifies, the second folder when one is configured
 *   devices       each device of devices.json: reachable, and its status
 *                 (paper, cover, drawer); from the running terminal's own
 *                 status when it runs (it holds the ports)
 *   hub           GET /api/health answers (stand-alone tills pass)
 *   tls           https, the certificate trusted and not about to expire
 *   token         the hub accepts the till's token (a socket.io handshake)
 *   clock         skew against the hub's clock (warn 30 s, fail 2 min)
 *   replication   entries waiting for the hub and for how long (warn 15 min,
 *                 fail 24 h), a refusal or divergence the replicator recorded
 *   timezone      the store's UTC offset against this computer's
 *   business-day  earlier days (up to 30) with sales and no Z report (a
 *                 week old or more: fail)
 *
 * Nothing is written to the data directory; the devices are opened only when
 * no terminal runs. A check that cannot run says why instead of passing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CREDENTIALS_FILE, fileTokenVault } from '../sync/credentials';
import { sqliteReplicationState } from '../sync/sqlite-state';
import { checkToken } from '../sync/token-check';
import type { Credentials } from '../sync/types';
import { businessDay, dayRange } from '../core/shift';
import { isTillError } from '../shared/errors';
import {
  LEDGER_FILE,
  listBackups,
  pendingMigrations,
  openLedger,
  runningWriter,
  verifyLedger,
  verifyLedgerFile,
  verifyLedgerTail,
  type Ledger,
  type VerifyResult,
} from '../ledger/index';
import {
  BACKUP_DIR,
  CatalogReader,
  DEVICES_FILE,
  probeHub,
  readDevicesFile,
  readRuntimeStatus,
  readTerminalConfig,
  startFileDevices,
  statusView,
  type RuntimeStatus,
} from '../terminal/index';
import { bytes, duration, seconds, t, type Lang, type MessageKey, type Params } from './messages';
import type { DevicesStatusView } from '../shared/contract/devices';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  name: string;
  status: CheckStatus;
  message: string;
  /** what to do, when the check is not ok */
  fix?: string;
}

export interface DoctorReport {
  ok: boolean;
  checks: CheckResult[];
}

export interface DoctorOptions {
  dir: string;
  lang: Lang;
  full?: boolean;
  now?: () => Date;
  /** for each network or device step (default 5 s) */
  timeoutMs?: number;
  /** entries walked by the fast ledger check (default 1000) */
  tail?: number;
  /** a hub slower than this to answer is a warning (default 2 s) */
  slowMs?: number;
}

type Msg = [MessageKey, Params?];

interface Finding {
  name: string;
  status: CheckStatus;
  msg: Msg;
  fix?: Msg;
}

const ok = (name: string, msg: Msg): Finding => ({ name, status: 'ok', msg });
const warn = (name: string, msg: Msg, fix: Msg): Finding => ({ name, status: 'warn', msg, fix });
const fail = (name: string, msg: Msg, fix: Msg): Finding => ({ name, status: 'fail', msg, fix });

const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

const HOUR = 3_600_000;

/** the replication reasons the bundles name (doctor.syncReason.*) */
const SYNC_REASON_KEYS: ReadonlySet<string> = new Set(['unauthenticated', 'revoked', 'offline', 'timeout', 'ledger-diverged', 'hub-untrusted', 'insecure-hub', 'bad-signature', 'hub-key-missing']);
const MIB = 1024 * 1024;

function ledgerFinding(r: VerifyResult, dir: string, full: boolean, tail: { from: number; head: number } | null): Finding {
  if (r.ok) return ok('ledger', full || !tail ? ['doctor.ledger.okFull', { n: r.entries }] : ['doctor.ledger.okTail', { from: tail.from, head: tail.head }]);
  if (!r.firstBad || r.firstBad.seq === 0) return fail('ledger', ['doctor.ledger.badFile', { detail: r.detail ?? '' }], ['doctor.ledger.fixBad', { dir }]);
  return fail('ledger', ['doctor.ledger.bad', { seq: r.firstBad.seq, reason: r.firstBad.reason, detail: r.detail ?? '' }], ['doctor.ledger.fixBad', { dir }]);
}

/** an intact ledger this version must still migrate (it was written by an older Till) is a warning; one written by a newer Till fails */
function migrationsFinding(dir: string, intact: Finding): Finding {
  try {
    const pending = pendingMigrations(dir);
    if (pending.length) return warn('ledger', ['doctor.ledger.pending', { n: pending.length, names: pending.map((m) => m.name).join(', ') }], ['doctor.ledger.fixPending', { dir }]);
    return intact;
  } catch (e) {
    return fail('ledger', ['doctor.ledger.badFile', { detail: errText(e) }], ['doctor.ledger.fixNewer']);
  }
}

async function checkLedger(o: Required<Pick<DoctorOptions, 'dir' | 'full' | 'tail'>>): Promise<Finding> {
  try {
    const r = o.full ? await verifyLedger(o.dir) : await verifyLedgerTail(o.dir, o.tail);
    const f = ledgerFinding(r, o.dir, o.full, o.full ? null : (r as Awaited<ReturnType<typeof verifyLedgerTail>>));
    return f.status === 'ok' ? migrationsFinding(o.dir, f) : f;
  } catch (e) {
    if (isTillError(e) && e.code === 'ledger-not-found') return fail('ledger', ['doctor.ledger.missing', { detail: e.message }], ['doctor.ledger.fixMissing', { dir: o.dir }]);
    return fail('ledger', ['doctor.ledger.badFile', { detail: errText(e) }], ['doctor.ledger.fixBad', { dir: o.dir }]);
  }
}

function checkDisk(dir: string): Finding {
  const st = fs.statfsSync(dir);
  const free = st.bavail * st.bsize;
  const percent = st.blocks > 0 ? Math.round((st.bavail / st.blocks) * 100) : 0;
  const params = { free: bytes(free), percent };
  if (free < 100 * MIB) return fail('disk', ['doctor.disk.full', params], ['doctor.disk.fix', { dir }]);
  if (free < 1024 * MIB || percent < 5) return warn('disk', ['doctor.disk.low', params], ['doctor.disk.fix', { dir }]);
  return ok('disk', ['doctor.disk.ok', params]);
}

function checkPermissions(dir: string): Finding {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    return fail('permissions', ['doctor.permissions.readonly', { dir }], ['doctor.permissions.fixReadonly', { dir }]);
  }
  const mode = fs.statSync(dir).mode & 0o777;
  const open: string[] = [];
  if (mode & 0o077) open.push(`${dir} (${mode.toString(8)})`);
  for (const f of [LEDGER_FILE, CREDENTIALS_FILE, DEVICES_FILE]) {
    const st = fs.statSync(path.join(dir, f), { throwIfNoEntry: false });
    if (st && st.mode & 0o077) open.push(`${f} (${(st.mode & 0o777).toString(8)})`);
  }
  if (open.length) return warn('permissions', ['doctor.permissions.open', { what: open.join(', ') }], ['doctor.permissions.fixOpen', { dir }]);
  return ok('permissions', ['doctor.permissions.ok', { mode: mode.toString(8).padStart(4, '0') }]);
}

async function checkBackup(dir: string, ledger: Ledger | null, running: RuntimeStatus | null, now: Date, lang: Lang): Promise<Finding> {
  const folder = path.join(dir, BACKUP_DIR);
  const fixParams = { dir, folder };
  const policy = readTerminalConfig(dir).config.backup;
  const newest = listBackups(folder, ledger?.identity)[0];
  if (running?.backup && !running.backup.ok) return fail('backup', ['doctor.backup.failed', { detail: running.backup.message ?? '' }], ['doctor.backup.fix', fixParams]);
  if (!newest) {
    const first = ledger ? (ledger.entries(1, 1)[0]?.at ?? null) : null;
    const age = first ? now.getTime() - Date.parse(first) : Infinity;
    if (age < 26 * HOUR) return warn('backup', ['doctor.backup.noneNew', { age: duration(lang, age) }], ['doctor.backup.fix', fixParams]);
    return fail('backup', ['doctor.backup.none', { folder }], ['doctor.backup.fix', fixParams]);
  }
  const v = await verifyLedgerFile(newest.file);
  if (!v.ok) return fail('backup', ['doctor.backup.damaged', { file: newest.name, detail: v.detail ?? '' }], ['doctor.backup.fixDamaged', fixParams]);
  const age = now.getTime() - newest.at.getTime();
  const params = { age: duration(lang, age), file: newest.name, n: v.entries };
  if (age > 72 * HOUR) return fail('backup', ['doctor.backup.veryStale', params], ['doctor.backup.fix', fixParams]);
  if (age > 26 * HOUR) return warn('backup', ['doctor.backup.stale', params], ['doctor.backup.fix', fixParams]);
  const second = policy.secondPath;
  if (second && !fs.statSync(second, { throwIfNoEntry: false })?.isDirectory()) {
    return warn('backup', ['doctor.backup.secondAbsent', { age: duration(lang, age), path: second }], ['doctor.backup.fixSecond', { path: second, dir }]);
  }
  return ok('backup', ['doctor.backup.ok', params]);
}

/** a serial device: open is ok, (re)connecting a warning (a terminal just started, a cable just put back), closed a failure */
function linkFinding(name: string, link: string, device: string, up: MessageKey, down: MessageKey): Finding {
  const fix: Msg = ['doctor.device.fixLink', { device }];
  if (link === 'open') return ok(name, [up, { device }]);
  if (link === 'connecting' || link === 'reconnecting') return warn(name, ['doctor.link.connecting', { device }], fix);
  return fail(name, [down, { device }], fix);
}

/** one finding per configured device, from the devices' states (the status strip's view); the states are named from the bundles */
function deviceFindings(v: DevicesStatusView, drawerState: string | null): Finding[] {
  const out: Finding[] = [];
  if (v.printer) {
    const p = v.printer;
    const params = { device: p.target, waiting: p.waitingJobs };
    const fix: Msg = ['doctor.device.fixPrinter', { device: p.target }];
    const msg: Msg = [`doctor.printer.${p.state}`, params];
    if (p.link === 'connecting' || p.link === 'reconnecting') out.push(warn('printer', ['doctor.link.connecting', { device: p.target }], fix));
    else if (p.state === 'ready' && p.waitingJobs === 0) out.push(ok('printer', msg));
    else if (p.state === 'ready' || p.state === 'paper-near-end' || p.state === 'unknown') out.push(warn('printer', p.waitingJobs ? ['doctor.printer.waiting', params] : msg, fix));
    else out.push(fail('printer', msg, fix));
  }
  if (v.scanner) {
    if (v.scanner.kind === 'wedge') out.push(ok('scanner', ['doctor.scanner.wedge']));
    else {
      const device = v.scanner.target ?? '';
      out.push(linkFinding('scanner', v.scanner.link ?? 'closed', device, 'doctor.scanner.connected', 'doctor.scanner.down'));
    }
  }
  if (v.drawer) {
    const state = drawerState ?? v.drawer.state;
    const msg: Msg = [state === 'open' ? 'doctor.drawer.open' : state === 'closed' ? 'doctor.drawer.closed' : 'doctor.drawer.unknown'];
    out.push(state === 'open' ? warn('drawer', msg, ['doctor.device.fixDrawer']) : ok('drawer', msg));
  }
  if (v.display) {
    out.push(linkFinding('display', v.display.link, v.display.target, 'doctor.display.connected', 'doctor.display.down'));
  }
  return out;
}

async function checkDevices(dir: string, running: RuntimeStatus | null, timeoutMs: number): Promise<Finding[]> {
  const f = readDevicesFile(dir);
  if (f.problem) return [fail('devices', ['doctor.devices.bad', { detail: f.problem }], ['doctor.devices.fixBad', { dir }])];
  if (!f.config) return [ok('devices', ['doctor.devices.none'])];
  if (running) {
    if (!running.devicesView) return [fail('devices', ['doctor.devices.notInUse'], ['doctor.devices.fixBad', { dir }])];
    return deviceFindings(running.devicesView, null);
  }
  const d = startFileDevices(dir);
  if (!d.manager) return [fail('devices', ['doctor.devices.bad', { detail: d.problem ?? '' }], ['doctor.devices.fixBad', { dir }])];
  try {
    await d.manager.whenReady(timeoutMs).catch(() => undefined);
    if (d.manager.hasPrinter) await d.manager.printerStatus().catch(() => undefined);
    const drawerState = f.config.drawer ? await d.manager.drawerState().catch(() => 'unknown' as const) : null;
    return deviceFindings(statusView(d.manager.status(), d.manager.jobs()), drawerState);
  } finally {
    await d.manager.stop();
  }
}

interface HubFindings {
  hub: Finding;
  tls: Finding;
  token: Finding;
  clock: Finding;
}

async function checkHub(dir: string, ledger: Ledger | null, running: RuntimeStatus | null, now: () => Date, timeoutMs: number, slowMs: number, lang: Lang): Promise<HubFindings> {
  let creds: Credentials | null = null;
  let sealed = false;
  try {
    creds = fileTokenVault(dir).read();
  } catch (e) {
    const raw = (() => {
      try {
        return JSON.parse(fs.readFileSync(path.join(dir, CREDENTIALS_FILE), 'utf8')) as { hubUrl?: unknown; terminalId?: unknown; ca?: unknown; sealedToken?: unknown };
      } catch {
        return null;
      }
    })();
    if (raw && typeof raw.hubUrl === 'string' && typeof raw.sealedToken === 'string') {
      sealed = true;
      creds = { hubUrl: raw.hubUrl, terminalId: String(raw.terminalId), token: '', ...(typeof raw.ca === 'string' ? { ca: raw.ca } : {}) };
    } else {
      const f = fail('hub', ['doctor.hub.credentials', { detail: errText(e) }], ['doctor.hub.fixCredentials', { dir }]);
      return { hub: f, tls: ok('tls', ['doctor.tls.none']), token: { ...f, name: 'token' }, clock: ok('clock', ['doctor.clock.none']) };
    }
  }
  if (!creds) {
    return { hub: ok('hub', ['doctor.hub.standalone']), tls: ok('tls', ['doctor.tls.none']), token: ok('token', ['doctor.token.none']), clock: ok('clock', ['doctor.clock.none']) };
  }
  const c = creds;
  const p = await probeHub(c.hubUrl, { ...(c.ca ? { ca: c.ca } : {}), timeoutMs });
  const store = ledger?.identity.store ?? '';
  const terminal = ledger?.identity.terminal ?? '';
  const tokenFix: Msg = ['doctor.token.fix', { dir, store, terminal }];

  let tlsF: Finding;
  const host = new URL(c.hubUrl).hostname;
  if (!p.tls) {
    tlsF = host === '127.0.0.1' || host === 'localhost' || host === '[::1]' ? ok('tls', ['doctor.tls.none']) : warn('tls', ['doctor.tls.plain', { url: c.hubUrl }], ['doctor.tls.fixPlain']);
  } else if (!p.fingerprint) {
    tlsF = fail('tls', ['doctor.tls.bad', { detail: p.problem ?? '' }], ['doctor.tls.fixBad', { dir }]);
  } else if (!p.trusted) {
    tlsF = fail('tls', ['doctor.tls.bad', { detail: p.tlsError ?? '' }], ['doctor.tls.fixBad', { dir }]);
  } else {
    const left = Date.parse(p.validTo ?? '') - now().getTime();
    const params = { subject: p.subject ?? '', date: (p.validTo ?? '').slice(0, 10), days: Math.max(0, Math.floor(left / (24 * HOUR))) };
    tlsF = left < 21 * 24 * HOUR ? warn('tls', ['doctor.tls.expiring', params], ['doctor.tls.fixExpiring', params]) : ok('tls', ['doctor.tls.ok', params]);
  }

  const hubF = !p.reachable
    ? fail('hub', ['doctor.hub.down', { detail: p.problem ?? '' }], ['doctor.hub.fix'])
    : (p.rttMs ?? 0) > slowMs
      ? warn('hub', ['doctor.hub.slow', { url: c.hubUrl, ms: p.rttMs ?? 0 }], ['doctor.hub.fixSlow'])
      : ok('hub', ['doctor.hub.ok', { url: c.hubUrl, ms: p.rttMs ?? 0 }]);

  let tokenF: Finding;
  if (running?.sync) {
    const r = running.sync;
    const why = r.reason && SYNC_REASON_KEYS.has(r.reason) ? t(lang, `doctor.syncReason.${r.reason}` as MessageKey) : t(lang, 'doctor.syncReason.other');
    if (r.connected) tokenF = ok('token', ['doctor.token.runningOk']);
    else if (r.reason === 'unauthenticated' || r.reason === 'revoked') tokenF = fail('token', ['doctor.token.runningDown', { detail: why }], tokenFix);
    else if (r.reason) tokenF = warn('token', ['doctor.token.runningDown', { detail: why }], ['doctor.hub.fix']);
    else tokenF = warn('token', ['doctor.token.runningConnecting'], ['doctor.hub.fix']);
  } else if (sealed) {
    tokenF = warn('token', ['doctor.token.sealed'], tokenFix);
  } else if (!p.reachable) {
    tokenF = warn('token', ['doctor.token.unknown', { detail: p.problem ?? '' }], ['doctor.hub.fix']);
  } else {
    const r = await checkToken(c, timeoutMs);
    tokenF = r.accepted ? ok('token', ['doctor.token.ok', { terminalId: c.terminalId }]) : fail('token', ['doctor.token.refused', { code: r.code, detail: r.message }], tokenFix);
  }

  let clockF: Finding;
  if (!p.hubTime) clockF = p.reachable ? warn('clock', ['doctor.clock.unknown'], ['doctor.clock.fix']) : warn('clock', ['doctor.token.unknown', { detail: p.problem ?? '' }], ['doctor.hub.fix']);
  else {
    const skew = now().getTime() - p.hubTime.getTime();
    const abs = Math.abs(skew);
    const sk = abs < 60_000 ? seconds(lang, abs) : duration(lang, abs);
    const params = { skew: sk, direction: t(lang, skew > 0 ? 'doctor.clock.ahead' : 'doctor.clock.behind') };
    clockF = abs >= 120_000 ? fail('clock', ['doctor.clock.skew', params], ['doctor.clock.fix']) : abs >= 30_000 ? warn('clock', ['doctor.clock.skew', params], ['doctor.clock.fix']) : ok('clock', ['doctor.clock.ok', params]);
  }
  return { hub: hubF, tls: tlsF, token: tokenF, clock: clockF };
}

function checkReplication(dir: string, ledger: Ledger, enrolled: boolean, now: Date, lang: Lang): Finding {
  const head = ledger.head().seq;
  if (!enrolled) return ok('replication', ['doctor.replication.standalone', { n: head }]);
  const state = sqliteReplicationState(ledger.db);
  const refusal = state.alerts().filter((a) => a.code === 'ledger-diverged' || a.code === 'revoked' || a.code === 'wrong-identity').at(-1);
  if (refusal) return fail('replication', ['doctor.replication.diverged', { code: refusal.code, detail: refusal.message }], ['doctor.replication.fixDiverged']);
  const acked = state.acked().seq;
  if (acked >= head) return ok('replication', ['doctor.replication.ok', { seq: head }]);
  const oldest = ledger.entries(acked + 1, 1)[0];
  const age = oldest ? now.getTime() - Date.parse(oldest.at) : 0;
  const params = { n: head - acked, age: duration(lang, age) };
  if (age > 24 * HOUR) return fail('replication', ['doctor.replication.stuck', params], ['doctor.replication.fix', { dir }]);
  if (age > 15 * 60_000) return warn('replication', ['doctor.replication.stuck', params], ['doctor.replication.fix', { dir }]);
  return ok('replication', ['doctor.replication.waiting', params]);
}

const utc = (minutes: number): string => {
  const sign = minutes < 0 ? '-' : '+';
  const a = Math.abs(minutes);
  return `${sign}${Math.floor(a / 60)}${a % 60 ? `:${String(a % 60).padStart(2, '0')}` : ''}`;
};

function checkTimezone(ledger: Ledger, now: Date): Finding {
  const settings = new CatalogReader(ledger.db).settings();
  const stored = ledger.db.prepare('SELECT settings FROM catalog_state WHERE id = 1').pluck().get() as string | null | undefined;
  const store = settings.utcOffsetMinutes;
  if (!stored) return warn('timezone', ['doctor.timezone.default', { store: utc(store) }], ['doctor.timezone.fixDefault']);
  const local = -now.getTimezoneOffset();
  if (local !== store) return warn('timezone', ['doctor.timezone.differs', { store: utc(store), local: utc(local) }], ['doctor.timezone.fix']);
  return ok('timezone', ['doctor.timezone.ok', { store: utc(store) }]);
}

function checkBusinessDay(dir: string, ledger: Ledger, now: Date): Finding {
  const offset = new CatalogReader(ledger.db).settings().utcOffsetMinutes;
  const today = businessDay(now, offset);
  const { from: todayFrom } = dayRange(today, offset);
  const since = new Date(Date.parse(todayFrom) - 30 * 24 * HOUR).toISOString();
  const days = ledger.db
    .prepare(
      `SELECT DISTINCT substr(strftime('%Y-%m-%dT%H:%M:%fZ', at, ? || ' minutes'), 1, 10) AS day FROM sales WHERE at >= ? AND at < ?
       EXCEPT SELECT business_day FROM day_closes ORDER BY day`,
    )
    .pluck()
    .all(String(offset), since, todayFrom) as string[];
  if (days.length) {
    // a week without a Z leaves the hub's and the head office's reports short: that is a failure
    const weekAgo = businessDay(new Date(now.getTime() - 7 * 24 * HOUR), offset);
    const f = days[0] as string <= weekAgo ? fail : warn;
    return f('business-day', ['doctor.day.open', { days: days.join(', ') }], ['doctor.day.fix', { dir }]);
  }
  return ok('business-day', ['doctor.day.ok', { today }]);
}

function render(f: Finding, lang: Lang): CheckResult {
  const r: CheckResult = { name: f.name, status: f.status, message: t(lang, f.msg[0], f.msg[1]) };
  if (f.fix) r.fix = t(lang, f.fix[0], f.fix[1]);
  return r;
}

export interface DoctorRun extends DoctorReport {
  identity: { store: string; terminal: string } | null;
  /** the running terminal's pid and the age of its status, when it runs */
  running: { pid: number; ageMs: number } | null;
}

export async function runDoctor(o: DoctorOptions): Promise<DoctorRun> {
  const dir = path.resolve(o.dir);
  const now = o.now ?? (() => new Date());
  const timeoutMs = o.timeoutMs ?? 5000;
  const findings: Finding[] = [];
  findings.push(await checkLedger({ dir, full: o.full ?? false, tail: o.tail ?? 1000 }));
  const exists = fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory() ?? false;
  let ledger: Ledger | null = null;
  try {
    ledger = openLedger(dir, { readonly: true });
  } catch {
    ledger = null;
  }
  try {
    const pid = exists ? runningWriter(dir) : null;
    const status = pid !== null ? readRuntimeStatus(dir) : null;
    const running = status && status.pid === pid && now().getTime() - Date.parse(status.at) < 2 * 60_000 ? status : null;
    if (exists) {
      findings.push(checkDisk(dir), checkPermissions(dir));
      findings.push(await checkBackup(dir, ledger, running, now(), o.lang));
      findings.push(...(await checkDevices(dir, running, timeoutMs)));
      const hub = await checkHub(dir, ledger, running, now, timeoutMs, o.slowMs ?? 2000, o.lang);
      findings.push(hub.hub, hub.tls, hub.token, hub.clock);
      if (ledger) {
        findings.push(checkReplication(dir, ledger, hub.hub.msg[0] !== 'doctor.hub.standalone', now(), o.lang));
        findings.push(checkTimezone(ledger, now()), checkBusinessDay(dir, ledger, now()));
      }
    }
    const checks = findings.map((f) => render(f, o.lang));
    return {
      ok: checks.every((c) => c.status !== 'fail'),
      checks,
      identity: ledger ? { ...ledger.identity } : null,
      running: running ? { pid: running.pid, ageMs: now().getTime() - Date.parse(running.at) } : null,
    };
  } finally {
    ledger?.close();
  }
}

