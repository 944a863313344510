/**
 * What the hub tells a terminal when something fails on its side is generic:
 * 'hub-unavailable' with a fixed sentence, never the store's exception text
 * (which names files, tables, hosts). The detail goes to the hub's log only.
 * A refused handshake is logged with the source address and the terminal it
 * claimed, never the token. The store is a real SQLite store behind a proxy
 * that fails the named methods on demand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/hub/server';
import { issueEnrollCode } from '../../src/hub/enroll';
import type { HubStore } from '../../src/hub/store/types';
import { enrollTerminal } from '../../src/sync/credentials';
import { connectTerminal, refusalOf, type TestClient } from './client';
import { makeChain, storeKit, type StoreKit } from './fixtures';
import { hubOn } from '../sync/setup';

/** what a store failure says: a path, a table and an address that must not leave the hub */
const SECRET_DETAIL = 'SQLITE_IOERR: disk I/O error in /srv/till/hub.sqlite (table journal) via 10.9.8.7';

let kit: StoreKit;
let real: HubStore;
let hub: RunningHub;
const failing = new Set<string>();
const logs: string[] = [];
let terminal: { terminalId: string; token: string };

/** the real store, except that a method named in `failing` throws (inside transactions too) */
function faulty(store: HubStore): HubStore {
  const wrap = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(t, name, receiver) {
        const v = Reflect.get(t, name, receiver) as unknown;
        if (typeof v !== 'function') return v;
        return (...args: unknown[]) => {
          if (typeof name === 'string' && failing.has(name)) return Promise.reject(new Error(SECRET_DETAIL));
          if (name === 'transaction') {
            const [fn] = args as [(tx: object) => Promise<unknown>];
            return (v as (fn: (tx: object) => Promise<unknown>) => Promise<unknown>).call(t, (tx) => fn(wrap(tx)));
          }
          return (v as (...a: unknown[]) => unknown).apply(t, args);
        };
      },
    });
  return wrap(store);
}

beforeAll(async () => {
  kit = storeKit('sqlite');
  real = await kit.open();
  hub = await hubOn(faulty(real), { log: (l) => logs.push(l) });
  const { code } = await issueEnrollCode(real, { store: 'S9', terminal: 'T1' });
  const r = await enrollTerminal({ hubUrl: hub.url, code, store: 'S9', terminal: 'T1' });
  terminal = { terminalId: r.terminalId, token: r.token };
});

afterAll(async () => {
  await hub.close();
  await real.close();
  await kit.cleanup();
});

/** runs fn with those store methods failing, and gives the log lines written meanwhile */
async function whileFailing<T>(methods: string[], fn: () => Promise<T>): Promise<{ value: T; logged: string }> {
  const from = logs.length;
  for (const m of methods) failing.add(m);
  try {
    return { value: await fn(), logged: logs.slice(from).join('\n') };
  } finally {
    for (const m of methods) failing.delete(m);
  }
}

function expectGeneric(refusal: { code?: string; message?: string } | undefined): void {
  expect(refusal?.code).toBe('hub-unavailable');
  expect(refusal?.message).toMatch(/\S/);
  for (const leak of ['SQLITE', '/srv/till', 'journal', '10.9.8.7', 'Error']) expect(refusal?.message).not.toContain(leak);
}

describe('refusals the hub sends to terminals', () => {
  it('a handshake the store cannot check: generic refusal, the detail in the log', async () => {
    const { value, logged } = await whileFailing(['terminal'], () => refusalOf(connectTerminal(hub.url, terminal)));
    expectGeneric(value);
    expect(logged).toContain(SECRET_DETAIL);
    expect(logged).toContain('S9/T1');
  });

  it('a refused handshake is logged with its source and the terminal it claimed, never the token', async () => {
    const from = logs.length;
    const wrongToken = 'not-the-token-but-still-a-secret-0123456789';
    expect((await refusalOf(connectTerminal(hub.url, { terminalId: terminal.terminalId, token: wrongToken })))?.code).toBe('unauthenticated');
    const logged = logs.slice(from).join('\n');
    expect(logged).toContain('S9/T1');
    expect(logged).toContain('127.0.0.1');
    expect(logged).not.toContain(wrongToken);
    expect(logged).not.toContain(terminal.token);
  });

  describe('on a connected terminal', () => {
    let client: TestClient;
    beforeAll(async () => {
      client = await connectTerminal(hub.url, terminal);
    });
    afterAll(() => client.close());

    it('a batch the store cannot take: generic hub-unavailable, nothing stored, the detail in the log', async () => {
      const batch = { entries: makeChain('S9', 'T1', 3) };
      const { value, logged } = await whileFailing(['insertEntries'], () => client.call<{ ok: boolean; error?: { code: string; message: string } }>('push', batch));
      expect(value.ok).toBe(false);
      expectGeneric(value.error);
      expect(logged).toContain(SECRET_DETAIL);
      expect((await real.terminal(terminal.terminalId))?.hwm.seq).toBe(0);
      expect(await client.call('push', batch)).toMatchObject({ ok: true, stored: 3 });
    });

    it('a status report, a catalog pull and a journal pull the store fails: each answered, generically', async () => {
      const status = { appVersion: '1.0.0', at: '2026-06-01T04:00:00.000Z', devices: [], queueDepth: 0, lastError: null };
      for (const [event, payload, methods] of [
        ['status', status, ['saveStatus']],
        ['catalog:pull', { since: 0 }, ['catalogDelta']],
        ['journal:pull', { fromSeq: 1, limit: 10 }, ['entries']],
      ] as const) {
        const { value, logged } = await whileFailing([...methods], () => client.call<{ ok: boolean; error?: { code: string; message: string } }>(event, payload));
        expect(value.ok, event).toBe(false);
        expectGeneric(value.error);
        expect(logged, event).toContain(SECRET_DETAIL);
      }
    });
  });
});
