/**
 * Product search over the whole catalog in well under a millisecond or two.
 *
 * Keys per product: the lower-cased name, the pinyin initials (农夫山泉 ->
 * "nfsq") and the full pinyin without spaces ("nongfushanquan"), computed once
 * when the product is written (searchKeys) and stored with it.
 *
 * Text queries of two or more characters go through a bigram index: each
 * product's keys (fields joined by U+0001 so no match spans two fields) are
 * cut into character pairs, and every pair maps to the ascending list of
 * products that contain it. A query takes the shortest list among its own
 * pairs and confirms each candidate with indexOf. One-character queries scan
 * for a prefix of the name or the initials. Digit queries search a single
 * string of every PLU, SKU and barcode (native indexOf over ~1.5 MB) and map
 * hits back to products by binary search over the start offsets.
 *
 * Results are ranked in tiers: exact (PLU, SKU, barcode, name or initials),
 * then prefix, then substring; inside a tier by catalog order (SKU), so the
 * same query always gives the same list.
 */
import { pinyin } from 'pinyin-pro';

export interface SearchDoc {
  sku: string;
  name: string;
  initials: string;
  pinyin: string;
  plu: string | null;
  barcodes: readonly string[];
}

const SEP = '\u0001';
/** a digit query that hits more codes than this is too vague to rank further */
const MAX_CODE_HITS = 5000;

export function normaliseQuery(q: string): string {
  return q.toLowerCase().replace(/[\s\u0000-\u001f]+/g, '');
}

/** pinyin initials and full pinyin of a product name (letters and digits kept as they are, lower-cased) */
export function searchKeys(name: string): { initials: string; pinyin: string } {
  const opts = { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true } as const;
  const first = pinyin(name, { ...opts, pattern: 'first' });
  const full = pinyin(name, opts);
  return { initials: normaliseQuery(first.join('')), pinyin: normaliseQuery(full.join('')) };
}

export class SearchIndex {
  private readonly docs: readonly SearchDoc[];
  /** name \1 initials \1 pinyin, lower-cased, per doc */
  private readonly text: string[];
  private readonly bigrams = new Map<number, number[]>();
  private readonly codes: string;
  private readonly codeStarts: Int32Array;

  /** docs must be in a stable order (the terminal loads them ordered by SKU) */
  constructor(docs: readonly SearchDoc[]) {
    this.docs = docs;
    this.text = new Array<string>(docs.length);
    const codeParts: string[] = [];
    this.codeStarts = new Int32Array(docs.length);
    let offset = 0;
    for (let d = 0; d < docs.length; d++) {
      const doc = docs[d] as SearchDoc;
      const t = `${normaliseQuery(doc.name)}${SEP}${doc.initials}${SEP}${doc.pinyin}`;
      this.text[d] = t;
      for (let i = 0; i + 1 < t.length; i++) {
        const a = t.charCodeAt(i);
        const b = t.charCodeAt(i + 1);
        if (a === 1 || b === 1) continue;
        const key = a * 65536 + b;
        const list = this.bigrams.get(key);
        if (list === undefined) this.bigrams.set(key, [d]);
        else if (list[list.length - 1] !== d) list.push(d);
      }
      const c = `${SEP}${doc.plu ?? ''}${SEP}${doc.sku.toLowerCase()}${SEP}${doc.barcodes.join(SEP)}${SEP}`;
      this.codeStarts[d] = offset;
      codeParts.push(c);
      offset += c.length;
    }
    this.codes = codeParts.join('');
  }

  get size(): number {
    return this.docs.length;
  }

  search(query: string, limit: number): SearchDoc[] {
    const q = normaliseQuery(query);
    if (!q) return [];
    const tiers: number[][] = [[], [], []];
    if (/^\d+$/.test(q)) this.searchCodes(q, tiers);
    if (q.length === 1) this.searchOneChar(q, tiers, limit);
    else this.searchText(q, tiers);
    const out: SearchDoc[] = [];
    const seen = new Set<number>();
    for (const tier of tiers) {
      for (const d of tier) {
        if (out.length >= limit) return out;
        if (seen.has(d)) continue;
        seen.add(d);
        out.push(this.docs[d] as SearchDoc);
      }
    }
    return out;
  }

  private searchText(q: string, tiers: number[][]): void {
    let best: number[] | undefined;
    for (let i = 0; i + 1 < q.length; i++) {
      const list = this.bigrams.get(q.charCodeAt(i) * 65536 + q.charCodeAt(i + 1));
      if (list === undefined) return;
      if (best === undefined || list.length < best.length) best = list;
    }
    if (best === undefined) return;
    for (const d of best) {
      const t = this.text[d] as string;
      const at = t.indexOf(q);
      if (at < 0) continue;
      tiers[this.tierOf(t, q, at)]?.push(d);
    }
  }

  private searchOneChar(q: string, tiers: number[][], limit: number): void {
    for (let d = 0; d < this.text.length && tiers[0]!.length + tiers[1]!.length < limit; d++) {
      const t = this.text[d] as string;
      if (t.startsWith(q)) tiers[1]!.push(d);
      else {
        const i1 = t.indexOf(SEP) + 1;
        if (t.startsWith(q, i1)) tiers[1]!.push(d);
      }
    }
  }

  /** 0 exact name or initials, 1 prefix of a field, 2 inside a field */
  private tierOf(t: string, q: string, at: number): number {
    const i1 = t.indexOf(SEP);
    const i2 = t.indexOf(SEP, i1 + 1);
    if ((at === 0 && i1 === q.length) || (t.startsWith(q, i1 + 1) && i2 - i1 - 1 === q.length)) return 0;
    if (at === 0 || t.startsWith(q, i1 + 1) || t.startsWith(q, i2 + 1)) return 1;
    return 2;
  }

  private searchCodes(q: string, tiers: number[][]): void {
    let from = 0;
    let last = -1;
    for (let hits = 0; hits < MAX_CODE_HITS; hits++) {
      const at = this.codes.indexOf(q, from);
      if (at < 0) return;
      from = at + 1;
      const d = this.docAt(at);
      const exact = this.codes.charCodeAt(at - 1) === 1 && this.codes.charCodeAt(at + q.length) === 1;
      if (d === last && !exact) continue;
      last = d;
      tiers[exact ? 0 : 2]!.push(d);
    }
  }

  private docAt(offset: number): number {
    let lo = 0;
    let hi = this.codeStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.codeStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
