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
import { MEMBER_FIELDS, readMembersCsv } from '../../core/members-csv';
import { openLedger } from '../../ledger/index';
import { hasOpening, importMembers, phoneOwner, registerMemberProjectors } from '../../terminal/index';
import { formatMinor } from '../../shared/money';
import { asUsage, jsonHead, parseImportLine, reportHead } from '../csv-import';
import { EXIT, type Command } from '../io';

const command: Command = {
  summary: "import members with their opening points and stored balances from an old system's CSV export, with a validation report",
  usage: 'till import-members FILE --data DIR [--encoding utf8|gbk] [--dry-run] [--json] [--map field=header,...]',
  async run(args, io) {
    const { file, dryRun, json, map, decoded, values } = parseImportLine(args, MEMBER_FIELDS, { required: ['data'] });
    const ledger = openLedger(values.data as string);
    try {
      registerMemberProjectors(ledger);
      const report = asUsage(() => readMembersCsv(decoded.text, { map, hasOpening: hasOpening(ledger), phoneOwner: phoneOwner(ledger) }));
      const written = !dryRun && report.members.length ? importMembers(ledger, report.members, report.openings, path.basename(file)) : null;
      const points = report.openings.reduce((n, o) => n + o.points, 0);
      const balance = report.openings.reduce((n, o) => n + o.balance, 0);
      if (json) {
        io.out(
          JSON.stringify({
            ...jsonHead(file, decoded, report.rows, report.columns),
            accepted: report.members.length,
            rejected: report.rejected,
            openingPoints: points,
            openingBalance: balance,
            dryRun,
            written,
          }) + '\n',
        );
      } else {
        reportHead(io, file, decoded, report.rows, report.columns);
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
