/**
 * Writes the sample catalog of a new terminal (`till init` seeds it):
 * resources/catalog/products.csv (UTF-8, the Chinese column headers of the
 * usual old-system exports, read by the same importer as `till import-catalog`),
 * promotions.json and members.json. Deterministic: run it again and nothing
 * changes.  npx tsx scripts/generate-sample-catalog.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { formatMinor } from '../src/shared/money';
import { generateCatalog } from './sample-catalog';

const OUT = path.resolve(__dirname, '../resources/catalog');
const COUNT = 2400;

const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

const { products, promotions, members } = generateCatalog(COUNT);
const header = ['商品编码', '商品条码', '商品名称', '类别', '单位', '零售价', '会员价', '税率', '称重', 'PLU'];
const rows = products.map((p) =>
  [p.sku, p.barcodes.join(';'), p.name, p.category, p.unit, formatMinor(p.price), p.memberPrice === null ? '' : formatMinor(p.memberPrice), `${p.vatRate / 100}%`, p.weighed ? '是' : '否', p.plu ?? '']
    .map(csvCell)
    .join(','),
);
fs.mkdirSync(OUT, { recursive: true });
fs.writeFileSync(path.join(OUT, 'products.csv'), [header.join(','), ...rows].join('\n') + '\n');
fs.writeFileSync(path.join(OUT, 'promotions.json'), JSON.stringify(promotions, null, 2) + '\n');
fs.writeFileSync(path.join(OUT, 'members.json'), JSON.stringify(members, null, 2) + '\n');
process.stdout.write(`wrote ${products.length} products, ${promotions.length} promotions, ${members.length} members to ${OUT}\n`);
