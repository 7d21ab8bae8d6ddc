/**
 * A stream's /Filter chain: FlateDecode (with predictors), ASCIIHexDecode, ASCII85Decode.
 * Anything else is pdf_unsupported_filter, raised only when someone asks for the data.
 */
import { ascii85Decode, asciiHexDecode, inflateCapped, unpredict } from './inflate';
import { PdfDict, PdfName, PdfReadError, type PdfValue } from './model';

const MAX_FILTERS = 8;

type Resolve = (v: PdfValue | undefined) => PdfValue | undefined;

function intOf(v: PdfValue | undefined, dflt: number): number {
  return typeof v === 'number' && Number.isInteger(v) ? v : dflt;
}

/** Applies the filters named by `dict` to `raw`; no filter output may pass `cap` bytes. */
export function decodeFilters(raw: Uint8Array, dict: PdfDict, resolve: Resolve, cap: number): Uint8Array {
  const f = resolve(dict.get('Filter'));
  const p = resolve(dict.get('DecodeParms'));
  const filters = f === undefined || f === null ? [] : Array.isArray(f) ? f.map(resolve) : [f];
  const parms = Array.isArray(p) ? p.map(resolve) : [p];
  if (filters.length > MAX_FILTERS) throw new PdfReadError('pdf_unsupported_filter', 'too many filters on one stream');
  let data = raw;
  filters.forEach((filter, i) => {
    if (!(filter instanceof PdfName)) throw new PdfReadError('pdf_invalid', 'a /Filter that is not a name');
    const parm = parms[i];
    const dp = parm instanceof PdfDict ? parm : undefined;
    switch (filter.name) {
      case 'FlateDecode':
      case 'Fl': {
        data = inflateCapped(data, cap);
        const predictor = intOf(resolve(dp?.get('Predictor')), 1);
        if (predictor > 1) {
          data = unpredict(data, {
            predictor,
            colors: intOf(resolve(dp?.get('Colors')), 1),
            bitsPerComponent: intOf(resolve(dp?.get('BitsPerComponent')), 8),
            columns: intOf(resolve(dp?.get('Columns')), 1),
          });
        }
        break;
      }
      case 'ASCIIHexDecode':
      case 'AHx':
        data = asciiHexDecode(data);
        break;
      case 'ASCII85Decode':
      case 'A85':
        data = ascii85Decode(data, cap);
        break;
      default:
        throw new PdfReadError('pdf_unsupported_filter', `the ${filter.name.slice(0, 40)} filter is not supported`);
    }
    if (data.length > cap) throw new PdfReadError('pdf_inflate_limit', `a stream decodes beyond ${cap} bytes`);
  });
  return data;
}
