/**
 * The hub's production files in resources/hub: the systemd unit passes
 * systemd-analyze verify (its ExecStart pointed at this checkout), every
 * setting of the environment file is one the unit or the code reads, the
 * unit's command line (with the example's values) starts a real hub that
 * answers /api/health, and nginx sends /socket.io/ (with the websocket
 * upgrade) and the API to the port the environment file gives the hub.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkCatalogChanges } from '../../src/hub/catalog';
import { newHubSecrets } from '../../src/hub/secrets';
import { storeSettingsSchema } from '../../src/shared/contract/catalog';
import { tillServe } from '../support/till';
import { waitFor } from '../support/wait';
import { hubUrlOf } from '../cli/sync-helpers';

const ROOT = path.resolve(__dirname, '../..');
const HUB = path.join(ROOT, 'resources/hub');
const unit = fs.readFileSync(path.join(HUB, 'till-hub.service'), 'utf8');
const envText = fs.readFileSync(path.join(HUB, 'till-hub.env.example'), 'utf8');
const nginx = fs.readFileSync(path.join(HUB, 'nginx-till-hub.conf.example'), 'utf8');
const env = Object.fromEntries(
  envText
    .split('\n')
    .filter((l) => /^[A-Z_]+=/.test(l))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
);
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function sources(dir: string): string {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => fs.readFileSync(path.join(e.parentPath, e.name), 'utf8'))
    .join('\n');
}

describe('resources/hub', () => {
  it('the unit passes systemd-analyze verify', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-unit-'));
    dirs.push(dir);
    const copy = path.join(dir, 'till-hub.service');
    fs.writeFileSync(copy, unit.replaceAll('/opt/till', ROOT).replace('EnvironmentFile=/etc/till/hub.env', `EnvironmentFile=${path.join(HUB, 'till-hub.env.example')}`).replace('/usr/bin/node', process.execPath));
    const r = spawnSync('systemd-analyze', ['verify', copy], { encoding: 'utf8' });
    expect(r.error, 'systemd-analyze is needed (Debian package systemd)').toBeUndefined();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('every setting of the environment file is read by the unit or the code', () => {
    const code = sources(path.join(ROOT, 'src'));
    expect(Object.keys(env).sort()).toEqual(['TILL_HUB_DATA', 'TILL_HUB_DATABASE_URL', 'TILL_HUB_HOST', 'TILL_HUB_PORT', 'TILL_LOG_LEVEL']);
    for (const key of Object.keys(env)) expect(unit.includes(`\${${key}}`) || code.includes(`env.${key}`), key).toBe(true);
  });

  it("the unit's command line starts a hub on the example's address", async () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'till-unit-data-'));
    dirs.push(data);
    const exec = /^ExecStart=\S+ \S+ (.*)$/m.exec(unit)?.[1] as string;
    // the example's port, made free for the test: the rest as the unit passes it
    const args = exec.replace('${TILL_HUB_DATA}', data).replace('${TILL_HUB_HOST}', env.TILL_HUB_HOST as string).replace('${TILL_HUB_PORT}', '0').split(' ');
    expect(args.slice(0, 1)).toEqual(['hub']);
    const hub = tillServe(...args);
    try {
      const url = await waitFor('the hub', () => hubUrlOf(data), 15_000);
      expect(url).toMatch(new RegExp(`^http://${(env.TILL_HUB_HOST as string).replace(/\./g, '\\.')}:\\d+$`));
      const res = await fetch(`${url}/api/health`);
      expect(res.status).toBe(200);
    } finally {
      expect((await hub.stop()).code).toBe(0);
    }
  });

  it('the store settings example is what till hub catalog takes, with a staged update rollout', () => {
    const doc = JSON.parse(fs.readFileSync(path.join(HUB, 'catalog-settings.example.json'), 'utf8')) as { settings: Record<string, unknown> };
    const [change] = checkCatalogChanges([{ kind: 'settings', key: 'store', data: doc.settings }], newHubSecrets().pinKey);
    expect(storeSettingsSchema.parse(change?.data).updates).toEqual({ version: null, percent: 10, stores: ['S001'], channel: 'latest' });
  });

  it('nginx proxies the socket (with the upgrade) and the API to the port the hub listens on', () => {
    expect(nginx).toContain(`server 127.0.0.1:${env.TILL_HUB_PORT};`);
    const socket = /location \/socket\.io\/ \{([^}]*)\}/.exec(nginx)?.[1] ?? '';
    expect(socket).toContain('proxy_pass http://till_hub;');
    expect(socket).toContain('proxy_set_header Upgrade $http_upgrade;');
    expect(socket).toContain('proxy_set_header Connection $connection_upgrade;');
    expect(nginx).toMatch(/listen 443 ssl;/);
  });
});
