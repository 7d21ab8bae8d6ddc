/**
 * Hand-made hostile PDFs: each is a tiny classic PDF (correct offsets, so only the named defect is
 * wrong) or a named defect on top of it — broken xref and trailer, page-tree and /Prev loops, deep
 * nesting, lying stream lengths, xref and object streams with absurd parameters, decompression
 * bombs, fake signatures with broken /ByteRange and /Contents.
 */
import { deflateSync } from 'node:zlib';

const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
const cat = (...p: (Uint8Array | string)[]) => {
  const parts = p.map((x) => (typeof x === 'string' ? enc(x) : x));
  const out = new Uint8Array(parts.reduce((n, x) => n + x.length, 0));
  let o = 0;
  for (const x of parts) {
    out.set(x, o);
    o += x.length;
  }
  return out;
};

export interface PdfSpec {
  /** Object bodies by number (without `N 0 obj` / `endobj`). */
  objects: Record<number, string | Uint8Array>;
  trailer?: string;
  /** Replaces the xref section (the offsets are still computed for the default one). */
  xref?: (offsets: Map<number, number>) => string;
  startxref?: (xrefAt: number) => string;
  header?: string;
}

const PAGE = '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>';
const CONTENT = 'BT /F1 12 Tf 50 780 Td (Hostile) Tj ET';
export const BASIC: PdfSpec['objects'] = {
  1: '<< /Type /Catalog /Pages 2 0 R >>',
  2: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
  3: PAGE,
  4: `<< /Length ${CONTENT.length} >>\nstream\n${CONTENT}\nendstream`,
};

/** A classic PDF with a correct xref table (unless `xref`/`startxref` say otherwise). */
export function buildPdf(spec: PdfSpec): Uint8Array {
  const chunks: (string | Uint8Array)[] = [spec.header ?? '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n'];
  let at = chunks[0]!.length;
  const offsets = new Map<number, number>();
  const nums = Object.keys(spec.objects).map(Number).sort((a, b) => a - b);
  for (const n of nums) {
    offsets.set(n, at);
    const body = spec.objects[n]!;
    const head = `${n} 0 obj\n`;
    const tail = '\nendobj\n';
    chunks.push(head, body, tail);
    at += head.length + body.length + tail.length;
  }
  const size = (nums[nums.length - 1] ?? 0) + 1;
  const table = ['xref', `0 ${size}`, '0000000000 65535 f '];
  for (let n = 1; n < size; n++) table.push(offsets.has(n) ? `${String(offsets.get(n)).padStart(10, '0')} 00000 n ` : '0000000000 65535 f ');
  const xref = spec.xref ? spec.xref(offsets) : `${table.join('\n')}\n`;
  const trailer = spec.trailer ?? `trailer\n<< /Size ${size} /Root 1 0 R >>\n`;
  chunks.push(xref, trailer, spec.startxref ? spec.startxref(at) : `startxref\n${at}\n%%EOF\n`);
  return cat(...chunks);
}

const withObjects = (over: PdfSpec['objects'], rest: Omit<PdfSpec, 'objects'> = {}) => buildPdf({ objects: { ...BASIC, ...over }, ...rest });
const stream = (dict: string, data: Uint8Array) => cat(`<< ${dict} /Length ${data.length} >>\nstream\n`, data, '\nendstream');
const fakeSig = (byteRange: string, contents: string) => withObjects({ 1: '<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] /SigFlags 3 >> >>', 5: '<< /FT /Sig /T (Sig1) /V 6 0 R >>', 6: `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange ${byteRange} /Contents ${contents} >>` });

/** An incremental update appended to `base` whose trailer says `/Prev prev(own xref offset)`. */
function update(base: Uint8Array, body: string, prev: (selfXref: number) => number): { bytes: Uint8Array; xrefAt: number } {
  const objAt = base.length;
  const obj = `\n7 0 obj\n${body}\nendobj\n`;
  const xrefAt = objAt + obj.length;
  const xref = `xref\n0 1\n0000000000 65535 f \n7 1\n${String(objAt + 1).padStart(10, '0')} 00000 n \ntrailer\n<< /Size 8 /Root 1 0 R /Prev ${prev(xrefAt)} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return { bytes: cat(base, obj, xref), xrefAt };
}

const xrefOffset = (pdf: Uint8Array) => String.fromCharCode(...pdf.subarray(0, 4096)).indexOf('\nxref\n') + 1;

function xrefStreamPdf(w: string, index: string, data: Uint8Array): Uint8Array {
  const base = buildPdf({ objects: BASIC, xref: () => '', trailer: '', startxref: () => '' });
  const at = base.length;
  return cat(base, `9 0 obj\n`, stream(`/Type /XRef /Size 10 /W ${w} /Index ${index} /Root 1 0 R`, data), `\nendobj\nstartxref\n${at}\n%%EOF\n`);
}

export function pdfCases(): { name: string; bytes: Uint8Array }[] {
  const basic = buildPdf({ objects: BASIC });
  const deepArray = `${'['.repeat(5000)}1${']'.repeat(5000)}`;
  const deepDict = `${'<< /A '.repeat(3000)}1${' >>'.repeat(3000)}`;
  const bomb = deflateSync(new Uint8Array(16 * 1024 * 1024));
  let chain = { bytes: basic, xrefAt: xrefOffset(basic) };
  for (let i = 0; i < 300; i++) {
    const prevAt = chain.xrefAt;
    chain = update(chain.bytes, `<< /N ${i} >>`, () => prevAt);
  }
  const cases: Record<string, Uint8Array> = {
    basic,
    'no-startxref': buildPdf({ objects: BASIC, startxref: () => '%%EOF\n' }),
    'startxref-beyond-eof': buildPdf({ objects: BASIC, startxref: () => 'startxref\n99999999\n%%EOF\n' }),
    'startxref-negative': buildPdf({ objects: BASIC, startxref: () => 'startxref\n-5\n%%EOF\n' }),
    'startxref-into-object': buildPdf({ objects: BASIC, startxref: () => 'startxref\n20\n%%EOF\n' }),
    'startxref-huge-number': buildPdf({ objects: BASIC, startxref: () => `startxref\n${'9'.repeat(400)}\n%%EOF\n` }),
    'xref-garbage-entries': buildPdf({ objects: BASIC, xref: () => 'xref\n0 5\nzzzzzzzzzz zzzzz n \n'.repeat(3) }),
    'xref-huge-subsection': buildPdf({ objects: BASIC, xref: (o) => `xref\n0 2000000000\n0000000000 65535 f \n${String(o.get(1)).padStart(10, '0')} 00000 n \n` }),
    'xref-offsets-beyond-eof': buildPdf({ objects: BASIC, xref: () => `xref\n0 5\n0000000000 65535 f \n${'0099999999 00000 n \n'.repeat(4)}` }),
    'xref-missing': buildPdf({ objects: BASIC, xref: () => '' }),
    'trailer-size-huge': buildPdf({ objects: BASIC, trailer: 'trailer\n<< /Size 999999999999 /Root 1 0 R >>\n' }),
    'trailer-no-root': buildPdf({ objects: BASIC, trailer: 'trailer\n<< /Size 5 >>\n' }),
    'trailer-root-missing-object': buildPdf({ objects: BASIC, trailer: 'trailer\n<< /Size 5 /Root 77 0 R >>\n' }),
    'trailer-root-number': buildPdf({ objects: BASIC, trailer: 'trailer\n<< /Size 5 /Root 42 >>\n' }),
    'trailer-unterminated': buildPdf({ objects: BASIC, trailer: 'trailer\n<< /Size 5 /Root 1 0 R' }),
    'trailer-encrypt': buildPdf({ objects: { ...BASIC, 5: '<< /Filter /Standard /V 2 /R 3 /O <00> /U <00> /P -4 >>' }, trailer: 'trailer\n<< /Size 6 /Root 1 0 R /Encrypt 5 0 R /ID [<01> <01>] >>\n' }),
    'catalog-not-dict': withObjects({ 1: '[1 2 3]' }),
    'pages-missing': withObjects({ 1: '<< /Type /Catalog >>' }),
    'pages-self-loop': withObjects({ 2: '<< /Type /Pages /Kids [2 0 R] /Count 1 >>' }),
    'pages-cycle': withObjects({ 2: '<< /Type /Pages /Kids [5 0 R] /Count 1 >>', 5: '<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>' }),
    'pages-count-huge': withObjects({ 2: '<< /Type /Pages /Kids [3 0 R] /Count 99999999999 >>' }),
    'pages-count-negative': withObjects({ 2: '<< /Type /Pages /Kids [3 0 R] /Count -1 >>' }),
    'pages-kids-not-array': withObjects({ 2: '<< /Type /Pages /Kids 3 /Count 1 >>' }),
    'pages-kids-missing-refs': withObjects({ 2: `<< /Type /Pages /Kids [${Array.from({ length: 5000 }, (_, i) => `${i + 100} 0 R`).join(' ')}] /Count 5000 >>` }),
    'page-parent-loop': withObjects({ 3: '<< /Type /Page /Parent 3 0 R /MediaBox [0 0 1 1] >>' }),
    'page-contents-missing': withObjects({ 3: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 99 0 R >>' }),
    'page-mediabox-garbage': withObjects({ 3: '<< /Type /Page /Parent 2 0 R /MediaBox [/a (b) <c> 1e999] /Contents 4 0 R >>' }),
    'deep-array': withObjects({ 5: deepArray, 1: '<< /Type /Catalog /Pages 2 0 R /X 5 0 R >>' }),
    'deep-dict': withObjects({ 5: deepDict, 1: '<< /Type /Catalog /Pages 2 0 R /X 5 0 R >>' }),
    'deep-array-in-page': withObjects({ 3: `<< /Type /Page /Parent 2 0 R /MediaBox ${deepArray} >>` }),
    'stream-length-huge': withObjects({ 4: `<< /Length 999999999 >>\nstream\n${CONTENT}\nendstream` }),
    'stream-length-negative': withObjects({ 4: `<< /Length -20 >>\nstream\n${CONTENT}\nendstream` }),
    'stream-length-missing-ref': withObjects({ 4: `<< /Length 88 0 R >>\nstream\n${CONTENT}\nendstream` }),
    'stream-no-endstream': withObjects({ 4: `<< /Length ${CONTENT.length} >>\nstream\n${CONTENT}` }),
    'stream-flate-garbage': withObjects({ 4: stream('/Filter /FlateDecode', Uint8Array.from({ length: 300 }, (_, i) => (i * 37) & 0xff)) }),
    'stream-unknown-filter': withObjects({ 4: stream('/Filter /JBIG9000Decode', enc(CONTENT)) }),
    'stream-filter-chain-long': withObjects({ 4: stream(`/Filter [${'/FlateDecode '.repeat(200)}]`, deflateSync(enc(CONTENT))) }),
    'metadata-bomb-16MiB': withObjects({ 1: '<< /Type /Catalog /Pages 2 0 R /Metadata 5 0 R >>', 5: stream('/Type /Metadata /Subtype /XML /Filter /FlateDecode', bomb) }),
    'metadata-flate-garbage': withObjects({ 1: '<< /Type /Catalog /Pages 2 0 R /Metadata 5 0 R >>', 5: stream('/Type /Metadata /Subtype /XML /Filter /FlateDecode', enc('not deflate at all')) }),
    'object-number-huge': buildPdf({ objects: BASIC, xref: (o) => `xref\n0 1\n0000000000 65535 f \n4294967296 1\n${String(o.get(1)).padStart(10, '0')} 00000 n \n` }),
    'generation-huge': withObjects({ 2: '<< /Type /Pages /Kids [3 99999999 R] /Count 1 >>' }),
    'prev-self-loop': update(basic, '<< /Loop true >>', (self) => self).bytes,
    'prev-beyond-eof': update(basic, '<< /X 1 >>', () => 1e12).bytes,
    'prev-chain-300': chain.bytes,
    'xref-stream-bad-w': xrefStreamPdf('[9 9 9]', '[0 10]', new Uint8Array(27)),
    'xref-stream-negative-w': xrefStreamPdf('[-1 2 1]', '[0 10]', new Uint8Array(20)),
    // pdf-lib walks every announced entry: [0 2000000000] keeps it busy for minutes, [0 5000000] for a minute
    // (a leak of pdf-lib that the bounded reader closes); 100 000 entries over 40 bytes of data is the same lie, cheaper.
    'xref-stream-huge-index': xrefStreamPdf('[1 2 1]', '[0 100000]', new Uint8Array(40)),
    'xref-stream-short-data': xrefStreamPdf('[1 4 2]', '[0 10]', new Uint8Array(5)),
    'objstm-huge-n': withObjects({ 5: stream('/Type /ObjStm /N 1000000000 /First 4', enc('1 0 << >>')), 1: '<< /Type /Catalog /Pages 2 0 R /X 5 0 R >>' }),
    'objstm-first-beyond': withObjects({ 5: stream('/Type /ObjStm /N 1 /First 99999', enc('6 0 << >>')) }),
    'objstm-extends-loop': withObjects({ 5: stream('/Type /ObjStm /N 1 /First 4 /Extends 5 0 R', enc('6 0 << >>')) }),
    'acroform-fields-loop': withObjects({ 1: '<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] >> >>', 5: '<< /FT /Tx /T (a) /Kids [5 0 R] >>' }),
    'sig-byterange-beyond-eof': fakeSig('[0 100 200 99999999]', '<3080>'),
    'sig-byterange-huge': fakeSig('[0 1000000000000000 1000000000000001 5]', '<3080>'),
    'sig-byterange-overlap': fakeSig('[0 400 100 300]', '<3080>'),
    'sig-byterange-zero': fakeSig('[0 0 0 0]', '<>'),
    'sig-contents-not-hex': fakeSig('[0 10 20 30]', '(not hex at all)'),
    'sig-contents-odd-hex': fakeSig('[0 10 20 30]', '<308>'),
    'sig-contents-huge-der-length': fakeSig('[0 10 20 30]', '<3084FFFFFFFF0102>'),
  };
  // Signatures whose /ByteRange matches the file exactly, with a damaged CMS in the gap.
  for (const [name, hex] of Object.entries({ 'garbage-cms': '30820010' + '00'.repeat(16), 'deep-cms': '3080'.repeat(400), 'tag-cms': 'A5' + '00'.repeat(20), 'empty-cms': '' })) {
    const probe = fakeSig('[0 0000000000 0000000000 0000000000]', `<${hex}>`);
    const text = String.fromCharCode(...probe);
    const gapStart = text.indexOf('/Contents <') + '/Contents '.length;
    const gapEnd = text.indexOf('>', gapStart) + 1;
    const br = `[0 ${String(gapStart).padStart(10, '0')} ${String(gapEnd).padStart(10, '0')} ${String(probe.length - gapEnd).padStart(10, '0')}]`;
    cases[`sig-in-range-${name}`] = enc(text.replace('[0 0000000000 0000000000 0000000000]', br));
  }
  return Object.entries(cases).map(([name, bytes]) => ({ name: `pdf-case-${name}`, bytes }));
}
