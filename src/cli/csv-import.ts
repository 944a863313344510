/**
 * The command line the CSV imports of migration day share (import-catalog,
 * import-members, hub import-sales, migration compare): one FILE, the data
 * directory, --encoding utf8|gbk (else detected), --dry-run, --json and
 * --map field=header,...; the file read and decoded; a reader's RangeError
 * (a header it cannot use, a bad --map) turned into bad usage; and the two
 * lines every text report starts with.
 */
import { parseArgs } from 'node:util';
import { parseColumnMap } from '../core/catalog-csv';
import { decodeCatalogFile, readCatalogFile, type FileEncoding } from '../terminal/index';
import { UsageError, type CliIO } from './io';

export interface Decoded {
  text: string;
  encoding: FileEncoding;
  detected: boolean;
}

export interface ImportLine<F extends string> {
  file: string;
  dryRun: boolean;
  json: boolean;
  map: Partial<Record<F, string>>;
  decoded: Decoded;
  /** the other string options the command declared (--data, --database, --source, ...) */
  values: Record<string, string | undefined>;
}

/** runs `read`, turning the RangeError a CSV reader throws for an unusable header or map into bad usage */
export function asUsage<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
}

export function parseImportLine<F extends string>(args: string[], fields: readonly F[], options: { required: readonly string[]; optional?: readonly string[]; fileFlag?: string }): ImportLine<F> {
  const strings = Object.fromEntries([...options.required, ...(options.optional ?? [])].map((n) => [n, { type: 'string' as const }]));
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: options.fileFlag === undefined,
    options: {
      ...strings,
      encoding: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      map: { type: 'string', multiple: true, default: [] },
    },
  });
  const v = values as Record<string, string | boolean | string[] | undefined>;
  const file = options.fileFlag ? (v[options.fileFlag] as string | undefined) : positionals[0];
  if (!options.fileFlag && (!file || positionals.length > 1)) throw new UsageError('name exactly one CSV file');
  for (const r of options.required) if (typeof v[r] !== 'string' || v[r] === '') throw new UsageError(`--${options.required.join(', --')} ${options.required.length > 1 ? 'are' : 'is'} required`);
  if (!file) throw new UsageError(`--${options.fileFlag} FILE is required`);
  const encoding = v.encoding as string | undefined;
  if (encoding !== undefined && encoding !== 'utf8' && encoding !== 'gbk') throw new UsageError(`--encoding must be utf8 or gbk (got '${encoding}')`);
  const map = asUsage(() => parseColumnMap(v.map as string[], fields));
  const decoded = decodeCatalogFile(readCatalogFile(file), encoding as FileEncoding | undefined);
  const rest = Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === 'string')) as Record<string, string>;
  return { file, dryRun: v['dry-run'] === true, json: v.json === true, map, decoded, values: rest };
}

/** "read FILE (GBK, detected): N rows" and "columns: header -> field, ..." */
export function reportHead(io: CliIO, file: string, decoded: Decoded, rows: number, columns: Record<string, string | undefined>): void {
  io.out(`read ${file} (${decoded.encoding === 'gbk' ? 'GBK' : 'UTF-8'}${decoded.detected ? ', detected' : ''}): ${rows} rows\n`);
  io.out(`columns: ${Object.entries(columns).map(([f, h]) => `${h} -> ${f}`).join(', ')}\n`);
}

/** the fields every --json report starts with */
export function jsonHead(file: string, decoded: Decoded, rows: number, columns: Record<string, string | undefined>): Record<string, unknown> {
  return { file, encoding: decoded.encoding, encodingDetected: decoded.detected, columns, rows };
}
