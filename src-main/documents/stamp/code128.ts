/**
 * Code 128 (ISO/IEC 15417) encoder for the serial's barcode, drawn as vector bars.
 *
 * Why our own ~60 lines instead of a library: the serial alphabet (A–Z, 0–9, '-', and the check
 * symbols * ~ $ =) is plain printable ASCII, so code set B alone encodes it; the whole symbology is
 * then one width table, a mod-103 checksum and a stop pattern. A barcode library (bwip-js, ~1 MB)
 * would render rasters or SVG we would have to parse back into bars; this returns the bar widths
 * directly. The table is checked by tests (each pattern 11 modules, all distinct) and every
 * printable character is decoded back by zbarimg in test/documents/stamp-codes.test.ts.
 */

/** Bar/space widths (in modules) of symbol values 0..105; value 106 is the stop pattern (13 modules). */
export const CODE128_PATTERNS: readonly string[] = [
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

/** The symbol values for `text` in code set B: start, data, checksum (mod 103), stop. */
export function code128Values(text: string): number[] {
  const values = [START_B];
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (ch.length !== 1 || c < 32 || c > 126) throw new RangeError(`Code 128 set B cannot encode ${JSON.stringify(ch)}`);
    values.push(c - 32);
  }
  let sum = START_B;
  for (let i = 1; i < values.length; i++) sum += values[i]! * i;
  values.push(sum % 103, STOP);
  return values;
}

/** Alternating bar/space widths in modules, starting with a bar (quiet zones not included). */
export function code128Widths(text: string): number[] {
  return code128Values(text).flatMap((v) => [...CODE128_PATTERNS[v]!].map(Number));
}

/** The bars as [start, width] in modules from the left edge of the symbol (after the quiet zone). */
export function code128Bars(text: string): { bars: [number, number][]; modules: number } {
  const bars: [number, number][] = [];
  let x = 0;
  code128Widths(text).forEach((w, i) => {
    if (i % 2 === 0) bars.push([x, w]);
    x += w;
  });
  return { bars, modules: x };
}
