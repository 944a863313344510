/** The built console served by the hub: its files, index.html for its own routes, JSON 404 under /api, and the security headers. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../src/shared/csp';
import { startHub, type RunningHub } from '../../src/hub/server';
import type { HubStore } from '../../src/hub/store/types';
import { storeKit, tempDir, type StoreKit } from './fixtures';

describe('the console files', () => {
  const web = tempDir('hub-web');
  let kit: StoreKit;
  let store: HubStore;
  let hub: RunningHub;
  beforeAll(async () => {
    fs.writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>Till 总部</title><script type="module" src="/assets/app.js"></script>');
    fs.mkdirSync(path.join(web, 'assets'));
    fs.writeFileSync(path.join(web, 'assets', 'app.js'), 'console.log("console");');
    kit = storeKit('sqlite');
    store = await kit.open();
    hub = await startHub({ store, webRoot: web });
  });
  afterAll(async () => {
    await hub.close();
    await store.close();
    await kit.cleanup();
    fs.rmSync(web, { recursive: true, force: true });
  });

  it('serves index.html at / and for the console\'s own routes, its assets, and JSON 404s under /api', async () => {
    const root = await fetch(`${hub.url}/`);
    expect(root.status).toBe(200);
    expect(await root.text()).toContain('Till 总部');
    expect(root.headers.get('content-security-policy')?.split(';')).toEqual(contentSecurityPolicy().split('; '));
    expect(root.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    const deep = await fetch(`${hub.url}/fleet/S001`);
    expect([deep.status, deep.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    const asset = await fetch(`${hub.url}/assets/app.js`);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    const api = await fetch(`${hub.url}/api/nothing-here`);
    expect([api.status, await api.json()]).toEqual([404, { error: { code: 'not-found', message: 'not found' } }]);
    expect((await fetch(`${hub.url}/fleet`, { method: 'POST' })).status).toBe(404);
  });
});
