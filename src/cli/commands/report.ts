import { parseArgs } from 'node:util';
import { openLedger } from '../../ledger/index';
import { CatalogReader, createTerminal } from '../../terminal/index';
import { buildReport, closeDay, reportToday } from '../../terminal/operations';
import { formatReport } from '../../core/report';
import type { Report } from '../../shared/contract/report';
import { UsageError, type Command } from '../io';

const command: Command = {
  summary: 'X report (the day so far) or Z report (日结: closes the day, once)',
  usage: 'till report x|z --data DIR [--date YYYY-MM-DD] [--json]',
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { data: { type: 'string' }, date: { type: 'string' }, json: { type: 'boolean' } } });
    const [kind, ...extra] = positionals;
    if ((kind !== 'x' && kind !== 'z') || extra.length) throw new UsageError('say x or z');
    if (!values.data) throw new UsageError('--data is required');
    if (values.date !== undefined && !/^\d{4}-\d\d-\d\d$/.test(values.date)) throw new UsageError(`--date must be YYYY-MM-DD (got '${values.date}')`);
    const now = new Date();
    let report: Report;
    if (kind === 'x') {
      const ledger = openLedger(values.data, { readonly: true });
      try {
        const catalog = new CatalogReader(ledger.db);
        report = buildReport(ledger, { kind: 'x', day: values.date ?? reportToday(catalog, now), utcOffsetMinutes: catalog.settings().utcOffsetMinutes, now, closedBy: null });
      } finally {
        ledger.close();
      }
    } else {
      const t = createTerminal({ dataDir: values.data });
      try {
        report = closeDay(t.ledger, t.catalog, { day: values.date ?? reportToday(t.catalog, now), now, closedBy: 'till-cli' });
      } finally {
        t.close();
      }
    }
    io.out(values.json ? JSON.stringify(report, null, 2) + '\n' : formatReport(report));
    return 0;
  },
};
export default command;
