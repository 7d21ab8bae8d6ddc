/**
 * Where the QR/barcode block goes on the title page: the first page corner whose area no content
 * touches, as far as a light reading of the page tells. The content stream is tokenised and the
 * extents of text (estimated from the font size and the number of bytes shown), painted paths,
 * images/forms (XObjects) and annotations are collected in default user space. Shapes bigger than
 * half the page (backgrounds, a full-page scan) are ignored, or no scanned document would ever get
 * a stamp; for those the preferred corner is used.
 */
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFRawStream, PDFRef, type PDFPage } from 'pdf-lib';

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
type Matrix = [number, number, number, number, number, number];

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];
const mul = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[1] * n[2],
  m[0] * n[1] + m[1] * n[3],
  m[2] * n[0] + m[3] * n[2],
  m[2] * n[1] + m[3] * n[3],
  m[4] * n[0] + m[5] * n[2] + n[4],
  m[4] * n[1] + m[5] * n[3] + n[5],
];
const apply = (m: Matrix, x: number, y: number): [number, number] => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];

function boxOf(m: Matrix, b: Box): Box {
  const pts = [apply(m, b.x0, b.y0), apply(m, b.x1, b.y0), apply(m, b.x0, b.y1), apply(m, b.x1, b.y1)];
  return { x0: Math.min(...pts.map((p) => p[0])), y0: Math.min(...pts.map((p) => p[1])), x1: Math.max(...pts.map((p) => p[0])), y1: Math.max(...pts.map((p) => p[1])) };
}

export const intersects = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
const area = (b: Box) => Math.max(0, b.x1 - b.x0) * Math.max(0, b.y1 - b.y0);
export const overlap = (a: Box, b: Box) => area({ x0: Math.max(a.x0, b.x0), y0: Math.max(a.y0, b.y0), x1: Math.min(a.x1, b.x1), y1: Math.min(a.y1, b.y1) });

type Token = number | string | { op: string } | { str: number } | Token[];
const DELIM = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);
const isWs = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;

/** A tolerant content-stream tokenizer: numbers, names, strings (as byte counts), arrays, operators. */
function* tokens(b: Uint8Array): Generator<Token> {
  let i = 0;
  const stack: Token[][] = [];
  const emit = function* (t: Token): Generator<Token> {
    if (stack.length) stack[stack.length - 1]!.push(t);
    else yield t;
  };
  while (i < b.length) {
    const c = b[i]!;
    if (isWs(c)) {
      i++;
    } else if (c === 0x25) {
      while (i < b.length && b[i] !== 0x0a && b[i] !== 0x0d) i++;
    } else if (c === 0x28) {
      let depth = 1;
      let n = 0;
      i++;
      while (i < b.length && depth > 0) {
        const d = b[i]!;
        if (d === 0x5c) i += 2;
        else {
          if (d === 0x28) depth++;
          else if (d === 0x29) depth--;
          i++;
        }
        if (depth > 0) n++;
      }
      yield* emit({ str: n });
    } else if (c === 0x3c && b[i + 1] === 0x3c) {
      // Inline dictionaries (BDC properties) do not matter here: skip to the matching >>.
      let depth = 0;
      while (i < b.length) {
        if (b[i] === 0x3c && b[i + 1] === 0x3c) {
          depth++;
          i += 2;
        } else if (b[i] === 0x3e && b[i + 1] === 0x3e) {
          depth--;
          i += 2;
          if (depth === 0) break;
        } else i++;
      }
      yield* emit('<<>>');
    } else if (c === 0x3c) {
      const start = ++i;
      while (i < b.length && b[i] !== 0x3e) i++;
      const hex = Array.from(b.subarray(start, i)).filter((x) => !isWs(x)).length;
      i++;
      yield* emit({ str: Math.ceil(hex / 2) });
    } else if (c === 0x5b) {
      stack.push([]);
      i++;
    } else if (c === 0x5d) {
      const arr = stack.pop() ?? [];
      i++;
      yield* emit(arr);
    } else if (c === 0x2f) {
      const start = ++i;
      while (i < b.length && !isWs(b[i]!) && !DELIM.has(b[i]!)) i++;
      yield* emit(`/${String.fromCharCode(...b.subarray(start, i))}`);
    } else {
      const start = i;
      while (i < b.length && !isWs(b[i]!) && !DELIM.has(b[i]!)) i++;
      if (i === start) {
        i++;
        continue;
      }
      const word = String.fromCharCode(...b.subarray(start, i));
      const num = Number(word);
      if (!Number.isNaN(num) && /^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) yield* emit(num);
      else if (word === 'ID') {
        // Inline image data: binary up to "EI" between white space.
        i++;
        while (i < b.length && !(isWs(b[i - 1]!) && b[i] === 0x45 && b[i + 1] === 0x49 && (i + 2 >= b.length || isWs(b[i + 2]!)))) i++;
        i += 2;
        yield* emit({ op: 'EI' });
      } else yield* emit({ op: word });
    }
  }
}

/**
 * Boxes (default user space) of what is drawn on the page, as far as a light reading tells.
 * `contents`: the page's content streams, decoded by the caller under the bounded reader's caps.
 */
export function contentBoxes(page: PDFPage, contents: Uint8Array[]): Box[] {
  const boxes: Box[] = [];
  const xobjects = page.node.Resources()?.lookup(PDFName.of('XObject'));
  const pathPts: [number, number][] = [];
  let ctm: Matrix = IDENTITY;
  const gstack: Matrix[] = [];
  let tm: Matrix = IDENTITY;
  let tlm: Matrix = IDENTITY;
  let fontSize = 12;
  let leading = 0;
  const operands: Token[] = [];
  const nums = () => operands.map((t) => (typeof t === 'number' ? t : 0));
  const text = (bytes: number) => {
    const w = Math.max(bytes, 1) * fontSize * 0.6;
    boxes.push(boxOf(mul(tm, ctm), { x0: 0, y0: -0.25 * fontSize, x1: w, y1: fontSize }));
    tm = mul([1, 0, 0, 1, w, 0], tm);
  };
  const newLine = (tx: number, ty: number) => {
    tlm = mul([1, 0, 0, 1, tx, ty], tlm);
    tm = tlm;
  };
  for (const bytes of contents) {
    for (const t of tokens(bytes)) {
      if (typeof t !== 'object' || !('op' in t)) {
        operands.push(t);
        continue;
      }
      const n = nums();
      switch (t.op) {
        case 'q':
          gstack.push(ctm);
          break;
        case 'Q':
          ctm = gstack.pop() ?? IDENTITY;
          break;
        case 'cm':
          if (n.length === 6) ctm = mul(n as Matrix, ctm);
          break;
        case 'BT':
          tm = tlm = IDENTITY;
          break;
        case 'Tf':
          fontSize = Math.abs(n[1] ?? fontSize) || fontSize;
          break;
        case 'TL':
          leading = n[0] ?? 0;
          break;
        case 'Td':
          newLine(n[0] ?? 0, n[1] ?? 0);
          break;
        case 'TD':
          leading = -(n[1] ?? 0);
          newLine(n[0] ?? 0, n[1] ?? 0);
          break;
        case 'T*':
          newLine(0, -leading);
          break;
        case 'Tm':
          if (n.length === 6) tm = tlm = n as Matrix;
          break;
        case 'Tj':
        case "'":
        case '"': {
          if (t.op !== 'Tj') newLine(0, -leading);
          const s = operands[operands.length - 1];
          text(typeof s === 'object' && s !== null && 'str' in s ? s.str : 1);
          break;
        }
        case 'TJ': {
          const arr = operands[0];
          const count = Array.isArray(arr) ? arr.reduce<number>((a, x) => a + (typeof x === 'object' && x !== null && 'str' in x ? x.str : 0), 0) : 1;
          text(count);
          break;
        }
        case 'm':
        case 'l':
          pathPts.push(apply(ctm, n[0] ?? 0, n[1] ?? 0));
          break;
        case 'c':
          pathPts.push(apply(ctm, n[0] ?? 0, n[1] ?? 0), apply(ctm, n[2] ?? 0, n[3] ?? 0), apply(ctm, n[4] ?? 0, n[5] ?? 0));
          break;
        case 'v':
        case 'y':
          pathPts.push(apply(ctm, n[0] ?? 0, n[1] ?? 0), apply(ctm, n[2] ?? 0, n[3] ?? 0));
          break;
        case 're': {
          const [x = 0, y = 0, w = 0, h = 0] = n;
          const b = boxOf(ctm, { x0: x, y0: y, x1: x + w, y1: y + h });
          pathPts.push([b.x0, b.y0], [b.x1, b.y1]);
          break;
        }
        case 'S': case 's': case 'f': case 'F': case 'f*': case 'B': case 'B*': case 'b': case 'b*':
          if (pathPts.length) boxes.push({ x0: Math.min(...pathPts.map((p) => p[0])), y0: Math.min(...pathPts.map((p) => p[1])), x1: Math.max(...pathPts.map((p) => p[0])), y1: Math.max(...pathPts.map((p) => p[1])) });
          pathPts.length = 0;
          break;
        case 'n':
          pathPts.length = 0;
          break;
        case 'EI':
          boxes.push(boxOf(ctm, { x0: 0, y0: 0, x1: 1, y1: 1 }));
          break;
        case 'Do': {
          const name = operands[0];
          const xo = typeof name === 'string' && xobjects instanceof PDFDict ? xobjects.lookup(PDFName.of(name.slice(1))) : undefined;
          const bbox = xo instanceof PDFRawStream ? xo.dict.lookup(PDFName.of('BBox')) : undefined;
          if (bbox instanceof PDFArray && bbox.size() === 4) {
            const v = bbox.asArray().map((x) => (x instanceof PDFNumber ? x.asNumber() : 0));
            const mArr = xo instanceof PDFRawStream ? xo.dict.lookup(PDFName.of('Matrix')) : undefined;
            const fm = mArr instanceof PDFArray && mArr.size() === 6 ? (mArr.asArray().map((x) => (x instanceof PDFNumber ? x.asNumber() : 0)) as Matrix) : IDENTITY;
            boxes.push(boxOf(mul(fm, ctm), { x0: Math.min(v[0]!, v[2]!), y0: Math.min(v[1]!, v[3]!), x1: Math.max(v[0]!, v[2]!), y1: Math.max(v[1]!, v[3]!) }));
          } else boxes.push(boxOf(ctm, { x0: 0, y0: 0, x1: 1, y1: 1 }));
          break;
        }
        default:
          break;
      }
      operands.length = 0;
    }
  }
  const annots = page.node.Annots();
  for (const a of annots?.asArray() ?? []) {
    const d = a instanceof PDFRef ? page.doc.context.lookup(a) : a;
    const rect = d instanceof PDFDict ? d.lookup(PDFName.of('Rect')) : undefined;
    if (rect instanceof PDFArray && rect.size() === 4) {
      const v = rect.asArray().map((x) => (x instanceof PDFNumber ? x.asNumber() : 0));
      boxes.push({ x0: Math.min(v[0]!, v[2]!), y0: Math.min(v[1]!, v[3]!), x1: Math.max(v[0]!, v[2]!), y1: Math.max(v[1]!, v[3]!) });
    }
  }
  const mb = page.getMediaBox();
  const half = (mb.width * mb.height) / 2;
  return boxes.filter((b) => area(b) < half && Number.isFinite(b.x0 + b.x1 + b.y0 + b.y1));
}

/**
 * The first candidate (in preference order) touched by no content box; otherwise the one with the
 * least overlap, flagged so the caller can tell the user.
 */
export function chooseFree<T extends { box: Box }>(candidates: T[], content: Box[]): { choice: T; free: boolean } {
  let best = candidates[0]!;
  let bestOverlap = Infinity;
  for (const c of candidates) {
    const o = content.reduce((a, b) => a + (intersects(c.box, b) ? overlap(c.box, b) + 1 : 0), 0);
    if (o === 0) return { choice: c, free: true };
    if (o < bestOverlap) {
      best = c;
      bestOverlap = o;
    }
  }
  return { choice: best, free: false };
}
