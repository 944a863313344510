import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SearchIndex, searchKeys, type SearchDoc } from '../../src/core/search';

function doc(sku: string, name: string, plu: string | null = null, barcodes: string[] = []): SearchDoc {
  return { sku, name, plu, barcodes, ...searchKeys(name) };
}

const docs = [
  doc('A1', '农夫山泉饮用天然水550ml', '101', ['6901234567892']),
  doc('A2', '可口可乐330ml', '102', ['6900000000014']),
  doc('A3', '康师傅红烧牛肉面', '103'),
  doc('A4', '雀巢咖啡', '104', ['6900000000021']),
  doc('A5', '农夫果园', '1010'),
  doc('A6', '可比克薯片', null),
];

describe('search keys', () => {
  it('computes pinyin initials and full pinyin', () => {
    expect(searchKeys('农夫山泉')).toEqual({ initials: 'nfsq', pinyin: 'nongfushanquan' });
    expect(searchKeys('可口可乐 330ml').initials).toBe('kkkl330ml');
  });
});

describe('the search index', () => {
  const index = new SearchIndex(docs);
  const skus = (q: string, limit = 10) => index.search(q, limit).map((d) => d.sku);

  it('finds by pinyin initials, full pinyin and Chinese name', () => {
    expect(skus('nfsq')).toEqual(['A1']);
    expect(skus('kf')).toEqual(['A4']);
    expect(skus('nongfu')).toEqual(['A1', 'A5']);
    expect(skus('可乐')).toEqual(['A2']);
    expect(skus('牛肉')).toEqual(['A3']);
  });
  it('ranks exact, then prefix, then substring', () => {
    expect(skus('kk')).toEqual(['A2']);
    expect(skus('guo')).toEqual(['A5']);
    expect(skus('nfgy')).toEqual(['A5']);
    expect(skus('101')).toEqual(['A1', 'A5']);
    expect(skus('1010')).toEqual(['A5']);
  });
  it('finds barcode fragments', () => {
    expect(skus('4567892')).toEqual(['A1']);
    expect(skus('690000000')).toEqual(['A2', 'A4']);
  });
  it('handles one-character queries and limits', () => {
    expect(skus('k')).toEqual(['A2', 'A3', 'A6']);
    expect(skus('k', 1)).toEqual(['A2']);
    expect(skus('   ')).toEqual([]);
    expect(skus('zzzz')).toEqual([]);
  });
  it('agrees with a plain scan for any query', () => {
    const text = (d: SearchDoc) => [d.name.toLowerCase(), d.initials, d.pinyin, d.plu ?? '', d.sku.toLowerCase(), ...d.barcodes];
    fc.assert(
      fc.property(fc.constantFrom(...docs), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 2, max: 6 }), (d, field, len) => {
        const t = text(d)[field] as string;
        if (t.length < 2) return true;
        const q = t.slice(0, Math.min(len, t.length));
        const expected = docs.filter((x) => text(x).some((f) => f.includes(q))).map((x) => x.sku).sort();
        return JSON.stringify(index.search(q, 100).map((x) => x.sku).sort()) === JSON.stringify(expected);
      }),
    );
  });
});
