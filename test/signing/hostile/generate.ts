/**
 * The hostile corpus: deterministic (seeded) damage to genuine PDFs, CMS signatures, certificates
 * and .p12 files — truncations at many offsets, byte flips, wrong DER tags, huge DER lengths — plus
 * the hand-made cases of pdf-cases.ts and p12-cases.ts, deep DER nesting, CMS with a missing
 * signer or garbage certificates, and bytes that are not a PDF at all but are named .pdf.
 * Everything is generated in memory; nothing is a stored fixture.
 */
import { deflateSync } from 'node:zlib';
import { addUnsignedTimestamp } from '../../../src-shared/signing/cms-build';
import { CORPUS_PASSWORD, type Bases } from './bases';
import { concat, ctx0, headers, int, oct, oid, seq, set, tlv } from './der';
import { pdfCases } from './pdf-cases';
import { p12Cases } from './p12-cases';

export type InputKind = 'pdf' | 'cms' | 'cert' | 'p12';

export interface HostileInput {
  name: string;
  kind: InputKind;
  bytes: Uint8Array;
  password?: string;
  /** When set, the input must end in one of these codes (elsewhere: any code from the known list). */
  expect?: string[];
  /** A seeded mutation of a genuine file (not a hand-made case): the costly front doors take a share of these. */
  mutation?: boolean;
}

/** mulberry32: a small seeded PRNG, so every run builds the very same corpus. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const u8 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);

/** Offsets spread over the file, denser at both ends where headers and trailers live. */
function offsets(length: number, count: number, rnd: () => number): number[] {
  const set = new Set<number>([0, 1, 2, 3, 5, 8, 13, length - 1, length - 2, length - 8, length - 32]);
  for (let i = 0; set.size < count && i < count * 4; i++) set.add(Math.floor((i < count / 2 ? i / (count / 2) : rnd()) * length));
  return [...set].filter((o) => o >= 0 && o < length).sort((x, y) => x - y);
}

function flip(b: Uint8Array, at: number, mask: number): Uint8Array {
  const c = new Uint8Array(b);
  c[at] = c[at]! ^ (mask || 1);
  return c;
}

function mutations(kind: InputKind, base: string, b: Uint8Array, seed: number, n: { cuts: number; flips: number; headers: number; tailFlips?: number }): HostileInput[] {
  const rnd = prng(seed);
  const out: HostileInput[] = [];
  const names = new Set<string>();
  const add = (name: string, bytes: Uint8Array) => {
    if (names.has(name)) return; // the same damage drawn twice
    names.add(name);
    out.push({ name: `${base}-${name}`, kind, bytes, mutation: true, ...(kind === 'p12' ? { password: CORPUS_PASSWORD } : {}) });
  };
  for (const o of offsets(b.length, n.cuts, rnd)) add(`cut@${o}`, b.subarray(0, o));
  for (let i = 0; i < n.flips; i++) {
    const at = Math.floor(rnd() * b.length);
    const mask = Math.floor(rnd() * 255) + 1;
    add(`flip@${at}^${mask}`, flip(b, at, mask));
  }
  // The xref, trailer and signature dictionary sit in the last kilobytes of a PDF.
  for (let i = 0; i < (n.tailFlips ?? 0); i++) {
    const at = b.length - 1 - Math.floor(rnd() * Math.min(b.length, 3000));
    const mask = Math.floor(rnd() * 255) + 1;
    add(`tail-flip@${at}^${mask}`, flip(b, at, mask));
  }
  if (n.headers > 0) {
    const hs = headers(b);
    const step = Math.max(1, Math.floor(hs.length / n.headers));
    for (let i = 0; i < hs.length && i / step < n.headers; i += step) {
      const h = hs[i]!;
      const wrongTag = new Uint8Array(b);
      wrongTag[h.at] = [0x02, 0x04, 0x05, 0x06, 0x0c, 0x30, 0x31, 0xa0, 0xa3, 0x1f][Math.floor(rnd() * 10)]!;
      if (wrongTag[h.at] === b[h.at]) wrongTag[h.at] = b[h.at]! ^ 0x20;
      add(`tag@${h.at}`, wrongTag);
      const huge = rnd() < 0.5 ? u8('\x84\x7f\xff\xff\xff') : u8('\x88\xff\xff\xff\xff\xff\xff\xff\xff');
      add(`huge-length@${h.at}`, concat([b.subarray(0, h.at + 1), huge, b.subarray(h.at + 1 + h.lengthSize)]));
      if (h.lengthSize === 1) add(`length+1@${h.at}`, flip(b, h.at + 1, (b[h.at + 1]! ^ (b[h.at + 1]! + 1)) & 0x7f));
    }
  }
  return out;
}

/** Same-length replacement of every occurrence of `from` (e.g. an algorithm OID) by `to`. */
function replaceAll(b: Uint8Array, from: Uint8Array, to: Uint8Array): Uint8Array {
  const c = new Uint8Array(b);
  for (let i = 0; i + from.length <= c.length; i++) if (from.every((x, k) => c[i + k] === x)) c.set(to, i);
  return c;
}

/** The children of the constructed element at the start of `b`, as slices. */
function children(b: Uint8Array): Uint8Array[] {
  const top = headers(b)[0]!;
  const start = top.at + 1 + top.lengthSize;
  return headers(b).filter((h) => h.at >= start && isDirectChild(b, start, h.at)).map((h) => slice(b, h.at));
}
function elementEnd(b: Uint8Array, at: number): number {
  const first = b[at + 1]!;
  if (first < 0x80) return at + 2 + first;
  let len = 0;
  for (let k = 0; k < (first & 0x7f); k++) len = len * 256 + b[at + 2 + k]!;
  return at + 2 + (first & 0x7f) + len;
}
const slice = (b: Uint8Array, at: number) => b.subarray(at, elementEnd(b, at));
function isDirectChild(b: Uint8Array, start: number, at: number): boolean {
  for (let i = start; i < b.length; i = elementEnd(b, i)) if (i >= at) return i === at;
  return false;
}

function cmsCases(cms: Uint8Array, certificate: Uint8Array, root: Uint8Array): HostileInput[] {
  const [, content] = children(cms);
  const sd = children(content!)[0]!;
  const [version, digestAlgs, encap, , signerInfos] = children(sd);
  const signedData = (...parts: Uint8Array[]) => seq(oid('1.2.840.113549.1.7.2'), ctx0(seq(...parts)));
  const garbage = Uint8Array.from({ length: 80 }, (_, i) => (i * 53 + 11) & 0xff);
  const sha256 = oid('2.16.840.1.101.3.4.2.1');
  const rsa = oid('1.2.840.113549.1.1.1');
  const messageDigest = oid('1.2.840.113549.1.9.4');
  const unknown = (o: Uint8Array) => Uint8Array.from(o, (x, i) => (i === o.length - 1 ? (x ^ 0x60) & 0x7f : x));
  const cases: Record<string, Uint8Array> = {
    'no-signers': signedData(version!, digestAlgs!, encap!, ctx0(certificate), set()),
    'no-certificates': signedData(version!, digestAlgs!, encap!, signerInfos!),
    'only-root-certificate': signedData(version!, digestAlgs!, encap!, ctx0(root), signerInfos!),
    'garbage-certificate': signedData(version!, digestAlgs!, encap!, ctx0(seq(garbage)), signerInfos!),
    'truncated-certificate': signedData(version!, digestAlgs!, encap!, tlv(0xa0, certificate.subarray(0, 300)), signerInfos!),
    'certificate-is-integer': signedData(version!, digestAlgs!, encap!, ctx0(int(5)), signerInfos!),
    'signer-info-garbage': signedData(version!, digestAlgs!, encap!, ctx0(certificate), set(seq(garbage))),
    'signer-info-empty': signedData(version!, digestAlgs!, encap!, ctx0(certificate), set(seq())),
    'version-99': signedData(int(99), digestAlgs!, encap!, ctx0(certificate), signerInfos!),
    'signed-data-empty': signedData(),
    'content-type-data': seq(oid('1.2.840.113549.1.7.1'), ctx0(oct(garbage))),
    'content-missing': seq(oid('1.2.840.113549.1.7.2')),
    'content-not-sequence': seq(oid('1.2.840.113549.1.7.2'), ctx0(oct(garbage))),
    'unknown-digest': replaceAll(cms, sha256, unknown(sha256)),
    'unknown-key-algorithm': replaceAll(cms, rsa, unknown(rsa)),
    'no-message-digest': replaceAll(cms, messageDigest, unknown(messageDigest)),
    'deep-indefinite': concat([u8('\x30\x80'.repeat(20_000)), new Uint8Array(40_000)]),
    'deep-definite': Array.from({ length: 3_000 }).reduce<Uint8Array>((inner) => seq(inner), int(1)),
    'deep-explicit': Array.from({ length: 3_000 }).reduce<Uint8Array>((inner) => ctx0(inner), int(1)),
    'deep-constructed-octets': concat([u8('\x24\x80'.repeat(20_000)), new Uint8Array(40_000)]),
    'huge-top-length': u8('\x30\x84\x7f\xff\xff\xff\x06\x09'),
    'eight-byte-length': u8('\x30\x88\xff\xff\xff\xff\xff\xff\xff\xff\x00'),
    'high-tag-number': u8(`\x1f${'\xff'.repeat(64)}\x01\x00`),
    'primitive-indefinite': u8('\x04\x80\x00\x00'),
    empty: new Uint8Array(),
    'one-byte': u8('\x30'),
    'pem-garbage': u8('-----BEGIN PKCS7-----\n!!!!not base64@@@@\n-----END PKCS7-----\n'),
    'pem-truncated': u8(`-----BEGIN CMS-----\n${Buffer.from(cms.subarray(0, 200)).toString('base64')}\n-----END CMS-----\n`),
    'pem-unterminated': u8(`-----BEGIN CMS-----\n${Buffer.from(cms).toString('base64')}\n`),
    'base64-garbage': u8('QUFB'.repeat(40)),
    'text-file': u8('This is not a signature, it is a note.\n'.repeat(20)),
    'timestamp-token-garbage': addUnsignedTimestamp(cms, 0, seq(oct(garbage), int(7))),
    'timestamp-token-is-the-cms-itself': addUnsignedTimestamp(cms, 0, cms),
    'timestamp-token-no-signers': addUnsignedTimestamp(cms, 0, signedData(version!, digestAlgs!, encap!, set())),
  };
  return Object.entries(cases).map(([name, bytes]) => ({ name: `cms-case-${name}`, kind: 'cms' as const, bytes }));
}

/** Bytes that are not a PDF (or barely one) but arrive named .pdf. */
function notPdfCases(b: Bases): HostileInput[] {
  const rnd = prng(99);
  const random = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(rnd() * 256));
  const cases: Record<string, Uint8Array> = {
    empty: new Uint8Array(),
    'random-1k': random(1024),
    'random-64k': random(65536),
    zeros: new Uint8Array(70_000),
    png: concat([u8('\x89PNG\r\n\x1a\n'), random(200)]),
    jpeg: concat([u8('\xff\xd8\xff\xe0'), random(200)]),
    zip: concat([u8('PK\x03\x04'), random(200)]),
    postscript: u8('%!PS-Adobe-3.0\n/Helvetica findfont\nshowpage\n'),
    'utf16-text': Uint8Array.from(Buffer.from('\ufeffҚұжат', 'utf16le')),
    'header-only': u8('%PDF-'),
    'header-and-eof': u8('%PDF-1.7\n%%EOF\n'),
    'header-then-random': concat([u8('%PDF-1.7\n'), random(4096)]),
    'header-then-deflate': concat([u8('%PDF-1.7\n'), deflateSync(random(4096))]),
    'header-after-1024': concat([new Uint8Array(1100), b.unsignedPdf]),
    'no-dash': u8('%PDF1.7\n1 0 obj << >> endobj\n%%EOF'),
    'nul-everywhere': Uint8Array.from(b.unsignedPdf, (x, i) => (i % 7 === 3 ? 0 : x)),
    'cms-named-pdf': b.cms,
    'p12-named-pdf': b.p12,
    'two-pdfs-glued': concat([b.unsignedPdf, b.signedPdf]),
    'signed-twice-appended': concat([b.signedPdf, b.signedPdf.subarray(b.unsignedPdf.length)]),
  };
  return Object.entries(cases).map(([name, bytes]) => ({ name: `not-pdf-${name}`, kind: 'pdf' as const, bytes }));
}

export function hostileCorpus(b: Bases): HostileInput[] {
  // Signed PDFs cost a full signature verification per input; unsigned ones and DER damage are cheap.
  const unsignedN = { cuts: 75, flips: 50, headers: 0, tailFlips: 40 };
  const signedN = { cuts: 25, flips: 15, headers: 0, tailFlips: 25 };
  const derN = { cuts: 50, flips: 40, headers: 70 };
  return [
    ...mutations('pdf', 'pdf-unsigned', b.unsignedPdf, 1, unsignedN),
    ...mutations('pdf', 'pdf-unsigned-objstm', b.unsignedObjStmPdf, 2, unsignedN),
    ...mutations('pdf', 'pdf-signed', b.signedPdf, 3, signedN),
    ...mutations('pdf', 'pdf-signed-objstm', b.signedObjStmPdf, 4, signedN),
    ...pdfCases().map((c) => ({ ...c, kind: 'pdf' as const })),
    ...notPdfCases(b),
    ...mutations('cms', 'cms', b.cms, 5, derN),
    ...cmsCases(b.cms, b.certificate, b.pki.root.der),
    ...mutations('cert', 'cert', b.certificate, 6, { cuts: 100, flips: 100, headers: 80 }),
    ...mutations('p12', 'p12', b.p12, 7, { cuts: 80, flips: 90, headers: 70 }),
    ...p12Cases(CORPUS_PASSWORD, b.certificate).map((c) => ({ name: c.name, kind: 'p12' as const, bytes: c.bytes, password: CORPUS_PASSWORD, expect: c.expect === 'file_too_large' ? ['file_too_large', 'key_corrupt'] : [c.expect] })),
    { name: 'p12-wrong-password', kind: 'p12', bytes: b.p12, password: 'wrong-пароль', expect: ['key_wrong_password'] },
    { name: 'p12-empty-password', kind: 'p12', bytes: b.p12, password: ' ', expect: ['key_wrong_password'] },
  ];
}
