/**
 * The first-run set-up's calls through dispatch on a running terminal: the
 * hub's certificate fingerprint is the certificate's, enrollment needs the
 * accepted fingerprint and then writes the credentials as till enroll does
 * and starts replicating; the devices listed are the machine's; each device
 * is tested on the simulated set (a print on the virtual printer, out of paper
 * too, a journaled drawer kick, the display, a serial scanner); save writes a
 * devices.json that till devices check accepts and the terminal uses at once;
 * only an admin may do any of it.
 */
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulatedDevices } from '../../drivers';
import { issueEnrollCode } from '../../src/hub/enroll';
import { NO_DEVICES } from '../../src/shared/contract/setup';
import { till } from '../support/till';
import { startSqliteHub, type SqliteHub } from '../sync/setup';
import { selfSignedCert } from '../hub/fixtures';
import { cleanupsAfterEach } from '../support/wait';
import { USERS } from './fixture';
import { runtimeKit } from './runtime-kit';

const cleanups = cleanupsAfterEach();
const { dataDir, start, signIn } = runtimeKit(cleanups);

let hub: SqliteHub;
let cert: string;
let certDir: string;
beforeAll(async () => {
  certDir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-setup-certs-'));
  const pair = selfSignedCert(certDir, 'till-hub-setup', 30);
  cert = pair.cert;
  hub = await startSqliteHub({ tls: pair });
});
afterAll(async () => {
  await hub.close();
  fs.rmSync(certDir, { recursive: true, force: true });
});

type Call = (method: Parameters<Awaited<ReturnType<typeof start>>['terminal']['dispatch']>[0], input: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>;

async function adminOn(dir: string, extra: Parameters<typeof start>[2] = {}) {
  const rt = await start(dir, [], { backups: null, ...extra });
  const token = await signIn(rt, USERS.admin);
  const call: Call = (method, input) => rt.terminal.dispatch(method, input, { sessionToken: token });
  return { rt, call };
}

describe('set-up: the hub', () => {
  it('shows the certificate fingerprint, enrolls only with it accepted, writes the credentials as till enroll does, and replicates at once', async () => {
    const dir = await dataDir();
    const { rt, call } = await adminOn(dir);
    expect(rt.sync).toBeNull();
    const probe = await call('setup.probeHub', { url: `${hub.hub.url}/` });
    expect(probe.value).toMatchObject({ url: hub.hub.url, reachable: true, tls: true, trusted: false, subject: 'till-hub-setup', fingerprint: new X509Certificate(cert).fingerprint256, problem: null });

    const { code } = await issueEnrollCode(hub.store, rt.terminal.ledger.identity);
    const wrong = await call('setup.enroll', { url: hub.hub.url, code, fingerprint: 'AA:BB' });
    expect(wrong.error).toMatchObject({ code: 'conflict', message: expect.stringContaining('not the one that was accepted') as unknown });
    const none = await call('setup.enroll', { url: hub.hub.url, code, fingerprint: null });
    expect(none.error?.code).toBe('conflict');
    const ok = await call('setup.enroll', { url: hub.hub.url, code, fingerprint: (probe.value as { fingerprint: string }).fingerprint.toLowerCase() });
    expect(ok.value).toEqual({ terminalId: `${rt.terminal.ledger.identity.store}/${rt.terminal.ledger.identity.terminal}`, url: hub.hub.url, pinned: true });

    const creds = JSON.parse(fs.readFileSync(path.join(dir, 'hub-credentials.json'), 'utf8')) as Record<string, unknown>;
    expect(new X509Certificate(creds.ca as string).fingerprint256).toBe(new X509Certificate(cert).fingerprint256);
    expect(fs.statSync(path.join(dir, 'hub-credentials.json')).mode & 0o777).toBe(0o600);
    // the same file till enroll writes
    const cliDir = await dataDir();
    const caFile = path.join(certDir, 'hub.crt');
    fs.writeFileSync(caFile, cert);
    const ledgerId = (await import('../../src/ledger/index')).openLedger(cliDir, { readonly: true });
    const cliCode = (await issueEnrollCode(hub.store, ledgerId.identity)).code;
    ledgerId.close();
    expect((await till('enroll', '--data', cliDir, '--hub', hub.hub.url, '--code', cliCode, '--ca', caFile)).code).toBe(0);
    const cliCreds = JSON.parse(fs.readFileSync(path.join(cliDir, 'hub-credentials.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(creds).sort()).toEqual(Object.keys(cliCreds).sort());

    expect(rt.sync).not.toBeNull();
    await rt.sync?.replicator.untilIdle(10_000);
    expect((await hub.store.terminal(ok.value ? (ok.value as { terminalId: string }).terminalId : ''))?.hwm.seq).toBe(rt.terminal.ledger.head().seq);
    const state = await call('setup.state', {});
    expect(state.value).toMatchObject({ hub: { url: hub.hub.url, pinned: true }, devices: NO_DEVICES });
  });

  it('says why a hub cannot be reached, and refuses an address that is not http(s)', async () => {
    const { call } = await adminOn(await dataDir());
    const closed = await startSqliteHub();
    const url = closed.hub.url;
    await closed.close();
    const p = await call('setup.probeHub', { url });
    expect(p.value).toMatchObject({ reachable: false, tls: false, fingerprint: null, problem: expect.stringMatching(/^cannot reach http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/) as unknown });
    expect((await call('setup.probeHub', { url: 'ftp://hub' })).error?.code).toBe('bad-input');
  });
});

describe('set-up: the devices', () => {
  it('lists the ports, tests each simulated device, and saves a devices.json that till devices check accepts and the terminal uses', async () => {
    const simDir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-setup-sim-'));
    cleanups.push(() => fs.rmSync(simDir, { recursive: true, force: true }));
    const sim = await startSimulatedDevices({ dir: simDir, drawerCloseAfterMs: 200 });
    cleanups.push(() => sim.stop());
    const dir = await dataDir();
    const listPorts = async () => ({ ports: [{ path: '/dev/ttyUSB0', kind: 'serial' as const, manufacturer: 'Prolific' }], notes: ['a note'] });
    const { rt, call } = await adminOn(dir, { setup: { listPorts, timeoutMs: 10_000 } });
    expect((await call('setup.status', {})).value).toEqual({ needed: true, language: null });
    expect((await call('setup.ports', {})).value).toEqual({ ports: [{ path: '/dev/ttyUSB0', kind: 'serial', manufacturer: 'Prolific' }], notes: ['a note'] });

    const c = sim.config;
    const devices = {
      printer: { address: c.printer?.address as string, width: 80 as const },
      scanner: { kind: 'serial' as const, path: (c.scanner as { path: string }).path },
      drawer: { kind: 'printer' as const },
      display: { path: (c.display as { path: string }).path },
    };
    const printed = sim.printer.next('job', 8000);
    expect((await call('setup.testDevice', { devices, action: 'print' })).value).toMatchObject({ action: 'print', ok: true, state: 'ready' });
    expect((await printed).text).toContain('PRINT TEST');

    sim.printer.set({ paperOut: true });
    expect((await call('setup.testDevice', { devices, action: 'print' })).value).toMatchObject({ ok: false, state: 'paper-out' });
    sim.printer.set({ paperOut: false });

    const before = rt.terminal.ledger.head().seq;
    expect((await call('setup.testDevice', { devices, action: 'drawer' })).value).toMatchObject({ ok: true });
    expect(rt.terminal.ledger.entries(before + 1, 5).map((e) => e.type)).toEqual(['DrawerOpened']);
    expect((await call('setup.testDevice', { devices, action: 'display' })).value).toMatchObject({ ok: true });
    expect((await call('setup.testDevice', { devices, action: 'scanner' })).value).toMatchObject({ ok: true });
    const gone = await call('setup.testDevice', { devices: { ...devices, display: { path: path.join(simDir, 'no-such-port') } }, action: 'display' });
    expect(gone.value).toMatchObject({ ok: false, state: 'disconnected' });
    expect((await call('setup.testDevice', { devices: NO_DEVICES, action: 'print' })).error?.code).toBe('bad-input');

    const saved = await call('setup.save', { language: 'en', devices });
    expect(saved.value).toMatchObject({ devicesFile: path.join(dir, 'devices.json'), summary: expect.stringContaining(`printer ${devices.printer.address}`) as unknown });
    expect(rt.devices.source).toBe('file');
    expect(rt.terminal.devices).not.toBeNull();
    expect((await call('setup.status', {})).value).toEqual({ needed: false, language: 'en' });
    expect((await call('setup.state', {})).value).toMatchObject({ language: 'en', devices });
    // till devices check opens the ports itself: the terminal lets go of them first
    await rt.close();
    const check = await till('devices', 'check', '--data', dir);
    expect(check.err).toBe('');
    expect(check.code).toBe(0);
  });

  it('only an admin may set up; setup.status is public', async () => {
    const dir = await dataDir();
    const rt = await start(dir, [], { backups: null });
    const cashier = await signIn(rt);
    const code = (r: { ok: true } | { ok: false; error: { code: string } }) => (r.ok ? 'ok' : r.error.code);
    expect(code(await rt.terminal.dispatch('setup.ports', {}, { sessionToken: cashier }))).toBe('forbidden');
    expect(code(await rt.terminal.dispatch('setup.save', { language: 'zh-CN', devices: NO_DEVICES }, { sessionToken: cashier }))).toBe('forbidden');
    expect((await rt.terminal.dispatch('setup.status', {}, {})).ok).toBe(true);
  });
});
