/**
 * Structural comparison of PDF values across two revisions of one document (the modification
 * analysis, modifications.ts). Values are compared as the reader parsed them: dictionary key order,
 * hex vs literal strings and the serialisation do not matter; references with the same object
 * number compare equal (the referenced object is judged on its own when it changed), and references
 * that differ are followed on both sides, so a writer that moves a direct value into its own object
 * (or back) does not count as a change.
 */
import { PdfDict, PdfName, PdfReadError, PdfRef, PdfStream, PdfString, type PdfValue, type PdfView } from '../pdf/model';

const MAX_COMPARE_DEPTH = 64;

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Decoded stream data, or undefined when the reader cannot decode its filter (images, …). */
export function streamBytes(view: PdfView, s: PdfStream): Uint8Array | undefined {
  try {
    return view.streamData(s);
  } catch (e) {
    if (e instanceof PdfReadError && e.code === 'pdf_unsupported_filter') return undefined;
    throw e;
  }
}

export interface CompareContext {
  old: PdfView;
  cur: PdfView;
  /** The whole file: stream data is compared raw first (it sits at known offsets). */
  bytes: Uint8Array;
  /** Objects (numbers in the new view) found equal to an old value by following differing references. */
  equivalent?: Set<number>;
}

/** Stream dictionary keys that only describe the encoding: two streams with equal decoded data may differ there. */
const ENCODING_KEYS = new Set(['Length', 'Filter', 'DecodeParms', 'DL']);

function sameStream(c: CompareContext, a: PdfStream, b: PdfStream, depth: number, seen: Set<string>): boolean {
  const rawA = c.bytes.subarray(a.dataStart, a.dataStart + a.dataLength);
  const rawB = c.bytes.subarray(b.dataStart, b.dataStart + b.dataLength);
  if (sameDict(c, a.dict, b.dict, depth, seen) && (a.dataStart === b.dataStart || sameBytes(rawA, rawB))) return true;
  if (!sameDict(c, a.dict, b.dict, depth, seen, ENCODING_KEYS)) return false;
  const da = streamBytes(c.old, a);
  const db = streamBytes(c.cur, b);
  return da !== undefined && db !== undefined && sameBytes(da, db);
}

function sameDict(c: CompareContext, a: PdfDict, b: PdfDict, depth: number, seen: Set<string>, ignore?: Set<string>): boolean {
  const ka = a.keys().filter((k) => !ignore?.has(k) && a.get(k) !== null);
  const kb = b.keys().filter((k) => !ignore?.has(k) && b.get(k) !== null);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => b.has(k) && sameAt(c, a.get(k)!, b.get(k)!, depth + 1, seen));
}

function sameAt(c: CompareContext, a: PdfValue, b: PdfValue, depth: number, seen: Set<string>): boolean {
  if (depth > MAX_COMPARE_DEPTH) return false;
  if (a instanceof PdfRef && b instanceof PdfRef && a.num === b.num) return true;
  if (a instanceof PdfRef || b instanceof PdfRef) {
    const key = `${a instanceof PdfRef ? a.num : 'd'}:${b instanceof PdfRef ? b.num : 'd'}`;
    if (seen.has(key)) return true; // a cycle already being compared: equal unless shown otherwise elsewhere
    seen.add(key);
    const ra = a instanceof PdfRef ? c.old.object(a.num) : a;
    const rb = b instanceof PdfRef ? c.cur.object(b.num) : b;
    if (ra === undefined || rb === undefined) return ra === rb;
    const same = sameAt(c, ra, rb, depth + 1, seen);
    if (same && b instanceof PdfRef) c.equivalent?.add(b.num);
    return same;
  }
  if (a === null || typeof a !== 'object') return a === b;
  if (a instanceof PdfName) return b instanceof PdfName && a.name === b.name;
  if (a instanceof PdfString) return b instanceof PdfString && sameBytes(a.bytes, b.bytes);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameAt(c, x, b[i]!, depth + 1, seen));
  if (a instanceof PdfStream) return b instanceof PdfStream && sameStream(c, a, b, depth, seen);
  if (a instanceof PdfDict) return b instanceof PdfDict && sameDict(c, a, b, depth, seen);
  return false;
}

/** Whether two values (old view, new view) are the same PDF value. A missing value equals only a missing one (or null). */
export function sameValue(c: CompareContext, a: PdfValue | undefined, b: PdfValue | undefined): boolean {
  if (a === undefined || a === null) return b === undefined || b === null;
  if (b === undefined || b === null) return false;
  const found = new Set<number>();
  const same = sameAt({ ...c, equivalent: found }, a, b, 0, new Set());
  if (same) for (const n of found) c.equivalent?.add(n);
  return same;
}

/** Keys whose values differ between two dictionaries (missing and null count as absent). */
export function differingKeys(c: CompareContext, a: PdfDict | undefined, b: PdfDict | undefined): string[] {
  const keys = new Set([...(a?.keys() ?? []), ...(b?.keys() ?? [])]);
  return [...keys].filter((k) => !sameValue(c, a?.get(k), b?.get(k)));
}

/** Every reference inside a value (nested arrays and dictionaries, a stream's dictionary), with the key that led to it. */
export function refsIn(v: PdfValue | undefined, out: { ref: PdfRef; key: string | undefined }[] = [], key?: string, depth = 0): { ref: PdfRef; key: string | undefined }[] {
  if (v === null || v === undefined || typeof v !== 'object' || depth > MAX_COMPARE_DEPTH) return out;
  if (v instanceof PdfRef) out.push({ ref: v, key });
  else if (Array.isArray(v)) for (const x of v) refsIn(x, out, key, depth + 1);
  else if (v instanceof PdfStream) refsIn(v.dict, out, key, depth + 1);
  else if (v instanceof PdfDict) for (const k of v.keys()) refsIn(v.get(k), out, k, depth + 1);
  return out;
}

export const numberOf = (v: PdfValue | undefined): number | undefined => (typeof v === 'number' ? v : undefined);
export const textOf = (v: PdfValue | undefined): string | undefined => (v instanceof PdfString ? v.text() : undefined);
export const nameOf = (v: PdfValue | undefined): string | undefined => (v instanceof PdfName ? v.name : undefined);
export const refNum = (v: PdfValue | undefined): number | undefined => (v instanceof PdfRef ? v.num : undefined);

/** A resolved array (the value itself or the array object it refers to), else []. */
export function arrayOf(view: PdfView, v: PdfValue | undefined): PdfValue[] {
  const r = view.resolve(v);
  return Array.isArray(r) ? r : [];
}
