/**
 * till doctor: a healthy enrolled till is all ok (exit 0, the JSON shape,
 * Chinese and English), then each check is driven to its warnings and
 * failures the way they happen: a corrupt ledger and one an older Till wrote,
 * a full and a nearly full disk (tmpfs in a mount namespace), a read-only
 * mount and an open data directory, stale, damaged and missing backups and an
 * absent second folder, a printer out of paper and low on paper (the virtual
 * printer), a bad devices.json, a running terminal's own device status, an
 * unreachable and a slow hub (a delaying proxy), a certificate about to
 * expire and one that does not match the pin, a revoked token and a sealed
 * one, a skewed clock, entries waiting for the hub and a divergence, the
 * store's time zone, and business days left without a Z report.
 * (The time zone check has no failure: a different zone is a warning.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessDay } from '../../src/core/shift';
import { runDoctor, type CheckResult, type DoctorOptions } from '../../src/cli/doctor';
import { listBackups, openLedger } from '../../src/ledger/index';
import { lineLogger } from '../../src/shared/logger';
import { startTerminalRuntime } from '../../src/terminal';
import { till } from '../support/till';
import { startChaosProxy } from '../sync/chaos-proxy';
import { fixture, inMountNamespace } from '../support/mount-namespace';
import { cleanupsAfterEach, until } from '../support/wait';
import { doctorKit, localOffset, startTlsHub, type TlsHub } from './doctor-kit';

const cleanups = cleanupsAfterEach();
const { tmp, healthyTill } = doctorKit(cleanups);

const NAMES = ['ledger', 'disk', 'permissions', 'backup', 'printer', 'scanner', 'drawer', 'display', 'hub', 'tls', 'token', 'clock', 'replication', 'timezone', 'business-day'];

async function doctor(dir: string, o: Partial<DoctorOptions> = {}): Promise<Record<string, CheckResult>> {
  const r = await runDoctor({ dir, lang: 'en', timeoutMs: 3000, ...o });
  return Object.fromEntries(r.checks.map((c) => [c.name, c]));
}

const HOUR = 3_600_000;
const inHours = (h: number) => () => new Date(Date.now() + h * HOUR);

let hub: TlsHub;
let certDir: string;
beforeAll(async () => {
  certDir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'till-doctor-certs-'));
  hub = await startTlsHub(certDir);
});
afterAll(async () => {
  await hub.close();
  fs.rmSync(certDir, { recursive: true, force: true });
});

describe('a healthy enrolled till', () => {
  it('passes every check: exit 0, {ok, checks} as JSON, each with a sentence and no fix', async () => {
    const t = await healthyTill({ hub });
    const r = await till('doctor', '--data', t.dir, '--json', '--lang', 'en');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { ok: boolean; checks: CheckResult[] };
    expect(Object.keys(json)).toEqual(['ok', 'checks']);
    expect(json.checks.filter((c) => c.status !== 'ok')).toEqual([]);
    expect(json.ok).toBe(true);
    expect(json.checks.map((c) => c.name)).toEqual(NAMES);
    for (const c of json.checks) expect(Object.keys(c)).toEqual(['name', 'status', 'message']);
    const by = Object.fromEntries(json.checks.map((c) => [c.name, c.message]));
    expect(by.token).toBe(`the hub accepts this till (${t.id})`);
    // in Chinese every sentence is Chinese: no English word is left once addresses, paths, names and UTC are taken out
    const zh = JSON.parse((await till('doctor', '--data', t.dir, '--json', '--lang', 'zh-CN')).out) as { checks: CheckResult[] };
    for (const c of zh.checks) expect(c.message.replace(/\S*[/:.\-_]\S*/g, '').replace(/UTC|GB|MB|KB|ms/g, ''), c.name).not.toMatch(/[A-Za-z]{2,}/);
    expect(by.tls).toMatch(/^the hub certificate \(till-hub-365\) is trusted and valid until \d{4}-\d\d-\d\d$/);
    expect(by.printer).toMatch(/^receipt printer tcp:\/\/127\.0\.0\.1:\d+ is ready$/);
    expect(by.drawer).toBe('the cash drawer is closed');
    expect(by.scanner).toMatch(/^scanner serial:.*scanner\.tty is connected$/);
    expect(by.replication).toMatch(/^everything is at the hub \(entry \d+\)$/);
  });

  it('speaks Chinese by default and English when asked, with the same checks', async () => {
    const t = await healthyTill({ hub, devices: false });
    const zh = await till('doctor', '--data', t.dir);
    expect(zh.code).toBe(0);
    expect(zh.out).toContain(`till doctor：${t.dir}（门店 S1，收银机 ${t.id.split('/')[1]}）`);
    expect(zh.out).toMatch(/正常 +ledger +账本完好/);
    expect(zh.out).toMatch(/全部 \d+ 项检查通过\n$/);
    expect(zh.out).not.toContain('ledger intact');
    const en = await till('doctor', '--data', t.dir, '--lang', 'en');
    expect(en.out).toMatch(/ok +ledger +ledger intact/);
    expect(en.out).toMatch(/all \d+ checks passed\n$/);
    expect(en.out).not.toMatch(/[\u4e00-\u9fff]/);
    expect((await till('doctor', '--data', t.dir, '--lang', 'fr')).code).toBe(2);
  });
});

describe('ledger', () => {
  it('fails on a changed entry, names it, and tells to restore; the fast mode misses a change before its tail that --full finds', async () => {
    const t = await healthyTill({ hub: null, devices: false });
    const ledger = openLedger(t.dir);
    for (let i = 0; i < 20; i++) ledger.append('TestSale', { total: 100 + i });
    ledger.close();
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(path.join(t.dir, 'ledger.db'));
    db.exec('DROP TRIGGER journal_no_update');
    db.prepare("UPDATE journal SET payload = replace(payload, '105', '905') WHERE type = 'TestSale' AND payload LIKE '%105%'").run();
    db.close();
    const seq = (() => {
      const l = openLedger(t.dir, { readonly: true });
      try {
        return (l.db.prepare("SELECT seq FROM journal WHERE payload LIKE '%905%'").pluck().get() as number) ?? 0;
      } finally {
        l.close();
      }
    })();
    const head = seq + 14;
    const fast = await doctor(t.dir, { tail: 10 });
    expect(fast.ledger).toMatchObject({ status: 'ok', message: `ledger intact: the Genesis entry, entries ${head - 9} to ${head} and the chain head recomputed, no entry missing` });
    const whole = await doctor(t.dir, { full: true });
    expect(whole.ledger).toMatchObject({ status: 'fail', message: `ledger damaged at entry ${seq} (hash-mismatch): entry ${seq}: the stored hash is not the hash of the entry` });
    expect(whole.ledger?.fix).toContain(`till verify --data ${t.dir}`);
    const r = await till('doctor', '--data', t.dir, '--json', '--lang', 'en');
    expect(r.code).toBe(1);
    expect((JSON.parse(r.out) as { ok: boolean }).ok).toBe(false);
  });

  it('warns when an older Till wrote it (upgrade steps pending); fails when there is none', async () => {
    const t = await healthyTill({ hub: null, devices: false });
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(path.join(t.dir, 'ledger.db'));
    const last = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version DESC LIMIT 1').get() as { version: number; name: string };
    db.prepare('DELETE FROM schema_migrations WHERE version = ?').run(last.version);
    db.close();
    const c = await doctor(t.dir);
    expect(c.ledger).toMatchObject({ status: 'warn' });
    expect(c.ledger?.message).toMatch(/^ledger intact, written by an older Till: 1 upgrade step\(s\) run when Till next starts \(/);
    const none = await doctor(path.join(tmp(), 'nothing-here'));
    expect(none.ledger).toMatchObject({ status: 'fail' });
    expect(none.ledger?.message).toMatch(/^no ledger here: there is no data directory at /);
  });
});

describe('disk and permissions', () => {
  it('a full disk fails and a nearly full one warns (tmpfs in a mount namespace)', () => {
    const full = inMountNamespace(`mount -t tmpfs -o size=1m tmpfs "$0" && DOCTOR_MODE=disk exec ${fixture('in-namespace', 'doctor')}`, tmp()) as { checks: CheckResult[] };
    const disk = full.checks.find((c) => c.name === 'disk');
    expect(disk?.status).toBe('fail');
    expect(disk?.message).toMatch(/^the disk of the data directory is full or nearly: \d+(\.\d)? KB free/);
    expect(disk?.fix).toMatch(/\/logs and .*\/backups/);
    const low = inMountNamespace(`mount -t tmpfs -o size=400m tmpfs "$0" && DOCTOR_MODE=disk exec ${fixture('in-namespace', 'doctor')}`, tmp()) as { checks: CheckResult[] };
    expect(low.checks.find((c) => c.name === 'disk')).toMatchObject({ status: 'warn', message: expect.stringMatching(/^only \d+ MB free on the disk of the data directory/) as unknown });
  });

  it('an open data directory warns naming what others can read; a read-only mount fails', async () => {
    const t = await healthyTill({ hub: null, devices: false });
    fs.chmodSync(t.dir, 0o755);
    fs.chmodSync(path.join(t.dir, 'ledger.db'), 0o644);
    const open = await doctor(t.dir);
    expect(open.permissions).toMatchObject({ status: 'warn', message: `others on this computer can read it: ${t.dir} (755), ledger.db (644)` });
    const ro = inMountNamespace(`mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && DOCTOR_MODE=readonly exec ${fixture('in-namespace', 'doctor')}`, t.dir) as { checks: CheckResult[] };
    expect(ro.checks.find((c) => c.name === 'permissions')).toMatchObject({ status: 'fail', message: `this user cannot write to the data directory ${t.dir}` });
  });
});

describe('backup', () => {
  function ageNewest(dir: string, hours: number): void {
    const b = listBackups(path.join(dir, 'backups'))[0];
    if (!b) throw new Error('no backup');
    const stamp = new Date(Date.now() - hours * HOUR).toISOString().replace(/[-:.]/g, '');
    fs.renameSync(b.file, b.file.replace(/\d{8}T\d{9}Z\.db$/, `${stamp}.db`));
  }

  it('warns after 26 hours and fails after 72, naming the age', async () => {
    const t = await healthyTill({ hub: null, devices: false });
    ageNewest(t.dir, 30);
    expect((await doctor(t.dir)).backup).toMatchObject({ status: 'warn', message: expect.stringMatching(/^the newest backup is 1 d 6 h old/) as unknown });
    ageNewest(t.dir, 80);
    const c = (await doctor(t.dir)).backup;
    expect(c).toMatchObject({ status: 'fail', message: expect.stringMatching(/^the newest backup is 3 d 8 h old .*: a lost disk would lose everything since$/) as unknown });
    expect(c?.fix).toContain(`till backup --data ${t.dir} --to ${path.join(t.dir, 'backups')}`);
  });

  it('fails on a backup that does not verify, and on none at all for an old ledger; a new one only warns', async () => {
    const t = await healthyTill({ hub: null, devices: false });
    const b = listBackups(path.join(t.dir, 'backups'))[0]?.file as string;
    fs.writeFileSync(b, 'not a database');
    expect((await doctor(t.dir)).backup).toMatchObject({ status: 'fail', message: expect.stringMatching(/^the newest backup till-S1-.*\.db does not verify: /) as unknown });
    fs.rmSync(b);
    expect((await doctor(t.dir)).backup).toMatchObject({ status: 'warn', message: expect.stringMatching(/^no backup yet; this till is new/) as unknown });
    expect((await doctor(t.dir, { now: inHours(48) })).backup).toMatchObject({ status: 'fail', message: `no backup in ${path.join(t.dir, 'backups')} yet` });
  });

  it('warns when the second backup folder is not there', async () => {
    const t = await healthyTill({ hub: null, devices: false });
    const usb = path.join(tmp(), 'usb');
    fs.writeFileSync(path.join(t.dir, 'terminal.json'), JSON.stringify({ backup: { secondPath: usb } }));
    const c = (await doctor(t.dir)).backup;
    expect(c?.status).toBe('warn');
    expect(c?.message).toContain(`the second backup folder ${usb} is not there`);
    fs.mkdirSync(usb);
    expect((await doctor(t.dir)).backup?.status).toBe('ok');
  });
});

describe('devices', () => {
  it('a printer out of paper fails (exit 1) and one low on paper warns; an open drawer warns', async () => {
    const t = await healthyTill({ hub: null });
    const sim = t.sim;
    if (!sim) throw new Error('no devices');
    sim.printer.set({ paperOut: true });
    const out = await till('doctor', '--data', t.dir, '--json', '--lang', 'en');
    expect(out.code).toBe(1);
    const printer = (JSON.parse(out.out) as { checks: CheckResult[] }).checks.find((c) => c.name === 'printer');
    expect(printer).toMatchObject({ status: 'fail', message: expect.stringMatching(/^receipt printer tcp:\/\/127\.0\.0\.1:\d+ is out of paper$/) as unknown });
    expect(printer?.fix).toMatch(/^load paper/);
    sim.printer.set({ paperOut: false, paperNearEnd: true });
    expect((await doctor(t.dir)).printer).toMatchObject({ status: 'warn', message: expect.stringMatching(/the paper is nearly out$/) as unknown });
    sim.printer.set({ paperNearEnd: false, drawerOpen: true });
    const c = await doctor(t.dir);
    expect(c.printer?.status).toBe('ok');
    expect(c.drawer).toMatchObject({ status: 'warn', fix: 'close the cash drawer' });
  });

  it('a devices.json with a bad field fails naming it', async () => {
    const t = await healthyTill({ hub: null, devices: false });
    fs.writeFileSync(path.join(t.dir, 'devices.json'), JSON.stringify({ printer: { address: 'tcp://127.0.0.1:9100', width: 70 } }));
    expect((await doctor(t.dir)).devices).toMatchObject({ status: 'fail', message: expect.stringMatching(/^devices\.json cannot be used: .*printer\.width/) as unknown });
  });

  it('a running terminal is asked, not its ports: its status says the printer is out of paper', async () => {
    const t = await healthyTill({ hub: null });
    const sim = t.sim;
    if (!sim) throw new Error('no devices');
    const rt = await startTerminalRuntime({ dataDir: t.dir, logger: lineLogger(() => undefined), sync: false, backups: null, statusEveryMs: 50 });
    cleanups.push(() => rt.close());
    await rt.devices.manager?.whenReady(5000);
    sim.printer.set({ paperOut: true });
    await rt.devices.manager?.printerStatus();
    await until(() => doctor(t.dir).then((c) => c.printer?.status === 'fail'), 8000, 'the running status with paper out');
    const r = await runDoctor({ dir: t.dir, lang: 'en' });
    expect(r.running?.pid).toBe(process.pid);
  });

  it("a running terminal's hub connection comes from its status: connected, then refused once the hub revokes it", async () => {
    const t = await healthyTill({ hub, devices: false });
    const rt = await startTerminalRuntime({ dataDir: t.dir, logger: lineLogger(() => undefined), backups: null, statusEveryMs: 50, syncTuning: { statusIntervalMs: 100, backoff: { baseMs: 20, maxMs: 200 } } });
    cleanups.push(() => rt.close());
    await until(() => doctor(t.dir).then((c) => c.token?.message === 'the running till is connected to the hub'), 10_000, 'the running till connected');
    await hub.store.revoke(t.id, new Date().toISOString());
    rt.sync?.replicator.setMode('offline');
    rt.sync?.replicator.setMode('enabled');
    await until(() => doctor(t.dir).then((c) => c.token?.status === 'fail'), 10_000, 'the refusal in the status');
    expect((await doctor(t.dir)).token).toMatchObject({ message: 'the running till is not connected to the hub: the hub revoked its token' });
  });
});

describe('hub, TLS, token and clock', () => {
  it('an unreachable hub fails the hub check and leaves the token unchecked; the till is told it keeps selling', async () => {
    const t = await healthyTill({ hub, devices: false });
    const creds = JSON.parse(fs.readFileSync(path.join(t.dir, 'hub-credentials.json'), 'utf8')) as { hubUrl: string };
    const closed = await startTlsHub(tmp());
    const url = closed.hub.url;
    await closed.close();
    fs.writeFileSync(path.join(t.dir, 'hub-credentials.json'), JSON.stringify({ ...creds, hubUrl: url }), { mode: 0o600 });
    const c = await doctor(t.dir);
    expect(c.hub).toMatchObject({ status: 'fail', message: expect.stringMatching(/^cannot reach the hub: cannot reach https:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/) as unknown });
    expect(c.hub?.fix).toMatch(/keeps selling/);
    expect(c.token?.status).toBe('warn');
  });

  it('a slow hub warns with its time', async () => {
    const t = await healthyTill({ hub, devices: false });
    const proxy = await startChaosProxy({ upstreamPort: hub.hub.port, delayMs: [300, 300], cutAfterMs: [60_000, 60_000], stallChance: 0 });
    cleanups.push(() => proxy.close());
    const file = path.join(t.dir, 'hub-credentials.json');
    const creds = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
    fs.writeFileSync(file, JSON.stringify({ ...creds, hubUrl: `https://127.0.0.1:${proxy.port}` }), { mode: 0o600 });
    const c = await doctor(t.dir, { slowMs: 250 });
    expect(c.hub).toMatchObject({ status: 'warn', message: expect.stringMatching(/^the hub https:\/\/127\.0\.0\.1:\d+ answers slowly \(\d+ ms\)$/) as unknown });
  });

  it('a certificate expiring within 21 days warns; one that is not the pinned one fails', async () => {
    const short = await startTlsHub(tmp(), 10);
    cleanups.push(() => short.close());
    const t = await healthyTill({ hub: short, devices: false });
    expect((await doctor(t.dir)).tls).toMatchObject({ status: 'warn', message: expect.stringMatching(/^the hub certificate \(till-hub-10\) expires in (9|10) day\(s\), on /) as unknown });
    const file = path.join(t.dir, 'hub-credentials.json');
    const creds = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
    fs.writeFileSync(file, JSON.stringify({ ...creds, ca: hub.ca }), { mode: 0o600 });
    const c = await doctor(t.dir);
    expect(c.tls).toMatchObject({ status: 'fail', message: expect.stringMatching(/^the hub certificate is not trusted: /) as unknown });
    expect(c.tls?.fix).toContain('--ca CA.pem');
  });

  it('a revoked token fails naming the way back; a token sealed by the app warns', async () => {
    const t = await healthyTill({ hub, devices: false });
    await hub.store.revoke(t.id, new Date().toISOString());
    const c = await doctor(t.dir);
    expect(c.token).toMatchObject({ status: 'fail', message: expect.stringMatching(/^the hub refuses this till \(revoked\): /) as unknown });
    expect(c.token?.fix).toContain(`till hub enroll-code --data HUBDIR --store S1 --terminal ${t.id.split('/')[1]}`);
    const file = path.join(t.dir, 'hub-credentials.json');
    const { token: _token, ...rest } = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
    fs.writeFileSync(file, JSON.stringify({ ...rest, sealedToken: 'c2VhbGVk' }), { mode: 0o600 });
    expect((await doctor(t.dir)).token).toMatchObject({ status: 'warn', message: expect.stringMatching(/sealed by the Till app/) as unknown });
  });

  it('a clock 45 s off warns, 5 minutes off fails, saying which way', async () => {
    const t = await healthyTill({ hub, devices: false });
    expect((await doctor(t.dir, { now: () => new Date(Date.now() + 45_000) })).clock).toMatchObject({ status: 'warn', message: expect.stringMatching(/^this computer clock is 4[4-6] s ahead of the hub$/) as unknown });
    expect((await doctor(t.dir, { now: () => new Date(Date.now() - 5 * 60_000) })).clock).toMatchObject({ status: 'fail', message: 'this computer clock is 5 min behind the hub' });
  });
});

describe('replication', () => {
  it('entries waiting: ok when fresh, a warning after 15 minutes, a failure after a day; a divergence fails', async () => {
    const t = await healthyTill({ hub, devices: false });
    const ledger = openLedger(t.dir);
    for (let i = 0; i < 3; i++) ledger.append('TestSale', { total: i });
    ledger.close();
    expect((await doctor(t.dir)).replication).toMatchObject({ status: 'ok', message: expect.stringMatching(/^3 entries wait for the hub, the oldest for less than a minute$/) as unknown });
    expect((await doctor(t.dir, { now: inHours(0.5) })).replication).toMatchObject({ status: 'warn', message: '3 entries wait for the hub, the oldest for 30 min' });
    const day = (await doctor(t.dir, { now: inHours(25) })).replication;
    expect(day).toMatchObject({ status: 'fail', message: '3 entries wait for the hub, the oldest for 1 d 1 h' });
    expect(day?.fix).toContain(`till sync --data ${t.dir} --until-idle`);
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(path.join(t.dir, 'ledger.db'));
    db.prepare('INSERT INTO sync_alerts (at, code, message, details) VALUES (?, ?, ?, ?)').run(new Date().toISOString(), 'ledger-diverged', 'entry 5 differs from the hub copy', '{}');
    db.close();
    expect((await doctor(t.dir)).replication).toMatchObject({ status: 'fail', message: 'the hub refused this ledger (ledger-diverged): entry 5 differs from the hub copy' });
  });

  it('a stand-alone till passes and says the backups are its only copy', async () => {
    const t = await healthyTill({ hub: null, devices: false });
    const c = await doctor(t.dir);
    expect(c.replication?.message).toMatch(/^stand-alone: \d+ entries kept on this till only/);
    expect(c.hub).toMatchObject({ status: 'ok', message: 'stand-alone: this till is not enrolled with a hub' });
  });
});

describe('time zone and business days', () => {
  it('warns when the store is in another zone than this computer, or its settings never came', async () => {
    const other = await healthyTill({ hub: null, devices: false, offset: localOffset() === 480 ? 0 : 480 });
    expect((await doctor(other.dir)).timezone).toMatchObject({ status: 'warn', message: expect.stringMatching(/^the store is UTC\+(8|0) but this computer is UTC/) as unknown });
    const never = await healthyTill({ hub: null, devices: false, settings: false });
    expect((await doctor(never.dir)).timezone?.message).toMatch(/^the store settings were never set here/);
  });

  it('a day with sales and no Z warns; a week-old one fails', async () => {
    const yesterday = new Date(Date.now() - 24 * HOUR);
    const t = await healthyTill({ hub: null, devices: false, salesOn: [yesterday] });
    const day = businessDay(yesterday, localOffset());
    const c = await doctor(t.dir);
    expect(c['business-day']).toMatchObject({ status: 'warn', message: expect.stringContaining(day) as unknown });
    expect(c['business-day']?.fix).toContain(`till report z --data ${t.dir} --date DAY`);
    const old = await healthyTill({ hub: null, devices: false, salesOn: [new Date(Date.now() - 8 * 24 * HOUR)] });
    expect((await doctor(old.dir))['business-day']?.status).toBe('fail');
  });
});
