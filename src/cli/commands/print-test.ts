/** `till print-test`: prints the test receipt on a printer given by its address and reports its status. */
import { parseArgs } from 'node:util';
import { EscPosPrinter, testReceipt } from '../../../drivers/printer';
import { createTransport } from '../../../drivers/transport';
import { wordmarkLogo } from '../../../drivers/escpos';
import { TillError } from '../../shared/errors';
import { EXIT, UsageError, type Command } from '../io';

const command: Command = {
  summary: 'print a test receipt (Chinese, columns, QR, barcode) on a printer and show its status',
  usage: 'till print-test --printer tcp://HOST:PORT|serial:PATH|usb:/dev/usb/lpN|usb:VID:PID [--width 58|80] [--timeout MS]',
  async run(args, io) {
    const { values } = parseArgs({ args, options: { printer: { type: 'string' }, width: { type: 'string' }, timeout: { type: 'string' } }, strict: true });
    if (!values.printer) throw new UsageError('--printer ADDRESS is required');
    const width = values.width === undefined ? 80 : Number(values.width);
    if (width !== 58 && width !== 80) throw new UsageError('--width must be 58 or 80');
    const timeout = values.timeout === undefined ? 5000 : Number(values.timeout);
    if (!Number.isInteger(timeout) || timeout < 100) throw new UsageError('--timeout must be a whole number of ms, at least 100');
    const transport = createTransport(values.printer, { backoff: { initialMs: 200, maxMs: 1000 } });
    const printer = new EscPosPrinter(transport, { width, logo: wordmarkLogo() });
    transport.open();
    try {
      await transport.whenOpen(timeout);
      const before = await printer.queryStatus();
      io.out(`${transport.target}: ${before.message}\n`);
      const bytes = printer.render(testReceipt({ width, target: transport.target }));
      await printer.printBytes(bytes);
      const after = printer.lastStatus;
      io.out(`printed the test receipt (${bytes.length} bytes, ${width} mm); ${after.message}\n`);
      return EXIT.ok;
    } catch (e) {
      if (e instanceof TillError) throw e;
      throw new TillError('device-error', `printing on ${transport.target} failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      await transport.close();
    }
  },
};
export default command;
