/**
 * `till devices check --data DIR` on real files and the simulated devices:
 * a good DATA/devices.json prints each device's status, a bad one names the
 * field, and the example file IT staff copy is valid against the real schema.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDevicesConfig, startSimulatedDevices } from '../../drivers';
import { tempDir } from '../hub/fixtures';
import { till } from '../support/till';

const ROOT = path.resolve(__dirname, '../..');
const dirs: string[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const dir = () => {
  const d = tempDir('devcheck');
  dirs.push(d);
  return d;
};

describe('till devices check', () => {
  it('prints every simulated device as ok', async () => {
    const data = dir();
    const sim = await startSimulatedDevices({ dir: data });
    cleanups.push(() => sim.stop());
    fs.writeFileSync(path.join(data, 'devices.json'), JSON.stringify(sim.config));
    const r = await till('devices', 'check', '--data', data);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`printer ${sim.config.printer?.address} (80 mm)`);
    for (const kind of ['scanner', 'printer', 'drawer', 'display']) expect(r.out).toMatch(new RegExp(`^ok +${kind} `, 'm'));
  });

  it('fails naming the field of a bad file, and says when a configured printer is not there', async () => {
    const data = dir();
    const file = path.join(data, 'devices.json');
    fs.writeFileSync(file, JSON.stringify({ display: { path: '/dev/ttyS9', cols: 99 } }));
    const bad = await till('devices', 'check', '--data', data);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toBe(`till devices check: ${file}: display.cols: Too big: expected number to be <=40\n`);
    fs.writeFileSync(file, JSON.stringify({ printer: { address: 'tcp://127.0.0.1:1' } }));
    const down = await till('devices', 'check', '--data', data, '--timeout', '0.5');
    expect(down.code).not.toBe(0);
    expect(down.out).toMatch(/^offline +printer +tcp:\/\/127\.0\.0\.1:1 +printer is not connected/m);
  });

  it('without devices.json: no devices, exit 0', async () => {
    const r = await till('devices', 'check', '--data', dir());
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/devices\.json: the terminal sells without devices/);
  });

  it('the example file is valid, and every field in it is one the schema knows', () => {
    const example = JSON.parse(fs.readFileSync(path.join(ROOT, 'resources/config/devices.example.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    const parsed = parseDevicesConfig(example) as unknown as Record<string, Record<string, unknown>>;
    // the schema strips keys it does not know, so an unknown one would not come back
    for (const [part, fields] of Object.entries(example)) {
      for (const [k, v] of Object.entries(fields)) expect(parsed[part]?.[k], `${part}.${k}`).toEqual(v);
    }
  });
});
