/**
 * The fleet through the console API and the /console socket: online and
 * since when, lag in entries and seconds from the status report, the last
 * entry the hub verified, device faults, alerts, a terminal missing past the
 * setting, enrollment codes issued, listed, used and cancelled, revocation
 * that disconnects; and console events only to the stores a user may see.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import type { FleetChanged, TerminalView } from '../../src/shared/hub-api/index';
import type { PushAck } from '../../src/shared/replication';
import { errorCode, startConsoleHub, type ConsoleClient, type ConsoleHub } from './console';
import { connectTerminal, refusalOf } from './client';
import { STORE_KINDS, makeChain, makeEntry } from './fixtures';

function consoleSocket(h: ConsoleHub, c: ConsoleClient, headers: Record<string, string> = {}): Promise<Socket> {
  const socket = connect(`${h.hub.url}/console`, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { ...(c.cookie ? { cookie: c.cookie } : {}), ...headers } });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (e) => {
      socket.close();
      reject(e);
    });
  });
}

describe.each(STORE_KINDS)('the fleet on %s', (kind) => {
  let h: ConsoleHub;
  let clock = Date.now();
  beforeAll(async () => {
    h = await startConsoleHub(kind, { now: () => new Date(clock), staleAfterMs: 90_000 });
  });
  afterAll(async () => h.close());

  const terminalOf = async (c: ConsoleClient, id: string) => ((await c.call('GET', '/api/fleet/terminals')).body as { terminals: TerminalView[] }).terminals.find((t) => t.terminalId === id) as TerminalView;

  it('shows a connected terminal online with its lag, verified entry, version and faults, and offline once it leaves', async () => {
    const analyst = await h.as('analyst');
    const before = await terminalOf(analyst, 'S1/T1');
    expect(before).toMatchObject({ online: false, since: null, lastSeen: null, appVersion: null, lag: { entries: null, seconds: null }, verified: { seq: 0, at: null } });
    const t = await connectTerminal(h.hub.url, { terminalId: 'S1/T1', token: h.tokens['S1/T1'] });
    const chain = makeChain('S1', 'T1', 30);
    expect(((await t.call<PushAck>('push', { entries: chain })) as { ok: boolean }).ok).toBe(true);
    const at = new Date(clock).toISOString();
    const report = {
      appVersion: '0.9.1',
      at,
      devices: [
        { name: 'printer', kind: 'printer', ok: false, detail: 'paper out' },
        { name: 'scanner', kind: 'scanner', ok: true },
      ],
      queueDepth: 4,
      oldestPendingAt: new Date(clock - 42_000).toISOString(),
      lastError: null,
    };
    expect(await t.call('status', report)).toEqual({ ok: true });
    const v = await terminalOf(analyst, 'S1/T1');
    expect(v).toMatchObject({
      online: true,
      appVersion: '0.9.1',
      lag: { entries: 4, seconds: 42, reportedAt: at },
      verified: { seq: 30, hash: chain[29]?.hash, at: expect.any(String) },
      faults: [{ name: 'printer', detail: 'paper out' }],
      missing: false,
      alerts: 0,
    });
    expect(v.since).not.toBeNull();
    t.close();
    await expect.poll(async () => (await terminalOf(analyst, 'S1/T1')).online).toBe(false);
    expect((await terminalOf(analyst, 'S1/T1')).since).not.toBeNull();
  });

  it('counts a connected terminal silent past the stale time as offline, and flags one missing past the setting', async () => {
    const admin = await h.as('boss');
    const t = await connectTerminal(h.hub.url, { terminalId: 'S2/T1', token: h.tokens['S2/T1'] });
    await expect.poll(async () => (await terminalOf(admin, 'S2/T1')).online).toBe(true);
    clock += 2 * 60_000;
    expect(await terminalOf(admin, 'S2/T1')).toMatchObject({ online: false, missing: false });
    clock += 20 * 60_000;
    expect(await terminalOf(admin, 'S2/T1')).toMatchObject({ online: false, missing: true });
    expect((await admin.call('PUT', '/api/fleet/settings', { missingAfterMinutes: 60 })).status).toBe(200);
    expect(await terminalOf(admin, 'S2/T1')).toMatchObject({ missing: false });
    expect((await admin.call('GET', '/api/fleet/settings')).body).toEqual({ missingAfterMinutes: 60 });
    expect((await admin.call('PUT', '/api/fleet/settings', { missingAfterMinutes: 15 })).status).toBe(200);
    t.close();
  });

  it('lists a divergence alert for the stores that may see it', async () => {
    const t = await connectTerminal(h.hub.url, { terminalId: 'S1/A1', token: await h.enroll('S1', 'A1') });
    const chain = makeChain('S1', 'A1', 10);
    expect((await t.call<PushAck>('push', { entries: chain })).ok).toBe(true);
    const forked = makeEntry(chain[8] ?? null, 'SaleCompleted', { total: 1 });
    const ack = await t.call<PushAck>('push', { entries: [forked] });
    expect(ack.ok === false && ack.error.code).toBe('ledger-diverged');
    t.close();
    const mgr1 = await h.as('mgr1');
    const alerts = (await mgr1.call('GET', '/api/fleet/alerts?terminal=A1')).body as { alerts: Array<{ terminalId: string; code: string; details: { seq: number } }> };
    expect(alerts.alerts).toMatchObject([{ terminalId: 'S1/A1', code: 'ledger-diverged', details: { seq: 10 } }]);
    expect((await mgr1.call('GET', '/api/fleet/terminals/S1/A1')).body).toMatchObject({ terminal: { alerts: 1 }, alerts: [{ code: 'ledger-diverged' }] });
    const mgr2 = await h.as('mgr2');
    expect(((await mgr2.call('GET', '/api/fleet/alerts')).body as { alerts: unknown[] }).alerts).toEqual([]);
  });

  it('issues an enrollment code shown once, lists it without the code, enrolls with it, cancels others, and revokes with a disconnect', async () => {
    const mgr1 = await h.as('mgr1');
    const issued = (await mgr1.call('POST', '/api/fleet/enroll-codes', { store: 'S1', terminal: 'T2', ttlHours: 2 })).body as { code: string; expiresAt: string };
    expect(issued.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const listed = (await mgr1.call('GET', '/api/fleet/enroll-codes')).body as { codes: Array<Record<string, unknown>> };
    expect(listed.codes).toEqual([{ store: 'S1', terminal: 'T2', createdAt: expect.any(String), expiresAt: issued.expiresAt, issuedBy: 'mgr1' }]);
    expect(JSON.stringify(listed)).not.toContain(issued.code);
    const enrolled = await h.client().call('POST', '/api/enroll', { code: issued.code, store: 'S1', terminal: 'T2' });
    expect(enrolled.status).toBe(200);
    await mgr1.call('POST', '/api/fleet/enroll-codes', { store: 'S1', terminal: 'T3' });
    await mgr1.call('POST', '/api/fleet/enroll-codes', { store: 'S1', terminal: 'T3' });
    expect((await mgr1.call('DELETE', '/api/fleet/enroll-codes/S1/T3')).body).toEqual({ cancelled: 2 });
    expect(((await mgr1.call('GET', '/api/fleet/enroll-codes')).body as { codes: unknown[] }).codes).toEqual([]);

    const token = (enrolled.body as { token: string }).token;
    const t = await connectTerminal(h.hub.url, { terminalId: 'S1/T2', token });
    const gone = new Promise<void>((r) => t.socket.once('disconnect', () => r()));
    const revoked = await mgr1.call('POST', '/api/fleet/terminals/S1/T2/revoke');
    expect(revoked.body).toMatchObject({ terminal: { terminalId: 'S1/T2', revokedAt: expect.any(String), online: false } });
    await gone;
    expect((await refusalOf(connectTerminal(h.hub.url, { terminalId: 'S1/T2', token })))?.code).toBe('revoked');
    const missing = await mgr1.call('POST', '/api/fleet/terminals/S1/T9/revoke');
    expect([missing.status, errorCode(missing)]).toEqual([404, 'not-found']);
  });

  it('sends console events only to the stores a user may see, and refuses a socket without a session or from another origin', async () => {
    const mgr1 = await h.as('mgr1');
    const mgr2 = await h.as('mgr2');
    const s1 = await consoleSocket(h, mgr1);
    const s2 = await consoleSocket(h, mgr2);
    const seen1: FleetChanged[] = [];
    const seen2: FleetChanged[] = [];
    s1.on('fleet:changed', (e: FleetChanged) => seen1.push(e));
    s2.on('fleet:changed', (e: FleetChanged) => seen2.push(e));
    const a = await connectTerminal(h.hub.url, { terminalId: 'S1/T1', token: h.tokens['S1/T1'] });
    await expect.poll(() => seen1.some((e) => e.terminalId === 'S1/T1' && e.reason === 'connected')).toBe(true);
    const b = await connectTerminal(h.hub.url, { terminalId: 'S2/T1', token: h.tokens['S2/T1'] });
    await expect.poll(() => seen2.some((e) => e.terminalId === 'S2/T1' && e.reason === 'connected')).toBe(true);
    expect(seen2.filter((e) => e.store !== 'S2')).toEqual([]);
    expect(seen1.filter((e) => e.store !== 'S1')).toEqual([]);
    a.close();
    b.close();
    s1.close();
    s2.close();
    await expect(consoleSocket(h, h.client())).rejects.toThrow(/unauthenticated/);
    await expect(consoleSocket(h, mgr1, { origin: 'http://evil.example' })).rejects.toThrow(/unauthenticated/);
    expect(h.logs.some((l) => /auth failed: console socket from \S+ \(origin http:\/\/evil\.example is not this hub\)/.test(l))).toBe(true);
  });
});
