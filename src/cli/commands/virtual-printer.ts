/**
 * `till virtual-printer`: a network receipt printer that prints to files.
 * Each job becomes DIR/<n>.txt and DIR/<n>.png; its condition (paper out,
 * cover open, offline, drawer) is changed over a small HTTP control port.
 */
import type http from 'node:http';
import { parseArgs } from 'node:util';
import { CONTROL_ACTIONS, startControlServer, VirtualPrinter, type PrinterCondition } from '../../../drivers/printer';
import { EXIT, UsageError, type Command } from '../io';

function port(v: string | undefined, name: string, dflt: number): number {
  if (v === undefined) return dflt;
  if (!/^\d{1,5}$/.test(v) || Number(v) > 65535) throw new UsageError(`--${name} must be a port number 0-65535`);
  return Number(v);
}

function describe(c: PrinterCondition): string {
  const parts = [c.paperOut ? 'paper out' : c.paperNearEnd ? 'paper low' : 'paper ok', c.coverOpen ? 'cover open' : null, c.offline ? 'offline' : null, c.error ? 'error' : null, c.drawerOpen ? 'drawer open' : 'drawer closed'];
  return parts.filter(Boolean).join(', ');
}

const command: Command = {
  summary: 'run a virtual ESC/POS network printer that writes each receipt as text and PNG',
  usage: 'till virtual-printer --out DIR [--port 9100] [--host 127.0.0.1] [--width 58|80] [--control PORT|off] [--idle MS]',
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        out: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        width: { type: 'string' },
        control: { type: 'string' },
        idle: { type: 'string' },
      },
      strict: true,
    });
    if (!values.out) throw new UsageError('--out DIR is required');
    const width = values.width === undefined ? 80 : Number(values.width);
    if (width !== 58 && width !== 80) throw new UsageError('--width must be 58 or 80');
    const idle = values.idle === undefined ? 1500 : Number(values.idle);
    if (!Number.isInteger(idle) || idle < 50) throw new UsageError('--idle must be a whole number of ms, at least 50');
    const host = values.host ?? '127.0.0.1';
    const vp = new VirtualPrinter({ port: port(values.port, 'port', 9100), host, outDir: values.out, width, idleMs: idle });
    const bound = await vp.start();
    let control: http.Server | null = null;
    try {
      io.out(`virtual printer listening on ${host}:${bound} (${width} mm), writing jobs to ${values.out}\n`);
      if (values.control !== 'off') {
        const cport = port(values.control, 'control', bound + 1);
        control = await startControlServer(vp, cport, '127.0.0.1');
        const a = control.address();
        const cp = a && typeof a === 'object' ? a.port : cport;
        io.out(`control: curl http://127.0.0.1:${cp}/paper-out   (actions: ${Object.keys(CONTROL_ACTIONS).join(', ')}; / shows the condition)\n`);
      }
      vp.on('job', (j) => {
        io.out(`job ${j.n}: ${j.lines.length} lines, ${j.bytes} bytes, ended by ${j.endedBy}${j.halted ? `, STOPPED (${j.halted})` : ''}${j.files ? ` -> ${j.files.txt} ${j.files.png}` : ''}\n`);
      });
      vp.on('condition', (c) => io.out(`condition: ${describe(c)}\n`));
      await io.untilSignal();
    } finally {
      if (control) {
        const srv = control;
        await new Promise<void>((r) => srv.close(() => r()));
      }
      await vp.stop();
    }
    io.out('virtual printer stopped\n');
    return EXIT.ok;
  },
};
export default command;
