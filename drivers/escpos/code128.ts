/**
 * CODE128 bar widths, for drawing a barcode the way the printer would. The
 * text is encoded in code set B (printable ASCII): Start B (104), one symbol
 * per character (value = code - 32), the check symbol (start value plus the
 * sum of position x value, mod 103) and Stop. Each symbol is six widths
 * (bar, space, bar, space, bar, space) of 1-4 modules, 11 modules in all;
 * Stop has a seventh bar (13 modules).
 */
const PATTERNS = [
  '212222', '222122', '222221', '121223', '121322', '131222', '122213', '122312', '132212', '221213',
  '221312', '231212', '112232', '122132', '122231', '113222', '123122', '123221', '223211', '221132',
  '221231', '213212', '223112', '312131', '311222', '321122', '321221', '312212', '322112', '322211',
  '212123', '212321', '232121', '111323', '131123', '131321', '112313', '132113', '132311', '211313',
  '231113', '231311', '112133', '112331', '132131', '113123', '113321', '133121', '313121', '211331',
  '231131', '213113', '213311', '213131', '311123', '311321', '331121', '312113', '312311', '332111',
  '314111', '221411', '431111', '111224', '111422', '121124', '121421', '141122', '141221', '112214',
  '112412', '122114', '122411', '142112', '142211', '241211', '221114', '413111', '241112', '134111',
  '111242', '121142', '121241', '114212', '124112', '124211', '411212', '421112', '421211', '212141',
  '214121', '412121', '111143', '111341', '131141', '114113', '114311', '411113', '411311', '113141',
  '114131', '311141', '411131', '211412', '211214', '211232', '2331112',
];
const START_B = 104;
const STOP = 106;

/** module widths, alternating bar and space, starting with a bar; throws on characters outside code set B */
export function code128Widths(text: string): number[] {
  const values: number[] = [START_B];
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (ch.length !== 1 || c < 0x20 || c > 0x7e) throw new RangeError(`'${ch}' is not in CODE128 code set B`);
    values.push(c - 32);
  }
  let sum = START_B;
  for (let i = 1; i < values.length; i++) sum += i * (values[i] as number);
  values.push(sum % 103, STOP);
  return values.flatMap((v) => [...(PATTERNS[v] as string)].map(Number));
}
