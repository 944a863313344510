/**
 * Column arithmetic for a thermal printer in Chinese mode. Font A is 12 dots
 * wide; every character outside ASCII is printed from the 24x24 Chinese font,
 * two columns wide. That covers East Asian Wide and Fullwidth characters (汉字,
 * ＡＢ, ￥) and also symbols that Unicode calls ambiguous (·, —), which a
 * GB18030 printer prints as full-width glyphs too.
 */
export function charColumns(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x20 || cp === 0x7f) return 0;
  return cp < 0x80 ? 1 : 2;
}

export function columnsOf(text: string): number {
  let n = 0;
  for (const ch of text) n += charColumns(ch);
  return n;
}

/** breaks text into lines of at most `cols` columns; breaks at spaces when it can, never splits a character */
export function wrap(text: string, cols: number): string[] {
  if (cols < 2) throw new RangeError('cannot wrap to fewer than 2 columns');
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    let width = 0;
    let lastSpace = -1;
    for (const ch of para) {
      const w = charColumns(ch);
      if (w === 0) continue;
      if (width + w > cols) {
        if (ch === ' ') {
          out.push(line);
          line = '';
          width = 0;
          lastSpace = -1;
          continue;
        }
        if (lastSpace > 0) {
          out.push(line.slice(0, lastSpace).trimEnd());
          line = line.slice(lastSpace + 1);
          width = columnsOf(line);
        } else {
          out.push(line);
          line = '';
          width = 0;
        }
        lastSpace = -1;
      }
      if (ch === ' ') lastSpace = line.length;
      line += ch;
      width += w;
    }
    out.push(line);
  }
  return out;
}

export function pad(text: string, cols: number, align: 'left' | 'center' | 'right'): string {
  const gap = Math.max(0, cols - columnsOf(text));
  if (align === 'right') return ' '.repeat(gap) + text;
  if (align === 'center') return ' '.repeat(Math.floor(gap / 2)) + text + ' '.repeat(gap - Math.floor(gap / 2));
  return text + ' '.repeat(gap);
}
