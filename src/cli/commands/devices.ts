/**
 * `till devices list`: the serial ports and USB printer device files on this machine.
 * `till devices check --data DIR`: validates DATA/devices.json (the field that is wrong is
 * named) and prints each configured device's status after trying to connect to it.
 * `till devices simulate --dir DIR`: runs the simulated device set (scanner, display and
 * drawer on ptys, the virtual printer on TCP) until stopped, prints the devices config that
 * points at it, and takes commands on an HTTP control port (scan/CODE, paper-out, ...).
 */
import type http from 'node:http';
import { parseArgs } from 'node:util';
import { startSimulatedControl, startSimulatedDevices } from '../../../drivers/index';
import { listPorts } from '../../../drivers/transport';
import { readDevicesFile, startFileDevices, statusEvents, statusView } from '../../terminal/index';
import { EXIT, UsageError, type Command, type CliIO } from '../io';

async function list(json: boolean, io: CliIO): Promise<number> {
  const listing = await listPorts();
  if (json) {
    io.out(JSON.stringify(listing, null, 2) + '\n');
    return EXIT.ok;
  }
  for (const p of listing.ports) {
    const ids = p.vendorId ? ` ${p.vendorId}:${p.productId ?? '?'}` : '';
    io.out(`${p.kind.padEnd(12)} ${p.path}${ids}${p.manufacturer ? `  ${p.manufacturer}` : ''}\n`);
  }
  for (const n of listing.notes) io.out(`note: ${n}\n`);
  return EXIT.ok;
}

async function check(v: { data?: string; timeout?: string }, io: CliIO): Promise<number> {
  if (!v.data) throw new UsageError('--data DIR is required');
  const timeoutS = v.timeout === undefined ? 3 : Number(v.timeout);
  if (!(timeoutS > 0)) throw new UsageError(`bad --timeout ${v.timeout}`);
  const f = readDevicesFile(v.data);
  if (f.problem) {
    io.err(`till devices check: ${f.problem}\n`);
    return EXIT.failed;
  }
  if (!f.config) {
    io.out(`no ${f.file}: the terminal sells without devices (see resources/config/devices.example.json)\n`);
    return EXIT.ok;
  }
  const d = startFileDevices(v.data);
  if (!d.manager) {
    io.err(`till devices check: ${d.problem ?? 'the devices could not be set up'}\n`);
    return EXIT.failed;
  }
  try {
    io.out(`${d.summary}\n`);
    await d.manager.whenReady(timeoutS * 1000).catch(() => undefined);
    if (d.manager.hasPrinter) await d.manager.printerStatus().catch(() => undefined);
    const rows = statusEvents(statusView(d.manager.status(), d.manager.jobs()));
    for (const r of rows) io.out(`${r.status.padEnd(9)} ${r.kind.padEnd(8)} ${r.device}${r.message ? `  ${r.message}` : ''}\n`);
    if (f.config.scanner?.kind === 'wedge') io.out(`${'ok'.padEnd(9)} scanner  keyboard wedge  read by the cashier screen\n`);
    return rows.every((r) => r.status === 'ok') ? EXIT.ok : EXIT.failed;
  } finally {
    await d.manager.stop();
  }
}

async function simulate(v: { dir?: string; width?: string; drawer?: string; control?: string; 'printer-port'?: string }, io: CliIO): Promise<number> {
  if (!v.dir) throw new UsageError('--dir DIR is required');
  const width = v.width === undefined ? 80 : Number(v.width);
  if (width !== 58 && width !== 80) throw new UsageError('--width must be 58 or 80');
  if (v.drawer !== undefined && v.drawer !== 'printer' && v.drawer !== 'serial') throw new UsageError('--drawer must be printer or serial');
  const num = (s: string | undefined, name: string, dflt: number) => {
    if (s === undefined) return dflt;
    if (!/^\d{1,5}$/.test(s) || Number(s) > 65535) throw new UsageError(`--${name} must be a port number 0-65535`);
    return Number(s);
  };
  const controlPort = num(v.control, 'control', 0);
  const sim = await startSimulatedDevices({ dir: v.dir, width, drawer: (v.drawer as 'printer' | 'serial' | undefined) ?? 'printer', printerPort: num(v['printer-port'], 'printer-port', 0) });
  let control: http.Server | null = null;
  try {
    control = await startSimulatedControl(sim, controlPort);
    const a = control.address();
    const cp = a && typeof a === 'object' ? a.port : controlPort;
    io.out(`devices config: ${JSON.stringify(sim.config)}\n`);
    io.out(`receipts: ${v.dir}/receipts\n`);
    io.out(`control: curl http://127.0.0.1:${cp}/scan/6901234567892   (also /paper-out, /paper-ok, /drawer-close, /scanner-unplug, /scanner-replug; / shows the state)\n`);
    sim.printer.on('job', (j) => io.out(`printed job ${j.n}: ${j.lines.length} lines${j.files ? ` -> ${j.files.txt}` : ''}\n`));
    await io.untilSignal();
  } finally {
    if (control) {
      const srv = control;
      await new Promise<void>((r) => srv.close(() => r()));
    }
    await sim.stop();
  }
  io.out('simulated devices stopped\n');
  return EXIT.ok;
}

const command: Command = {
  summary: 'list serial ports and USB printers, check DATA/devices.json, or run the simulated device set',
  usage: 'till devices list [--json] | till devices check --data DIR [--timeout SECONDS] | till devices simulate --dir DIR [--width 58|80] [--drawer printer|serial] [--control PORT] [--printer-port PORT]',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        json: { type: 'boolean' },
        data: { type: 'string' },
        timeout: { type: 'string' },
        dir: { type: 'string' },
        width: { type: 'string' },
        drawer: { type: 'string' },
        control: { type: 'string' },
        'printer-port': { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length !== 1 || !['list', 'check', 'simulate'].includes(positionals[0] ?? '')) throw new UsageError("the sub-commands are 'list', 'check' and 'simulate'");
    if (positionals[0] === 'list') return list(values.json ?? false, io);
    if (positionals[0] === 'check') return check(values, io);
    return simulate(values, io);
  },
};
export default command;
