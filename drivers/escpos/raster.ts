/**
 * 1-bit raster images, the form GS v 0 prints: rows of packed bytes, most
 * significant bit = leftmost dot, 1 = black. A receipt logo comes from a PNG
 * (dark, opaque pixels become dots) or is drawn from the built-in font.
 */
import fs from 'node:fs';
import { PNG } from 'pngjs';
import { TillError } from '../../src/shared/errors';
import { asciiGlyph, GLYPH_H, GLYPH_W } from './font';

export interface Raster {
  /** dots per row, a multiple of 8 */
  width: number;
  height: number;
  /** (width / 8) * height bytes */
  data: Buffer;
}

export function blankRaster(width: number, height: number): Raster {
  const w = Math.ceil(width / 8) * 8;
  return { width: w, height, data: Buffer.alloc((w / 8) * height) };
}

export function setDot(r: Raster, x: number, y: number): void {
  if (x < 0 || y < 0 || x >= r.width || y >= r.height) return;
  const i = y * (r.width / 8) + (x >> 3);
  r.data[i] = (r.data[i] as number) | (0x80 >> (x & 7));
}

export function getDot(r: Raster, x: number, y: number): boolean {
  if (x < 0 || y < 0 || x >= r.width || y >= r.height) return false;
  return (((r.data[y * (r.width / 8) + (x >> 3)] as number) >> (7 - (x & 7))) & 1) === 1;
}

/** a PNG to dots: a pixel is black when opaque (alpha > 127) and dark (luma < 128); wider than maxWidth is refused */
export function rasterFromPng(png: Buffer, maxWidth = 576): Raster {
  let img: PNG;
  try {
    img = PNG.sync.read(png);
  } catch (e) {
    throw new TillError('bad-input', `the logo is not a readable PNG: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (img.width > maxWidth) throw new TillError('bad-input', `the logo is ${img.width} dots wide; this printer prints at most ${maxWidth}`);
  const r = blankRaster(img.width, img.height);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const i = (y * img.width + x) * 4;
      const [red, green, blue, alpha] = [img.data[i], img.data[i + 1], img.data[i + 2], img.data[i + 3]] as number[];
      const luma = 0.299 * (red as number) + 0.587 * (green as number) + 0.114 * (blue as number);
      if ((alpha as number) > 127 && luma < 128) setDot(r, x, y);
    }
  }
  return r;
}

export function loadLogo(path: string, maxWidth = 576): Raster {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(path);
  } catch (e) {
    throw new TillError('config-invalid', `cannot read the receipt logo ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return rasterFromPng(buf, maxWidth);
}

/** a framed wordmark drawn with the built-in font at double size (ASCII only) */
export function wordmarkLogo(text = 'TILL'): Raster {
  const scale = 2;
  const margin = 8;
  const width = text.length * GLYPH_W * scale + margin * 2;
  const height = GLYPH_H * scale + margin * 2;
  const r = blankRaster(width, height);
  for (let x = 0; x < r.width; x++) {
    for (const y of [0, 1, height - 2, height - 1]) setDot(r, x, y);
  }
  for (let y = 0; y < height; y++) {
    for (const x of [0, 1, r.width - 2, r.width - 1]) setDot(r, x, y);
  }
  [...text].forEach((ch, i) => {
    const rows = asciiGlyph(ch.charCodeAt(0));
    if (!rows) throw new RangeError(`the wordmark takes ASCII only, got '${ch}'`);
    rows.forEach((bits, gy) => {
      for (let gx = 0; gx < GLYPH_W; gx++) {
        if ((bits >> (GLYPH_W - 1 - gx)) & 1) {
          for (let dy = 0; dy < scale; dy++) for (let dx = 0; dx < scale; dx++) setDot(r, margin + (i * GLYPH_W + gx) * scale + dx, margin + gy * scale + dy);
        }
      }
    });
  });
  return r;
}
