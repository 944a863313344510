import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueEnrollCode } from '../../src/hub/enroll';
import { startHub, type RunningHub } from '../../src/hub/server';
import type { HubStore } from '../../src/hub/store/types';
import type { JournalEntry } from '../../src/shared/journal';
import type { CatalogPullAck, JournalPullAck, PushAck } from '../../src/shared/replication';
import { connectTerminal, refusalOf, type TestClient } from './client';
import { STORE_KINDS, makeChain, makeEntry, storeKit, type StoreKit } from './fixtures';

async function enroll(hub: RunningHub, store: HubStore, s: string, t: string): Promise<{ terminalId: string; token: string }> {
  const { code } = await issueEnrollCode(store, { store: s, terminal: t });
  const res = await fetch(`${hub.url}/api/enroll`, { method: 'POST', body: JSON.stringify({ code, store: s, terminal: t }) });
  expect(res.status).toBe(200);
  const { terminalId, token } = (await res.json()) as { terminalId: string; token: string };
  return { terminalId, token };
}

export const cola = { sku: 'COLA', name: '可乐', barcodes: ['6901234567892'], plu: null, category: 'drinks', unit: '瓶', price: 350, memberPrice: null, vatRate: 1300, weighed: false, active: true };

describe.each(STORE_KINDS)('hub on %s', (kind) => {
  let kit: StoreKit;
  let store: HubStore;
  let hub: RunningHub;
  const admin = 'admin-token-for-tests-0123456789';

  beforeAll(async () => {
    kit = storeKit(kind);
    store = await kit.open();
    hub = await startHub({ store, adminToken: admin, limits: { maxEntries: 200, maxBytes: 256 * 1024 } });
  });
  afterAll(async () => {
    await hub.close();
    await store.close();
    await kit.cleanup();
  });

  it('enrolls with a one-time code bound to (store, terminal)', async () => {
    const { code } = await issueEnrollCode(store, { store: 'S1', terminal: 'E1' });
    const wrong = await fetch(`${hub.url}/api/enroll`, { method: 'POST', body: JSON.stringify({ code, store: 'S1', terminal: 'E2' }) });
    expect(wrong.status).toBe(403);
    const ok = await fetch(`${hub.url}/api/enroll`, { method: 'POST', body: JSON.stringify({ code: code.toLowerCase(), store: 'S1', terminal: 'E1' }) });
    expect(ok.status).toBe(200);
    const again = await fetch(`${hub.url}/api/enroll`, { method: 'POST', body: JSON.stringify({ code, store: 'S1', terminal: 'E1' }) });
    expect(again.status).toBe(401);
    const expired = await issueEnrollCode(store, { store: 'S1', terminal: 'E3', ttlMs: -1 });
    const late = await fetch(`${hub.url}/api/enroll`, { method: 'POST', body: JSON.stringify({ code: expired.code, store: 'S1', terminal: 'E3' }) });
    expect(((await late.json()) as { error: { message: string } }).error.message).toMatch(/expired/);
    const t = await store.terminal('S1/E1');
    expect(t?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(t)).not.toContain(((await ok.json()) as { token: string }).token);
  });

  it('ingests contiguous batches, acks the hwm, and says hello with it after a reconnect', async () => {
    const auth = await enroll(hub, store, 'S1', 'T1');
    const chain = makeChain('S1', 'T1', 450);
    let c = await connectTerminal(hub.url, auth);
    expect(c.hello.hwm).toEqual({ seq: 0, hash: '0'.repeat(64) });
    const acks = await Promise.all([c.call<PushAck>('push', { entries: chain.slice(0, 200) }), c.call<PushAck>('push', { entries: chain.slice(200, 300) })]);
    expect(acks.map((a) => a.ok && a.hwm.seq)).toEqual([200, 300]);
    c.close();
    c = await connectTerminal(hub.url, auth);
    expect(c.hello.hwm).toEqual({ seq: 300, hash: chain[299]?.hash });
    const overlap = await c.call<PushAck>('push', { entries: chain.slice(250, 450) });
    expect(overlap).toEqual({ ok: true, hwm: { seq: 450, hash: chain[449]?.hash }, stored: 150 });
    const replay = await c.call<PushAck>('push', { entries: chain.slice(0, 100) });
    expect(replay.ok === false && replay.error.code).toBe('replayed');
    const stats = await store.journalStats('S1/T1');
    expect(stats).toEqual({ count: 450, minSeq: 1, maxSeq: 450, lastHash: chain[449]?.hash });
    const pulled = await c.call<JournalPullAck>('journal:pull', { fromSeq: 440, limit: 100 });
    expect(pulled.ok && pulled.entries.map((e) => e.hash)).toEqual(chain.slice(439).map((e) => e.hash));
    c.close();
  });

  it('stores each entry once when two connections of one terminal push the same batches at the same time', async () => {
    const auth = await enroll(hub, store, 'S1', 'T7');
    const chain = makeChain('S1', 'T7', 1000);
    const [a, b] = await Promise.all([connectTerminal(hub.url, auth), connectTerminal(hub.url, auth)]);
    const batches = [0, 200, 400, 600, 800].map((i) => ({ entries: chain.slice(i, i + 200) }));
    const acks = await Promise.all([...batches.map((x) => a.call<PushAck>('push', x)), ...batches.map((x) => b.call<PushAck>('push', x))]);
    const stored = acks.reduce((n, x) => n + (x.ok ? x.stored : 0), 0);
    expect(stored).toBe(1000);
    expect(acks.every((x) => x.ok || ['replayed', 'gap'].includes(x.error.code))).toBe(true);
    expect(await store.journalStats('S1/T7')).toEqual({ count: 1000, minSeq: 1, maxSeq: 1000, lastHash: chain[999]?.hash });
    a.close();
    b.close();
  });

  it('refuses a divergence with ledger-diverged, stores nothing and raises one open alert however often it recurs', async () => {
    const auth = await enroll(hub, store, 'S1', 'T2');
    const chain = makeChain('S1', 'T2', 20);
    const c = await connectTerminal(hub.url, auth);
    await c.call<PushAck>('push', { entries: chain.slice(0, 10) });
    const forked: JournalEntry[] = [];
    let prev = chain[4] as JournalEntry;
    for (let i = 0; i < 10; i++) forked.push((prev = makeEntry(prev, 'SaleCompleted', { total: 999, i })));
    const ack = await c.call<PushAck>('push', { entries: forked });
    expect(ack.ok === false && ack.error.code).toBe('ledger-diverged');
    const linkAck = await c.call<PushAck>('push', { entries: [forked[5]] });
    expect(linkAck.ok === false && linkAck.error.code).toBe('ledger-diverged');
    expect((await store.journalStats('S1/T2')).count).toBe(10);
    const alerts = await store.alerts('S1/T2');
    expect(alerts).toMatchObject([{ code: 'ledger-diverged', state: 'open', clearedAt: null }]);
    expect(alerts[0]?.details).toMatchObject({ seq: 11 });
    expect((alerts[0]?.lastSeen ?? '') >= (alerts[0]?.at ?? 'z')).toBe(true);
    c.close();
  });

  it('refuses bad batches with a coded reason and stores nothing', async () => {
    const auth = await enroll(hub, store, 'S1', 'T3');
    const chain = makeChain('S1', 'T3', 30);
    const c = await connectTerminal(hub.url, auth);
    await c.call<PushAck>('push', { entries: chain.slice(0, 10) });
    const code = async (payload: unknown) => {
      const a = await c.call<PushAck>('push', payload);
      return a.ok ? 'ok' : a.error.code;
    };
    const tampered = chain.slice(10, 15).map((e) => ({ ...e }));
    (tampered[2] as JournalEntry).payload = '{"total":1}';
    expect(await code({ entries: tampered })).toBe('bad-hash');
    const relinked = chain.slice(10, 15).map((e) => ({ ...e }));
    (relinked[3] as JournalEntry).prevHash = 'f'.repeat(64);
    expect(await code({ entries: relinked })).toBe('broken-link');
    expect(await code({ entries: chain.slice(12, 15) })).toBe('gap');
    expect(await code({ entries: [chain[10], chain[12]] })).toBe('gap');
    expect(await code({ entries: chain.slice(10, 15).map((e) => ({ ...e, seq: e.seq })).reverse() })).toBe('gap');
    expect(await code({ entries: [{ ...chain[10], hash: 'xyz' }] })).toBe('malformed');
    expect(await code({ entries: [] })).toBe('malformed');
    expect(await code('not a batch')).toBe('malformed');
    expect(await code({ entries: chain.slice(10, 15), extra: 1 })).toBe('malformed');
    const big = makeChain('S1', 'T3', 11, chain.slice(0, 10));
    const huge = makeEntry(big[9] as JournalEntry, 'SaleCompleted', { blob: 'x'.repeat(300 * 1024) });
    expect(await code({ entries: [huge] })).toBe('too-large');
    expect(await code({ entries: makeChain('S1', 'T3', 211).slice(0, 201) })).toBe('too-large');
    expect(await store.journalStats('S1/T3')).toMatchObject({ count: 10, maxSeq: 10 });
    expect(await code({ entries: chain.slice(10, 30) })).toBe('ok');
    c.close();
  });

  it('refuses a Genesis naming another terminal', async () => {
    const auth = await enroll(hub, store, 'S1', 'T4');
    const c = await connectTerminal(hub.url, auth);
    const a = await c.call<PushAck>('push', { entries: makeChain('S1', 'T9', 5) });
    expect(a.ok === false && a.error.code).toBe('wrong-identity');
    expect((await store.journalStats('S1/T4')).count).toBe(0);
    c.close();
  });

  it('refuses forged tokens, another terminal id, and revoked terminals', async () => {
    const a = await enroll(hub, store, 'S1', 'T5');
    const b = await enroll(hub, store, 'S1', 'T6');
    expect((await refusalOf(connectTerminal(hub.url, { terminalId: 'S1/T5', token: 'forged-token-0123456789abcdef' })))?.code).toBe('unauthenticated');
    expect((await refusalOf(connectTerminal(hub.url, { terminalId: 'S1/T6', token: a.token })))?.code).toBe('unauthenticated');
    expect((await refusalOf(connectTerminal(hub.url, { terminalId: 'S1/NOPE', token: a.token })))?.code).toBe('unauthenticated');
    expect((await refusalOf(connectTerminal(hub.url, { bogus: true })))?.code).toBe('unauthenticated');
    const chain = makeChain('S1', 'T6', 10);
    const c: TestClient = await connectTerminal(hub.url, b);
    expect((await c.call<PushAck>('push', { entries: chain.slice(0, 5) })).ok).toBe(true);
    expect(await store.revoke('S1/T6', new Date().toISOString())).toBe(true);
    const after = await c.call<PushAck>('push', { entries: chain.slice(5) });
    expect(after.ok === false && after.error.code).toBe('revoked');
    const report = { appVersion: '0.1.0', at: new Date().toISOString(), devices: [], queueDepth: 5, lastError: null };
    expect(await c.call('status', report)).toMatchObject({ ok: false, error: { code: 'revoked' } });
    expect(await c.call('catalog:pull', { since: 0 })).toMatchObject({ ok: false, error: { code: 'revoked' } });
    expect(await c.call('journal:pull', { fromSeq: 1, limit: 10 })).toMatchObject({ ok: false, error: { code: 'revoked' } });
    c.close();
    expect((await refusalOf(connectTerminal(hub.url, b)))?.code).toBe('revoked');
    expect((await store.journalStats('S1/T6')).count).toBe(5);
  });

  it('keeps status reports and last-seen, and pushes catalog changes down', async () => {
    const auth = await enroll(hub, store, 'S2', 'T1');
    const c = await connectTerminal(hub.url, auth);
    const report = { appVersion: '0.1.0', at: new Date().toISOString(), devices: [{ name: 'printer', kind: 'printer', ok: false, detail: 'paper out' }], queueDepth: 7, lastError: null };
    expect(await c.call('status', report)).toEqual({ ok: true });
    const t = await store.terminal('S2/T1');
    expect(t?.status).toEqual(report);
    expect(t?.lastSeen).not.toBeNull();
    const changed = new Promise<{ version: number }>((r) => c.socket.once('catalog:changed', r));
    const res = await fetch(`${hub.url}/api/catalog`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}` },
      body: JSON.stringify({ changes: [{ kind: 'product', key: 'COLA', data: cola }] }),
    });
    expect(res.status).toBe(200);
    const { version } = await changed;
    const delta = await c.call<CatalogPullAck>('catalog:pull', { since: version - 1 });
    expect(delta.ok && delta.delta).toMatchObject({ fromVersion: version - 1, version, products: [cola], deactivate: [] });
    const priced = await fetch(`${hub.url}/api/catalog/price`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: JSON.stringify({ barcode: '6901234567892', price: 300 }) });
    expect(priced.status).toBe(200);
    const d2 = await c.call<CatalogPullAck>('catalog:pull', { since: version });
    expect(d2.ok && d2.delta.products).toEqual([{ ...cola, price: 300 }]);
    const bad = await fetch(`${hub.url}/api/catalog`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: JSON.stringify({ changes: [{ kind: 'product', key: 'X', data: { ...cola, price: 1.5 } }] }) });
    expect(bad.status).toBe(400);
    const denied = await fetch(`${hub.url}/api/catalog`, { method: 'POST', headers: { authorization: 'Bearer nope' }, body: '{}' });
    expect(denied.status).toBe(401);
    for (const authorization of [admin, `Basic ${admin}`, `Bearer ${admin}x`, `Bearer ${admin.slice(0, -1)}`, 'Bearer ']) {
      const r = await fetch(`${hub.url}/api/status`, { headers: { authorization } });
      expect(r.status, authorization).toBe(401);
    }
    expect((await fetch(`${hub.url}/api/status`, { headers: { authorization: `Bearer ${admin}` } })).status).toBe(200);
    c.close();
  });
});
