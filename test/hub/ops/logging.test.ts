/**
 * The hub's log through `till hub`'s pino set-up (src/terminal/runtime/logging.ts,
 * whose redaction has its own tests): one record per request answered,
 * without the token, session cookie or password it carried, and failed
 * authentication as a warning.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHub } from '../../../src/hub/server';
import { createPinoLogger, LOG_DIR } from '../../../src/terminal/index';
import { ADMIN_TOKEN } from '../console';
import { storeKit, tempDir, type StoreKit } from '../fixtures';

const dirs: string[] = [];
const kits: StoreKit[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  for (const k of kits.splice(0)) await k.cleanup();
});

describe('hub log', () => {
  it('records each request answered without the token, cookie or password it carried, and a failed login as a warning', async () => {
    const dir = tempDir('hub-log');
    dirs.push(dir);
    const kit = storeKit('sqlite');
    kits.push(kit);
    const store = await kit.open();
    const log = await createPinoLogger({ name: 'hub', dir, console: 'none' });
    const hub = await startHub({ store, adminToken: ADMIN_TOKEN, webRoot: null, alerts: false, logger: log.logger });
    try {
      expect((await fetch(`${hub.url}/api/fleet/terminals?store=S1`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}`, cookie: 'till-session=cookie-value-123456' } })).status).toBe(200);
      expect((await fetch(`${hub.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'nobody', password: 'typed-password-123456' }) })).status).toBe(401);
    } finally {
      await hub.close();
      await store.close();
      await log.close();
    }
    const records = fs
      .readdirSync(path.join(dir, LOG_DIR))
      .flatMap((f) => fs.readFileSync(path.join(dir, LOG_DIR, f), 'utf8').split('\n').filter(Boolean))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const secret of [ADMIN_TOKEN, 'cookie-value-123456', 'typed-password-123456']) expect(JSON.stringify(records)).not.toContain(secret);
    expect(records.filter((r) => r.msg === 'request').map((r) => [r.component, r.path, r.route, r.status])).toEqual([
      ['http', '/api/fleet/terminals', '/api/fleet/terminals', 200],
      ['http', '/api/login', '/api/login', 401],
    ]);
    expect(records.some((r) => r.level === 40 && typeof r.msg === 'string' && r.msg.startsWith("auth failed: console login for 'nobody'"))).toBe(true);
    expect(records.some((r) => r.level === 30 && typeof r.msg === 'string' && r.msg.startsWith('hub listening on http://127.0.0.1:'))).toBe(true);
  });
});
