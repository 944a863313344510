#!/usr/bin/env node
// Draws Till's application icon (a receipt on a teal rounded square) at every
// size electron-builder uses and writes the PNGs to resources/icons:
// NxN.png for Linux, icon.png (1024) for macOS and Windows, which
// electron-builder converts to .icns and .ico. Shapes are sampled 4x4 per
// pixel for smooth edges. Run: node scripts/make-icons.mjs
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';

const OUT = path.resolve(import.meta.dirname, '../resources/icons');
const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const TEAL = [15, 118, 110];
const PAPER = [255, 255, 255];
const INK = [31, 41, 55];

/** inside a rounded rectangle (all coordinates in 0..1 of the icon) */
function inRoundRect(x, y, x0, y0, x1, y1, r) {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** the colour at one point, or null for transparent */
function shade(x, y) {
  if (!inRoundRect(x, y, 0.04, 0.04, 0.96, 0.96, 0.2)) return null;
  // the receipt, with a zig-zag torn bottom edge
  const tooth = 0.06;
  const bottom = 0.8 - Math.abs(((x - 0.27) % tooth) - tooth / 2) * 0.9;
  if (x >= 0.27 && x <= 0.73 && y >= 0.16 && y <= bottom) {
    const rows = [0.27, 0.36, 0.45, 0.54];
    for (const r of rows) if (y >= r && y <= r + 0.035 && x >= 0.34 && x <= (r === 0.54 ? 0.52 : 0.66)) return INK;
    if (y >= 0.63 && y <= 0.69 && x >= 0.34 && x <= 0.66) return TEAL;
    return PAPER;
  }
  return TEAL;
}

function draw(size) {
  const png = new PNG({ width: size, height: size });
  const S = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const c = shade((px + (sx + 0.5) / S) / size, (py + (sy + 0.5) / S) / size);
          if (c) {
            r += c[0];
            g += c[1];
            b += c[2];
            a += 1;
          }
        }
      }
      const i = (py * size + px) * 4;
      png.data[i] = a ? Math.round(r / a) : 0;
      png.data[i + 1] = a ? Math.round(g / a) : 0;
      png.data[i + 2] = a ? Math.round(b / a) : 0;
      png.data[i + 3] = Math.round((a / (S * S)) * 255);
    }
  }
  return PNG.sync.write(png);
}

fs.mkdirSync(OUT, { recursive: true });
for (const size of SIZES) fs.writeFileSync(path.join(OUT, `${size}x${size}.png`), draw(size));
fs.copyFileSync(path.join(OUT, '1024x1024.png'), path.join(OUT, 'icon.png'));
console.log(`wrote ${SIZES.length + 1} icons to ${path.relative(process.cwd(), OUT) || OUT}`);
