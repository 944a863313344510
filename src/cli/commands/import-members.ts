/**
 * till import-members FILE --data DIR [--encoding utf8|gbk] [--dry-run] [--json] [--map field=header,...]
 * Migration day: the old system's member export (UTF-8 or GBK, Chinese or
 * English headers; src/core/members-csv.ts) with the same report as
 * till import-catalog (rows accepted, rows rejected with row number and
 * reason); unless --dry-run, the accepted members and their opening balances
 * (level, points, stored value) are written in one transaction. Exit 0 when
 * every row was accepted, 1 when some were rejected (the accepted ones are
 * still imported unless --dry-run).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseColumnMap } from '../../core/catalog-csv';
import { MEMBER_FIELDS, readMembersCsv, type MemberField, type MembersReport } from '../../core/members-csv';
import { openLedger } from '../../ledger/index';
import { decodeCatalogFile, hasOpening, importMembers, phoneOwner, readCatalogFile, registerMemberProjectors, type FileEncoding } from '../../terminal/index';
import { formatMinor } from '../../shared/money';
import { EXIT, UsageError, type Command } from '../io';

const command: Command = {
  summary: "import members with their opening points and stored balances from an old system's CSV export, with a validation report",
  usage: 'till import-members FILE --data DIR [--encoding utf8|gbk] [--dry-run] [--json] [--map field=header,...]',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        data: { type: 'string' },
        encoding: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        map: { type: 'string', multiple: true, default: [] },
      },
    });
    const file = positionals[0];
    if (!file || positionals.length > 1) throw new UsageError('name exactly one CSV file');
    if (!values.data) throw new UsageError('--data is required');
    if (values.encoding !== undefined && values.encoding !== 'utf8' && values.encoding !== 'gbk') throw new UsageError(`--encoding must be utf8 or gbk (got '${values.encoding}')`);
    let map: Partial<Record<MemberField, string>>;
    try {
      map = parseColumnMap(values.map, MEMBER_FIELDS);
    } catch (e) {
      if (e instanceof RangeError) throw new UsageError(e.message);
      throw e;
    }
    const decoded = decodeCatalogFile(readCatalogFile(file), values.encoding as FileEncoding | undefined);
    const dryRun = values['dry-run'];
    const ledger = openLedger(values.data);
    try {
      registerMemberProjectors(ledger);
      let report: MembersReport;
      try {
        report = readMembersCsv(decoded.text, { map, hasOpening: hasOpening(ledger), phoneOwner: phoneOwner(ledger) });
      } catch (e) {
        if (e instanceof RangeError) throw new UsageError(e.message);
        throw e;
      }
      const written = !dryRun && report.members.length ? importMembers(ledger, report.members, report.openings, path.basename(file)) : null;
      const points = report.openings.reduce((n, o) => n + o.points, 0);
      const balance = report.openings.reduce((n, o) => n + o.balance, 0);
      if (values.json) {
        io.out(
          JSON.stringify({
            file,
            encoding: decoded.encoding,
            encodingDetected: decoded.detected,
            columns: report.columns,
            rows: report.rows,
            accepted: report.members.length,
            rejected: report.rejected,
            openingPoints: points,
            openingBalance: balance,
            dryRun,
            written,
          }) + '\n',
        );
      } else {
        io.out(`read ${file} (${decoded.encoding === 'gbk' ? 'GBK' : 'UTF-8'}${decoded.detected ? ', detected' : ''}): ${report.rows} rows\n`);
        io.out(`columns: ${Object.entries(report.columns).map(([f, h]) => `${h} -> ${f}`).join(', ')}\n`);
        io.out(`accepted ${report.members.length}, rejected ${report.rejected.length}; opening balances: ${points} points, ¥${formatMinor(balance)} stored value\n`);
        for (const r of report.rejected) io.out(`  row ${r.row}: ${r.reason}\n`);
        if (dryRun) io.out('dry run: nothing was written\n');
        else if (written) io.out(`imported ${written.members} members with their opening balances as catalog version ${written.version} (one transaction, ${written.entries} journal entries)\n`);
        else io.out('nothing to import\n');
      }
      return report.rejected.length ? EXIT.failed : EXIT.ok;
    } finally {
      ledger.close();
    }
  },
};
export default command;
