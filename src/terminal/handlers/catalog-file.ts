/**
 * Catalog files on disk: decoding an old system's CSV export (UTF-8 or GBK;
 * detected by a strict UTF-8 decode, since GBK text is almost never valid
 * UTF-8), and the sample catalog in resources/catalog that `till init` seeds.
 */
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { z } from 'zod';
import { memberSchema, promotionSchema, type Member, type Product, type Promotion } from '../../shared/contract/catalog';
import { TillError } from '../../shared/errors';
import { readCatalogCsv, type CsvReport } from '../../core/catalog-csv';
import type { Ledger } from '../../ledger/index';
import { importCatalog, type CatalogApplyResult } from '../projections/catalog';

export type FileEncoding = 'utf8' | 'gbk';

export const SAMPLE_CATALOG_DIR = path.resolve(__dirname, '../../../resources/catalog');

export function decodeCatalogFile(buf: Buffer, encoding?: FileEncoding): { text: string; encoding: FileEncoding; detected: boolean } {
  if (encoding === 'utf8') return { text: buf.toString('utf8'), encoding, detected: false };
  if (encoding === 'gbk') return { text: iconv.decode(buf, 'gb18030'), encoding, detected: false };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding: 'utf8', detected: true };
  } catch {
    return { text: iconv.decode(buf, 'gb18030'), encoding: 'gbk', detected: true };
  }
}

export function readCatalogFile(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new TillError('not-found', code === 'ENOENT' ? `${file} does not exist` : `${file} cannot be read (${code ?? String(e)})`);
  }
}

export interface SampleCatalog {
  products: Product[];
  promotions: Promotion[];
  members: Member[];
  report: CsvReport;
}

export function loadSampleCatalog(dir = SAMPLE_CATALOG_DIR): SampleCatalog {
  const report = readCatalogCsv(decodeCatalogFile(readCatalogFile(path.join(dir, 'products.csv')), 'utf8').text);
  if (report.rejected.length) throw new TillError('internal', `the sample catalog has bad rows (row ${report.rejected[0]?.row}: ${report.rejected[0]?.reason})`);
  const promotions = z.array(promotionSchema).parse(JSON.parse(readCatalogFile(path.join(dir, 'promotions.json')).toString('utf8')));
  const members = z.array(memberSchema).parse(JSON.parse(readCatalogFile(path.join(dir, 'members.json')).toString('utf8')));
  return { products: report.products, promotions, members, report };
}

/** imports the sample catalog, its promotions and members (one transaction) */
export function seedSampleCatalog(ledger: Ledger, dir = SAMPLE_CATALOG_DIR): CatalogApplyResult {
  const s = loadSampleCatalog(dir);
  return importCatalog(ledger, s.products, { promotions: s.promotions, members: s.members });
}
