import { parseArgs } from 'node:util';
import { openLedger, type Ledger } from '../../ledger/index';
import { CatalogReader, createTerminal } from '../../terminal/index';
import { buildReport, closeDay, reportToday } from '../../terminal/index';
import { formatReport } from '../../core/report';
import type { Report } from '../../shared/contract/report';
import { UsageError, type Command } from '../io';

/**
 * The X report reads the ledger read-only (no writer lock, so it runs beside
 * a live till), unless the ledger predates the store-operations tables: then
 * it is opened once as the writer, which applies the migrations.
 */
function readReport(dir: string, build: (ledger: Ledger, catalog: CatalogReader) => Report): Report {
  const ledger = openLedger(dir, { readonly: true });
  try {
    if (ledger.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'day_closes'").get()) return build(ledger, new CatalogReader(ledger.db));
  } finally {
    ledger.close();
  }
  const t = createTerminal({ dataDir: dir });
  try {
    return build(t.ledger, t.catalog);
  } finally {
    t.close();
  }
}

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
    const day = (catalog: CatalogReader) => values.date ?? reportToday(catalog, now);
    let report: Report;
    if (kind === 'x') {
      report = readReport(values.data, (ledger, catalog) => buildReport(ledger, { kind: 'x', day: day(catalog), utcOffsetMinutes: catalog.settings().utcOffsetMinutes, now, closedBy: null }));
    } else {
      const t = createTerminal({ dataDir: values.data });
      try {
        report = closeDay(t.ledger, t.catalog, { day: day(t.catalog), now, closedBy: 'till-cli' });
      } finally {
        t.close();
      }
    }
    io.out(values.json ? JSON.stringify(report, null, 2) + '\n' : formatReport(report));
    return 0;
  },
};
export default command;
