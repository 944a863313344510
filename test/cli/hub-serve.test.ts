/**
 * `till hub` for operations: it makes DATA/metrics-token (0600) and serves
 * /metrics with it, or serves metrics only on --metrics-host/--metrics-port
 * without a token.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { METRICS_TOKEN_FILE } from '../../src/hub/runtime';
import { tempDir } from '../hub/fixtures';
import { till, tillServe } from '../support/till';
import { waitFor } from '../support/wait';
import { hubUrlOf } from './sync-helpers';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function hubDir(): string {
  const d = tempDir('hub-serve');
  dirs.push(d);
  return d;
}

describe('till hub for operations', () => {
  it('makes a private metrics token and serves /metrics with it, a scrape without it logged', async () => {
    const dir = hubDir();
    const hub = tillServe('hub', '--data', dir, '--port', '0');
    let token = '';
    try {
      const url = await waitFor('the hub', () => hubUrlOf(dir));
      const file = path.join(dir, METRICS_TOKEN_FILE);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      token = fs.readFileSync(file, 'utf8').trim();
      expect((await fetch(`${url}/metrics`)).status).toBe(401);
      const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('till_hub_terminals_connected 0');
    } finally {
      expect((await hub.stop()).code).toBe(0);
    }
    expect(hub.output()).toContain('auth failed: metrics from 127.0.0.1 (no token given)');
    expect(hub.output()).not.toContain(token);
  });

  it('serves metrics on --metrics-host/--metrics-port without a token, and none on the hub address', async () => {
    const dir = hubDir();
    const hub = tillServe('hub', '--data', dir, '--port', '0', '--metrics-host', '127.0.0.1', '--metrics-port', '0');
    try {
      const url = await waitFor('the hub', () => hubUrlOf(dir));
      const metrics = await waitFor('the metrics address', () => /metrics on (http:\S+)/.exec(hub.output())?.[1]);
      expect((await fetch(metrics)).status).toBe(200);
      expect((await fetch(`${url}/metrics`)).status).toBe(404);
      expect(fs.existsSync(path.join(dir, METRICS_TOKEN_FILE))).toBe(false);
    } finally {
      expect((await hub.stop()).code).toBe(0);
    }
  });

  it('refuses --metrics-host without --metrics-port and a bad port', async () => {
    const dir = hubDir();
    expect(await till('hub', '--data', dir, '--metrics-host', '10.0.0.2')).toMatchObject({ code: 2, err: expect.stringContaining('--metrics-host needs --metrics-port') });
    expect(await till('hub', '--data', dir, '--metrics-port', '70000')).toMatchObject({ code: 2, err: expect.stringContaining('bad --metrics-port 70000') });
  });
});
