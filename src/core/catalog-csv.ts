/**
 * Reading a catalog export from an old till system (CSV, already decoded to
 * text). RFC 4180 fields (quotes, doubled quotes, CRLF), a BOM, comma or tab
 * separated. Columns are recognised by the usual Chinese and English headers
 * (商品条码/条码/barcode, 商品名称/品名/name, 零售价/售价/price, ...), or an
 * explicit map field=header. Every row is accepted or rejected with its row
 * number (the header is row 1) and a reason: a bad check digit, a barcode
 * used twice (in the file or by another product already in the catalog), a
 * missing or negative price, an unknown VAT rate, a missing name. Pure: the
 * caller decides whether to write the accepted rows.
 */
import type { Product, VatRate } from '../shared/contract/catalog';
import { parseMinor } from '../shared/money';
import { normaliseGtin, stripPlu } from './barcode';

export const CSV_FIELDS = ['sku', 'barcode', 'name', 'price', 'memberPrice', 'unit', 'category', 'vat', 'weighed', 'plu'] as const;
export type CsvField = (typeof CSV_FIELDS)[number];

const HEADERS: Record<CsvField, string[]> = {
  sku: ['商品编码', '货号', '编码', '商品编号', '自编码', 'sku', 'itemcode', 'code', 'item'],
  barcode: ['商品条码', '条码', '条形码', '国际条码', 'barcode', 'ean', 'upc', 'gtin'],
  name: ['商品名称', '品名', '名称', '商品名', 'name', 'description', 'productname'],
  price: ['零售价', '售价', '单价', '销售价', '价格', 'price', 'retailprice', 'saleprice'],
  memberPrice: ['会员价', 'memberprice', 'vipprice'],
  unit: ['单位', '计量单位', 'unit', 'uom'],
  category: ['类别', '分类', '类别名称', '商品类别', '品类', 'category', 'department'],
  vat: ['税率', '销项税率', '增值税率', 'vat', 'taxrate', 'tax'],
  weighed: ['称重', '是否称重', '计重', 'weighed', 'byweight', 'scale'],
  plu: ['plu', '秤码', '称重码', 'plu码'],
};

export interface CsvRejection {
  row: number;
  reason: string;
}

export interface CsvReport {
  columns: Partial<Record<CsvField, string>>;
  rows: number;
  products: Product[];
  rejected: CsvRejection[];
}

export function parseCsv(text: string): string[][] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const firstLine = src.slice(0, src.search(/\r?\n|$/));
  const sep = !firstLine.includes(',') && firstLine.includes('\t') ? '\t' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === sep) {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

const norm = (h: string) => h.trim().toLowerCase().replace(/[\s_()（）-]/g, '');

/**
 * Finds each field's column in a header row: by the header `map` names for it
 * (throws a RangeError when the file has no such column), else by the first
 * header among its usual names (compared without case, spaces, _ - and brackets).
 */
export function matchColumns<F extends string>(header: string[], fields: readonly F[], names: Record<F, string[]>, map: Partial<Record<F, string>> = {}): { columns: Partial<Record<F, string>>; index: Partial<Record<F, number>> } {
  const columns: Partial<Record<F, string>> = {};
  const index: Partial<Record<F, number>> = {};
  const normed = header.map(norm);
  for (const f of fields) {
    const wanted = map[f];
    const i = wanted !== undefined ? normed.indexOf(norm(wanted)) : normed.findIndex((h) => names[f].includes(h));
    if (wanted !== undefined && i < 0) throw new RangeError(`--map ${f}=${wanted}: the file has no column '${wanted}' (columns: ${header.join(', ')})`);
    if (i >= 0) {
      index[f] = i;
      columns[f] = header[i] as string;
    }
  }
  return { columns, index };
}

/** parses a --map value list (field=header,...) against the fields a reader knows; throws a RangeError naming a bad pair */
export function parseColumnMap<F extends string>(values: string[], fields: readonly F[]): Partial<Record<F, string>> {
  const map: Partial<Record<F, string>> = {};
  for (const part of values.flatMap((v) => v.split(','))) {
    const m = /^([A-Za-z]+)=(.+)$/.exec(part.trim());
    if (!m || !(fields as readonly string[]).includes(m[1] as string)) throw new RangeError(`--map takes field=header pairs with field one of ${fields.join(', ')} (got '${part}')`);
    map[m[1] as F] = (m[2] as string).trim();
  }
  return map;
}

/** the non-empty rows of a CSV text: the header and the data rows (row numbers count the header as row 1) */
export function csvTable(text: string): { header: string[]; rows: string[][] } {
  const all = parseCsv(text).filter((r) => r.some((c) => c.trim() !== ''));
  return { header: all[0] ?? [], rows: all.slice(1) };
}

export function parseVat(v: string): VatRate | null {
  const t = v.trim().replace(/％/g, '%');
  if (t === '免税' || t === '0%' || t === '0') return 0;
  const m = /^(\d+(?:\.\d+)?)\s*(%)?$/.exec(t);
  if (!m) return null;
  let pct = Number(m[1]);
  if (!m[2] && pct > 0 && pct < 1) pct = Math.round(pct * 100);
  const bp = Math.round(pct * 100);
  return bp === 0 || bp === 600 || bp === 900 || bp === 1300 ? bp : null;
}

export function parsePrice(v: string): number | null {
  const t = v.trim().replace(/^[¥￥$]/, '').replace(/,/g, '').replace(/(\.\d\d)0+$/, '$1');
  try {
    return parseMinor(t);
  } catch {
    return null;
  }
}

const YES = new Set(['是', 'y', 'yes', '1', 'true', '称重', '计重']);
const NO = new Set(['否', 'n', 'no', '0', 'false', '']);

/** map: field -> header text as it appears in the file */
export function readCatalogCsv(text: string, opts: { map?: Partial<Record<CsvField, string>>; existingSkuOf?: (gtin: string) => string | null } = {}): CsvReport {
  const table = csvTable(text);
  const all = [table.header, ...table.rows];
  const header = table.header;
  const { columns, index } = matchColumns(header, CSV_FIELDS, HEADERS, opts.map);
  if (index.name === undefined || index.price === undefined || (index.barcode === undefined && index.sku === undefined && index.plu === undefined)) {
    throw new RangeError(`the header must name at least a product name, a price and a barcode or code column (found: ${header.join(', ') || 'nothing'}); use --map field=header`);
  }
  const products: Product[] = [];
  const rejected: CsvRejection[] = [];
  const seenBarcode = new Map<string, number>();
  const seenSku = new Map<string, number>();
  for (let r = 1; r < all.length; r++) {
    const rowNo = r + 1;
    const cells = all[r] as string[];
    const get = (f: CsvField) => (index[f] === undefined ? '' : (cells[index[f] as number] ?? '').trim());
    const reject = (reason: string) => rejected.push({ row: rowNo, reason });
    const name = get('name');
    if (!name) {
      reject('missing product name');
      continue;
    }
    if (name.length > 80) {
      reject('product name longer than 80 characters');
      continue;
    }
    const priceText = get('price');
    if (!priceText) {
      reject('missing price');
      continue;
    }
    const price = parsePrice(priceText);
    if (price === null) {
      reject(`price '${priceText}' is not an amount`);
      continue;
    }
    if (price < 0) {
      reject(`negative price ${priceText}`);
      continue;
    }
    const mpText = get('memberPrice');
    const memberPrice = mpText ? parsePrice(mpText) : null;
    if (mpText && (memberPrice === null || memberPrice < 0)) {
      reject(`member price '${mpText}' is not an amount`);
      continue;
    }
    const vatText = get('vat');
    const vat = vatText ? parseVat(vatText) : 1300;
    if (vat === null) {
      reject(`unknown VAT rate '${vatText}' (13%, 9%, 6% or 0%)`);
      continue;
    }
    const wText = get('weighed').toLowerCase();
    if (!YES.has(wText) && !NO.has(wText)) {
      reject(`weighed '${wText}' is not yes or no (是/否)`);
      continue;
    }
    const weighed = YES.has(wText);
    const pluText = get('plu');
    if (pluText && !/^\d{1,6}$/.test(pluText)) {
      reject(`PLU '${pluText}' must be 1 to 6 digits`);
      continue;
    }
    const plu = pluText ? stripPlu(pluText) : null;
    if (weighed && !plu) {
      reject('a weighed product needs a PLU for its scale labels');
      continue;
    }
    const barcodes: string[] = [];
    let bad: string | null = null;
    for (const raw of get('barcode').split(/[;|/\s]+/).filter(Boolean)) {
      const g = /^\d+$/.test(raw) ? normaliseGtin(raw.length === 11 ? '0' + raw : raw) : null;
      if (!g) {
        bad = /^\d{8}$|^\d{12,14}$/.test(raw) ? `barcode ${raw}: bad check digit` : `barcode '${raw}' is not an EAN-13, EAN-8 or UPC-A`;
        break;
      }
      barcodes.push(g);
    }
    if (bad) {
      reject(bad);
      continue;
    }
    const sku = get('sku') || barcodes[0] || (plu ? `PLU${plu}` : '');
    if (!/^[0-9A-Za-z_-]{1,32}$/.test(sku)) {
      reject(sku ? `code '${sku}' may hold only letters, digits, - and _` : 'no product code, barcode or PLU');
      continue;
    }
    const dup = barcodes.find((b) => seenBarcode.has(b));
    if (dup) {
      reject(`duplicate barcode ${dup} (already on row ${seenBarcode.get(dup)})`);
      continue;
    }
    const dupSku = seenSku.get(sku);
    if (dupSku !== undefined) {
      reject(`product code ${sku} already on row ${dupSku}`);
      continue;
    }
    const taken = barcodes.map((b) => [b, opts.existingSkuOf?.(b) ?? null] as const).find(([, s]) => s !== null && s !== sku);
    if (taken) {
      reject(`duplicate barcode ${taken[0]} (product ${taken[1]} in the catalog has it)`);
      continue;
    }
    seenSku.set(sku, rowNo);
    for (const b of barcodes) seenBarcode.set(b, rowNo);
    products.push({
      sku,
      name,
      barcodes,
      plu,
      category: (get('category') || '未分类').slice(0, 40),
      unit: (get('unit') || (weighed ? 'kg' : '个')).slice(0, 8),
      price,
      memberPrice,
      vatRate: vat,
      weighed,
      active: true,
    });
  }
  return { columns, rows: all.length - 1, products, rejected };
}
