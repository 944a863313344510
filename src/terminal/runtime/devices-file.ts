/**
 * The terminal's devices from its data directory: DATA/devices.json holds the
 * devices config of drivers/config.ts (devicesConfigSchema; a commented copy
 * for IT staff is resources/config/devices.example.json). The file is
 * optional: without it the terminal sells with no devices (a keyboard-wedge
 * scanner still works in the UI). A file that cannot be read or does not
 * validate never stops the terminal: it sells without devices, the problem
 * (naming the field, e.g. "printer.width") is logged, answered by
 * readDevicesFile(), and sent to the hub as device health.
 */
import path from 'node:path';
import { createDevices, parseDevicesConfig, type DeviceManager, type DevicesConfig } from '../../../drivers/index';
import type { DeviceHealth } from '../../shared/replication';
import { isTillError } from '../../shared/errors';
import { statusEvents, statusView } from '../handlers/devices';
import { readJsonFile } from './json-file';

export const DEVICES_FILE = 'devices.json';

export interface DevicesFile {
  file: string;
  /** null: no file, or a file with a problem */
  config: DevicesConfig | null;
  /** one line naming the file and the field, or null */
  problem: string | null;
}

/** reads and validates DATA/devices.json; never throws for the file's content */
export function readDevicesFile(dataDir: string): DevicesFile {
  const file = path.join(dataDir, DEVICES_FILE);
  const r = readJsonFile(file);
  if (r.kind === 'missing') return { file, config: null, problem: null };
  if (r.kind === 'problem') return { file, config: null, problem: r.problem };
  try {
    return { file, config: parseDevicesConfig(r.json), problem: null };
  } catch (e) {
    if (!isTillError(e)) throw e;
    return { file, config: null, problem: `${file}: ${e.message.replace(/^devices config: /, '')}` };
  }
}

export interface RuntimeDevices {
  /** 'file': created from DATA/devices.json (the runtime stops it); 'caller': given by the caller; 'none' */
  source: 'file' | 'caller' | 'none';
  manager: DeviceManager | null;
  /** why the configured devices are not in use, or null */
  problem: string | null;
  /** one line for the log: what the terminal drives */
  summary: string;
}

function describe(c: DevicesConfig): string {
  const parts: string[] = [];
  if (c.scanner) parts.push(c.scanner.kind === 'serial' ? `scanner ${c.scanner.path}` : 'keyboard-wedge scanner');
  if (c.printer) parts.push(`printer ${c.printer.address} (${c.printer.width} mm)`);
  if (c.drawer) parts.push(c.drawer.kind === 'printer' ? 'drawer on the printer' : `drawer ${c.drawer.path ?? ''}`);
  if (c.display) parts.push(`customer display ${c.display.path}`);
  return parts.length ? parts.join(', ') : 'no devices configured';
}

/** creates and starts the device manager of DATA/devices.json; a bad file or driver set-up leaves the terminal without devices */
export function startFileDevices(dataDir: string): RuntimeDevices {
  const f = readDevicesFile(dataDir);
  if (f.problem) return { source: 'none', manager: null, problem: f.problem, summary: `devices: not in use: ${f.problem}` };
  if (!f.config) return { source: 'none', manager: null, problem: null, summary: `devices: none (no ${f.file})` };
  let manager: DeviceManager;
  try {
    manager = createDevices(f.config);
  } catch (e) {
    if (!isTillError(e)) throw e;
    const problem = `${f.file}: ${e.message.replace(/^devices config: /, '')}`;
    return { source: 'none', manager: null, problem, summary: `devices: not in use: ${problem}` };
  }
  manager.start();
  return { source: 'file', manager, problem: null, summary: `devices from ${f.file}: ${describe(f.config)}` };
}

/** the devices as the hub's status report shows them: one row per device, plus the config problem */
export function deviceHealth(d: Pick<RuntimeDevices, 'manager' | 'problem'>): DeviceHealth[] {
  const out: DeviceHealth[] = [];
  if (d.problem) out.push({ name: DEVICES_FILE, kind: 'config', ok: false, detail: d.problem.slice(0, 200) });
  if (d.manager) {
    const view = statusView(d.manager.status(), d.manager.jobs());
    for (const e of statusEvents(view)) {
      const state = e.kind === 'drawer' && view.drawer ? view.drawer.state : e.status;
      out.push({ name: e.device.slice(0, 64), kind: e.kind, ok: e.status === 'ok', state, ...(e.message ? { detail: e.message.slice(0, 200) } : {}) });
    }
  }
  return out.slice(0, 32);
}
