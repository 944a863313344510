/**
 * Two hub nodes on one PostgreSQL: a session made on one node works on the
 * other (CSRF included), and a terminal's events on one node reach a console
 * socket on the other, through the socket.io PostgreSQL adapter.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { issueEnrollCode } from '../../src/hub/enroll';
import { addUser } from '../../src/hub/people';
import { openHubNode } from '../../src/hub/runtime';
import { startHub, type RunningHub } from '../../src/hub/server';
import type { HubStore } from '../../src/hub/store/types';
import type { FleetChanged } from '../../src/shared/hub-api/index';
import { ConsoleClient, PASSWORD } from './console';
import { connectTerminal } from './client';
import { storeKit, tempDir, type StoreKit } from './fixtures';

describe('the console across two hub nodes on one PostgreSQL', () => {
  let kit: StoreKit;
  const nodes: Array<{ hub: RunningHub; store: HubStore }> = [];
  const dirs: string[] = [];

  beforeAll(async () => {
    kit = storeKit('postgres');
    for (const name of ['a', 'b']) {
      const dir = tempDir(`console-node-${name}`);
      dirs.push(dir);
      const { store, adapter } = await openHubNode(dir, kit.databaseUrl);
      nodes.push({ store, hub: await startHub({ store, webRoot: null, ...(adapter ? { adapter } : {}) }) });
    }
    const store = nodes[0]?.store as HubStore;
    await addUser(store, { name: 'mgr1', displayName: null, role: 'store-manager', stores: ['S1'], password: PASSWORD }, { actor: 'test', actorRole: null, source: null, at: new Date().toISOString() });
  });
  afterAll(async () => {
    for (const n of nodes) {
      await n.hub.close();
      await n.store.close();
    }
    await kit.cleanup();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('takes a session made on node A at node B, and tells A\'s console what happened at B, and a logout at B closes A\'s socket', async () => {
    const [a, b] = nodes as [{ hub: RunningHub; store: HubStore }, { hub: RunningHub; store: HubStore }];
    const onA = new ConsoleClient(a.hub.url);
    expect((await onA.login('mgr1')).status).toBe(200);
    const onB = new ConsoleClient(b.hub.url);
    onB.cookie = onA.cookie;
    onB.csrf = onA.csrf;
    expect((await onB.call('GET', '/api/session')).body).toMatchObject({ user: { name: 'mgr1' } });
    expect((await onB.call('POST', '/api/fleet/enroll-codes', { store: 'S1', terminal: 'T1' })).status).toBe(200);

    const socket: Socket = connect(`${a.hub.url}/console`, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie: onA.cookie as string } });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const seen: FleetChanged[] = [];
    socket.on('fleet:changed', (e: FleetChanged) => seen.push(e));
    const { code } = await issueEnrollCode(b.store, { store: 'S1', terminal: 'T2' });
    const enrolled = await fetch(`${b.hub.url}/api/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, store: 'S1', terminal: 'T2' }) });
    const { token } = (await enrolled.json()) as { token: string };
    const t = await connectTerminal(b.hub.url, { terminalId: 'S1/T2', token });
    await expect.poll(() => seen.map((e) => `${e.terminalId} ${e.reason}`), { timeout: 10_000 }).toContain('S1/T2 connected');
    t.close();
    const ended = new Promise<void>((r) => socket.once('session:ended', () => r()));
    expect((await onB.call('POST', '/api/logout')).status).toBe(200);
    await ended;
    expect((await onA.call('GET', '/api/session')).status).toBe(401);
    socket.close();
  });
});
