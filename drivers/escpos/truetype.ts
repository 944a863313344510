/**
 * A small TrueType reader and rasterizer, enough to draw CJK glyphs of an
 * installed font (e.g. WenQuanYi Micro Hei, Debian fonts-wqy-microhei) into
 * the virtual printer's PNG at 24x24 dots. It reads TTF and TTC files with
 * glyf outlines (not CFF/OTF), cmap formats 4 and 12, simple and composite
 * glyphs; quadratic curves are flattened into lines and filled with the
 * nonzero rule, 2x2 samples per dot, a dot black when two samples are inside.
 */
import fs from 'node:fs';

interface Point {
  x: number;
  y: number;
  on: boolean;
}
type Contour = Point[];

export interface GlyphBitmap {
  width: number;
  height: number;
  /** row-major, 1 = black */
  dots: Uint8Array;
}

export const CJK_FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc',
  '/usr/share/fonts/truetype/arphic/uming.ttc',
];

export class TrueTypeFont {
  private readonly tables = new Map<string, { offset: number; length: number }>();
  private readonly unitsPerEm: number;
  private readonly longLoca: boolean;
  private readonly ascender: number;
  private readonly descender: number;
  private readonly cmap: (cp: number) => number;
  private readonly cache = new Map<string, GlyphBitmap | null>();

  constructor(private readonly d: Buffer, fontIndex = 0) {
    let base = 0;
    if (d.toString('latin1', 0, 4) === 'ttcf') {
      const n = d.readUInt32BE(8);
      if (fontIndex >= n) throw new RangeError(`font collection has ${n} fonts`);
      base = d.readUInt32BE(12 + 4 * fontIndex);
    }
    const version = d.readUInt32BE(base);
    if (version !== 0x00010000 && d.toString('latin1', base, base + 4) !== 'true') throw new Error('not a TrueType (glyf) font');
    const numTables = d.readUInt16BE(base + 4);
    for (let i = 0; i < numTables; i++) {
      const r = base + 12 + 16 * i;
      this.tables.set(d.toString('latin1', r, r + 4), { offset: d.readUInt32BE(r + 8), length: d.readUInt32BE(r + 12) });
    }
    for (const t of ['head', 'hhea', 'loca', 'glyf', 'cmap']) if (!this.tables.has(t)) throw new Error(`font has no ${t} table`);
    const head = this.table('head');
    this.unitsPerEm = d.readUInt16BE(head + 18);
    this.longLoca = d.readInt16BE(head + 50) === 1;
    const hhea = this.table('hhea');
    this.ascender = d.readInt16BE(hhea + 4);
    this.descender = d.readInt16BE(hhea + 6);
    this.cmap = this.readCmap();
  }

  static load(path: string): TrueTypeFont {
    return new TrueTypeFont(fs.readFileSync(path));
  }

  /** the first candidate that exists and parses, or null */
  static findCjk(candidates = CJK_FONT_CANDIDATES): TrueTypeFont | null {
    for (const p of candidates) {
      try {
        if (fs.existsSync(p)) return TrueTypeFont.load(p);
      } catch {
        continue;
      }
    }
    return null;
  }

  private table(tag: string): number {
    return (this.tables.get(tag) as { offset: number }).offset;
  }

  private readCmap(): (cp: number) => number {
    const d = this.d;
    const cmap = this.table('cmap');
    const n = d.readUInt16BE(cmap + 2);
    let f4 = -1;
    let f12 = -1;
    for (let i = 0; i < n; i++) {
      const r = cmap + 4 + 8 * i;
      const platform = d.readUInt16BE(r);
      const enc = d.readUInt16BE(r + 2);
      const off = cmap + d.readUInt32BE(r + 4);
      const format = d.readUInt16BE(off);
      if (format === 12 && (platform === 3 || platform === 0)) f12 = off;
      if (format === 4 && ((platform === 3 && enc === 1) || platform === 0)) f4 = off;
    }
    if (f12 >= 0) {
      const groups = d.readUInt32BE(f12 + 12);
      return (cp) => {
        let lo = 0;
        let hi = groups - 1;
        while (lo <= hi) {
          const mid = (lo + hi) >> 1;
          const g = f12 + 16 + 12 * mid;
          const start = d.readUInt32BE(g);
          const end = d.readUInt32BE(g + 4);
          if (cp < start) hi = mid - 1;
          else if (cp > end) lo = mid + 1;
          else return d.readUInt32BE(g + 8) + (cp - start);
        }
        return 0;
      };
    }
    if (f4 < 0) throw new Error('font has no Unicode cmap');
    const segX2 = d.readUInt16BE(f4 + 6);
    const ends = f4 + 14;
    const starts = ends + segX2 + 2;
    const deltas = starts + segX2;
    const ranges = deltas + segX2;
    return (cp) => {
      if (cp > 0xffff) return 0;
      for (let i = 0; i < segX2; i += 2) {
        if (cp > d.readUInt16BE(ends + i)) continue;
        const start = d.readUInt16BE(starts + i);
        if (cp < start) return 0;
        const delta = d.readInt16BE(deltas + i);
        const ro = d.readUInt16BE(ranges + i);
        if (ro === 0) return (cp + delta) & 0xffff;
        const g = d.readUInt16BE(ranges + i + ro + 2 * (cp - start));
        return g === 0 ? 0 : (g + delta) & 0xffff;
      }
      return 0;
    };
  }

  private glyphRange(gid: number): [number, number] {
    const loca = this.table('loca');
    const glyf = this.table('glyf');
    if (this.longLoca) return [glyf + this.d.readUInt32BE(loca + 4 * gid), glyf + this.d.readUInt32BE(loca + 4 * gid + 4)];
    return [glyf + this.d.readUInt16BE(loca + 2 * gid) * 2, glyf + this.d.readUInt16BE(loca + 2 * gid + 2) * 2];
  }

  private contours(gid: number, depth = 0): Contour[] {
    const d = this.d;
    const [start, end] = this.glyphRange(gid);
    if (end <= start || depth > 4) return [];
    const nc = d.readInt16BE(start);
    let p = start + 10;
    if (nc >= 0) {
      const endPts: number[] = [];
      for (let i = 0; i < nc; i++) endPts.push(d.readUInt16BE(p + 2 * i));
      p += 2 * nc;
      const count = nc ? (endPts[nc - 1] as number) + 1 : 0;
      p += 2 + d.readUInt16BE(p);
      const flags: number[] = [];
      while (flags.length < count) {
        const f = d[p++] as number;
        flags.push(f);
        if (f & 8) {
          const rep = d[p++] as number;
          for (let k = 0; k < rep; k++) flags.push(f);
        }
      }
      const coord = (short: number, same: number): number[] => {
        const out: number[] = [];
        let v = 0;
        for (const f of flags) {
          if (f & short) {
            const b = d[p++] as number;
            v += f & same ? b : -b;
          } else if (!(f & same)) {
            v += d.readInt16BE(p);
            p += 2;
          }
          out.push(v);
        }
        return out;
      };
      const xs = coord(2, 16);
      const ys = coord(4, 32);
      const res: Contour[] = [];
      let s = 0;
      for (const e of endPts) {
        const c: Contour = [];
        for (let i = s; i <= e; i++) c.push({ x: xs[i] as number, y: ys[i] as number, on: ((flags[i] as number) & 1) === 1 });
        res.push(c);
        s = e + 1;
      }
      return res;
    }
    const res: Contour[] = [];
    for (;;) {
      const flags = d.readUInt16BE(p);
      const sub = d.readUInt16BE(p + 2);
      p += 4;
      let dx: number;
      let dy: number;
      if (flags & 1) {
        dx = d.readInt16BE(p);
        dy = d.readInt16BE(p + 2);
        p += 4;
      } else {
        dx = d.readInt8(p);
        dy = d.readInt8(p + 1);
        p += 2;
      }
      let a = 1;
      let b = 0;
      let c = 0;
      let e = 1;
      const f2 = (o: number) => d.readInt16BE(o) / 16384;
      if (flags & 8) {
        a = e = f2(p);
        p += 2;
      } else if (flags & 0x40) {
        a = f2(p);
        e = f2(p + 2);
        p += 4;
      } else if (flags & 0x80) {
        a = f2(p);
        b = f2(p + 2);
        c = f2(p + 4);
        e = f2(p + 6);
        p += 8;
      }
      for (const ct of this.contours(sub, depth + 1)) res.push(ct.map((q) => ({ x: a * q.x + c * q.y + dx, y: b * q.x + e * q.y + dy, on: q.on })));
      if (!(flags & 0x20)) break;
    }
    return res;
  }

  /** the glyph of one character in a size x size cell, or null when the font lacks it */
  glyph(ch: string, size: number): GlyphBitmap | null {
    const key = `${ch}:${size}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const gid = this.cmap(ch.codePointAt(0) ?? 0);
    const bmp = gid === 0 ? null : this.rasterize(this.contours(gid), size);
    this.cache.set(key, bmp);
    return bmp;
  }

  private rasterize(contours: Contour[], size: number): GlyphBitmap {
    const span = this.ascender - this.descender || this.unitsPerEm;
    const scale = size / span;
    const edges: Array<[number, number, number, number]> = [];
    const X = (x: number) => x * scale;
    const Y = (y: number) => (this.ascender - y) * scale;
    for (const c of contours) {
      if (c.length < 2) continue;
      const startIdx = c.findIndex((q) => q.on);
      const pts: Point[] = startIdx < 0 ? [{ x: ((c[0] as Point).x + (c[1] as Point).x) / 2, y: ((c[0] as Point).y + (c[1] as Point).y) / 2, on: true }, ...c] : [...c.slice(startIdx), ...c.slice(0, startIdx)];
      let prev = pts[0] as Point;
      let ctrl: Point | null = null;
      const line = (p: Point, q: Point) => edges.push([X(p.x), Y(p.y), X(q.x), Y(q.y)]);
      const curve = (p0: Point, cp: Point, p1: Point) => {
        let last = p0;
        for (let k = 1; k <= 4; k++) {
          const t = k / 4;
          const u = 1 - t;
          const q = { x: u * u * p0.x + 2 * u * t * cp.x + t * t * p1.x, y: u * u * p0.y + 2 * u * t * cp.y + t * t * p1.y, on: true };
          line(last, q);
          last = q;
        }
      };
      for (const q of [...pts.slice(1), pts[0] as Point]) {
        if (q.on) {
          if (ctrl) curve(prev, ctrl, q);
          else line(prev, q);
          prev = q;
          ctrl = null;
        } else if (ctrl) {
          const mid = { x: (ctrl.x + q.x) / 2, y: (ctrl.y + q.y) / 2, on: true };
          curve(prev, ctrl, mid);
          prev = mid;
          ctrl = q;
        } else ctrl = q;
      }
      if (ctrl) curve(prev, ctrl, pts[0] as Point);
    }
    const dots = new Uint8Array(size * size);
    for (let py = 0; py < size; py++) {
      const hits = new Uint8Array(size);
      for (const sy of [py + 0.25, py + 0.75]) {
        const xs: Array<[number, number]> = [];
        for (const [x0, y0, x1, y1] of edges) {
          if (y0 === y1 || sy < Math.min(y0, y1) || sy >= Math.max(y0, y1)) continue;
          xs.push([x0 + ((sy - y0) * (x1 - x0)) / (y1 - y0), y1 > y0 ? 1 : -1]);
        }
        xs.sort((a, b) => a[0] - b[0]);
        let wind = 0;
        for (let k = 0; k < xs.length - 1; k++) {
          wind += (xs[k] as [number, number])[1];
          if (wind === 0) continue;
          const from = (xs[k] as [number, number])[0];
          const to = (xs[k + 1] as [number, number])[0];
          for (let px = 0; px < size; px++) {
            for (const sx of [px + 0.25, px + 0.75]) if (sx >= from && sx < to) hits[px] = (hits[px] as number) + 1;
          }
        }
      }
      for (let px = 0; px < size; px++) if ((hits[px] as number) >= 2) dots[py * size + px] = 1;
    }
    return { width: size, height: size, dots: centered(dots, size) };
  }
}

/** shifts the ink horizontally to the middle of the cell (glyphs sit left in their advance) */
function centered(dots: Uint8Array, size: number): Uint8Array {
  let min = size;
  let max = -1;
  for (let i = 0; i < dots.length; i++) {
    if (!dots[i]) continue;
    const x = i % size;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  if (max < 0) return dots;
  const shift = Math.floor((size - (max - min + 1)) / 2) - min;
  if (shift === 0) return dots;
  const out = new Uint8Array(dots.length);
  for (let i = 0; i < dots.length; i++) {
    if (!dots[i]) continue;
    const x = (i % size) + shift;
    if (x >= 0 && x < size) out[i - (i % size) + x] = 1;
  }
  return out;
}
