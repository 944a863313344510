/**
 * Product search over the whole catalog in well under a millisecond or two.
 *
 * Keys per product: the lower-cased name, the pinyin initials (农夫山泉 ->
 * "nfsq") and the full pinyin without spaces ("nongfushanquan"), computed once
 * when the product is written (searchKeys) and stored with it.
 *
 * Results come in tiers, and the search stops as soon as it has `limit`:
 * 1. an exact key: PLU, SKU, barcode, name, initials or full pinyin (a map);
 * 2. prefix matches of the name, the initials or the full pinyin: a map from
 *    a key's first one, two and three characters to the products, confirmed
 *    with startsWith, in catalog order;
 * 3. digit queries: a fragment of a PLU, SKU or barcode, found with native
 *    indexOf in a single string of all codes (~1.5 MB) and mapped back to
 *    the product by binary search over the start offsets;
 * 4. substring matches of two or more characters through a bigram index:
 *    each product's keys (fields joined by U+0001 so no match spans two
 *    fields) are cut into character pairs, each pair maps to the ascending
 *    list of products containing it; the query walks the shortest list of
 *    its own pairs and confirms each candidate with indexOf, in catalog
 *    order (SKU).
 * The same query always gives the same list.
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
/** a digit fragment is looked for in at most this many places */
const MAX_CODE_HITS = 5000;

/** does one of the SEP-joined fields of t start with q */
function startsAnyField(t: string, q: string): boolean {
  for (let at = 0; at >= 0 && at < t.length; ) {
    if (t.startsWith(q, at)) return true;
    const next = t.indexOf(SEP, at);
    at = next < 0 ? -1 : next + 1;
  }
  return false;
}

function push(map: Map<string, number[]>, key: string, d: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [d]);
  else if (list[list.length - 1] !== d) list.push(d);
}

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

export class SearchIndex<D extends SearchDoc = SearchDoc> {
  private readonly docs: readonly D[];
  /** name \1 initials \1 pinyin, lower-cased, per doc */
  private readonly text: string[];
  private readonly bigrams = new Map<number, number[]>();
  private readonly codes: string;
  private readonly codeStarts: Int32Array;
  /** whole key -> docs */
  private readonly exact = new Map<string, number[]>();
  /** first one, two or three characters of name, initials or pinyin -> docs */
  private readonly starts = new Map<string, number[]>();

  /** docs must be in a stable order (the terminal loads them ordered by SKU) */
  constructor(docs: readonly D[]) {
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
    for (let d = 0; d < docs.length; d++) {
      const doc = docs[d] as SearchDoc;
      const fields = (this.text[d] as string).split(SEP);
      for (const k of [...fields, doc.plu ?? '', doc.sku.toLowerCase(), ...doc.barcodes]) if (k) push(this.exact, k, d);
      for (const k of fields) for (let n = 1; n <= Math.min(3, k.length); n++) push(this.starts, k.slice(0, n), d);
    }
  }

  get size(): number {
    return this.docs.length;
  }

  search(query: string, limit: number): D[] {
    const q = normaliseQuery(query);
    const out: D[] = [];
    if (!q || limit <= 0) return out;
    const seen = new Set<number>();
    /** adds a doc; true when the list is full */
    const add = (d: number): boolean => {
      if (!seen.has(d)) {
        seen.add(d);
        out.push(this.docs[d] as D);
      }
      return out.length >= limit;
    };
    for (const d of this.exact.get(q) ?? []) if (add(d)) return out;
    for (const d of this.starts.get(q.slice(0, 3)) ?? []) if (startsAnyField(this.text[d] as string, q) && add(d)) return out;
    if (/^\d+$/.test(q) && this.codeFragments(q, add)) return out;
    if (q.length >= 2) this.substring(q, add);
    return out;
  }

  private substring(q: string, add: (d: number) => boolean): void {
    let best: number[] | undefined;
    for (let i = 0; i + 1 < q.length; i++) {
      const list = this.bigrams.get(q.charCodeAt(i) * 65536 + q.charCodeAt(i + 1));
      if (list === undefined) return;
      if (best === undefined || list.length < best.length) best = list;
    }
    if (best === undefined) return;
    const second = this.secondList(q, best);
    let j = 0;
    for (const d of best) {
      if (second) {
        while (j < second.length && (second[j] as number) < d) j++;
        if (second[j] !== d) continue;
      }
      if ((this.text[d] as string).includes(q) && add(d)) return;
    }
  }

  /** the next shortest bigram list of q when the shortest is long, to walk both at once (both ascending) */
  private secondList(q: string, best: number[]): number[] | null {
    if (best.length < 512) return null;
    let second: number[] | null = null;
    for (let i = 0; i + 1 < q.length; i++) {
      const list = this.bigrams.get(q.charCodeAt(i) * 65536 + q.charCodeAt(i + 1)) as number[];
      if (list !== best && (second === null || list.length < second.length)) second = list;
    }
    return second;
  }

  /** PLU, SKU and barcode fragments in catalog order; true when the list is full */
  private codeFragments(q: string, add: (d: number) => boolean): boolean {
    let from = 0;
    for (let hits = 0; hits < MAX_CODE_HITS; hits++) {
      const at = this.codes.indexOf(q, from);
      if (at < 0) return false;
      from = at + 1;
      if (add(this.docAt(at))) return true;
    }
    return false;
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
