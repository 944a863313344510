/**
 * `till migration compare --old FILE --date DAY --data DIR [--data DIR ...]`:
 * the parallel run of migration day (src/core/parallel-run.ts). The old
 * system's daily totals for DAY against Till's figures for the same business
 * day, added up over the store's terminals (each ledger read only, so it runs
 * beside a working till); every difference named in the person's language.
 * Exit 0 when the two agree, 1 when they differ.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseColumnMap } from '../../core/catalog-csv';
import { TOTALS_FIELDS, compareDay, readDailyTotalsCsv, totalsOfReports, type Line, type TotalsField } from '../../core/parallel-run';
import { parseDay } from '../../core/sales-history-csv';
import { openLedger } from '../../ledger/index';
import type { Report } from '../../shared/contract/report';
import { CatalogReader, buildReport, decodeCatalogFile, readCatalogFile, readTerminalConfig, type FileEncoding } from '../../terminal/index';
import { asUsage } from '../csv-import';
import { EXIT, UsageError, type Command } from '../io';
import { cliLanguage, isLang, t, yuan, type Lang, type MessageKey } from '../messages';

const TENDER_KEYS: ReadonlySet<string> = new Set(['cash', 'card', 'wechat', 'alipay', 'unionpay']);

function describeLine(lang: Lang, l: Line): string {
  const tender = (name: string) => (TENDER_KEYS.has(name) ? t(lang, `tender.${name}` as MessageKey) : name);
  const what = l.topic === 'total' ? t(lang, 'compare.total') : l.topic === 'count' ? t(lang, 'compare.count') : l.topic === 'category' ? t(lang, 'compare.category', { name: l.name }) : t(lang, 'compare.tender', { name: tender(l.name) });
  const fmt = (n: number | null) => (n === null ? '' : l.topic === 'count' ? String(n) : yuan(n));
  if (l.old === null) return t(lang, 'compare.onlyTill', { what, till: fmt(l.till) });
  if (l.till === null) return t(lang, 'compare.onlyOld', { what, old: fmt(l.old) });
  if (l.diff === 0) return t(lang, 'compare.same', { what, old: fmt(l.old) });
  const diff = l.diff ?? 0;
  return t(lang, 'compare.differs', { what, old: fmt(l.old), till: fmt(l.till), diff: `${diff > 0 ? '+' : ''}${fmt(diff)}` });
}

const command: Command = {
  summary: "migration day: compare a day's totals from the old system's export with Till's (parallel run)",
  usage: 'till migration compare --old FILE --date YYYY-MM-DD --data DIR [--data DIR ...] [--encoding utf8|gbk] [--json] [--lang zh-CN|en] [--map field=header,...]',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        old: { type: 'string' },
        date: { type: 'string' },
        data: { type: 'string', multiple: true, default: [] },
        encoding: { type: 'string' },
        json: { type: 'boolean', default: false },
        lang: { type: 'string' },
        map: { type: 'string', multiple: true, default: [] },
      },
    });
    if (positionals[0] !== 'compare' || positionals.length !== 1) throw new UsageError("the sub-command is 'compare'");
    if (!values.old || !values.date || values.data.length === 0) throw new UsageError('--old, --date and at least one --data are required');
    const day = parseDay(values.date);
    if (!day) throw new UsageError(`--date is a calendar date YYYY-MM-DD (got '${values.date}')`);
    if (values.lang !== undefined && !isLang(values.lang)) throw new UsageError(`--lang is zh-CN or en (got '${values.lang}')`);
    if (values.encoding !== undefined && values.encoding !== 'utf8' && values.encoding !== 'gbk') throw new UsageError(`--encoding must be utf8 or gbk (got '${values.encoding}')`);
    const lang = cliLanguage(values.lang, readTerminalConfig(values.data[0] as string).config.language);
    const decoded = decodeCatalogFile(readCatalogFile(values.old), values.encoding as FileEncoding | undefined);
    const reading = asUsage(() => readDailyTotalsCsv(decoded.text, day, { map: parseColumnMap<TotalsField>(values.map, TOTALS_FIELDS) }));
    const reports: Report[] = [];
    for (const dir of values.data) {
      const ledger = openLedger(dir, { readonly: true });
      try {
        const offset = new CatalogReader(ledger.db).settings().utcOffsetMinutes;
        reports.push(buildReport(ledger, { kind: 'x', day, utcOffsetMinutes: offset, now: new Date(), closedBy: null }));
      } finally {
        ledger.close();
      }
    }
    const cmp = compareDay(reading.totals, totalsOfReports(reports));
    const source = reports.map((r) => `${r.store}/${r.terminal}`).join(', ');
    if (values.json) {
      io.out(JSON.stringify({ date: day, ok: cmp.differences.length === 0, old: values.old, till: source, rowsUsed: reading.used, rejected: reading.rejected, differences: cmp.differences, same: cmp.same }) + '\n');
      return cmp.differences.length ? EXIT.failed : EXIT.ok;
    }
    io.out(`${t(lang, 'compare.title', { date: day, file: path.basename(values.old), source })}\n`);
    for (const r of reading.rejected) io.out(`  ${t(lang, 'compare.rejected', { row: r.row, reason: t(lang, `compare.bad.${r.field}`, { value: r.value }) })}\n`);
    for (const l of cmp.differences) io.out(`  ${describeLine(lang, l)}\n`);
    for (const l of cmp.same) io.out(`  ${describeLine(lang, l)}\n`);
    io.out(`${cmp.differences.length ? t(lang, 'compare.summary.differs', { n: cmp.differences.length }) : t(lang, 'compare.summary.same')}\n`);
    return cmp.differences.length ? EXIT.failed : EXIT.ok;
  },
};
export default command;
