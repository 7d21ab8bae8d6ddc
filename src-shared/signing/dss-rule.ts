/**
 * The /DSS rule of the modification analysis (pyHanko's DSSCompareRule, PAdES-LTA): the catalog may
 * gain or change a Document Security Store whose /Certs, /OCSPs and /CRLs hold only parseable
 * certificates, OCSP responses and CRLs, and whose /VRI entries (keyed by a SHA-1 hex name) hold
 * only those plus a timestamp token and a date. Existing VRI entries stay as they were; old
 * certificates, responses and CRLs may be dropped (PAdES allows it). Streams are parsed with pkijs,
 * as the verifier does; a stream that does not parse, or any other key, is `dss_invalid`.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { PdfDict, PdfRef, PdfStream, type PdfValue } from '../pdf/model';
import { ab } from './bytes';
import type { Analysis } from './modifications';
import { arrayOf, refNum, refsIn, sameValue, streamBytes } from './pdf-compare';

type DerKind = 'cert' | 'ocsp' | 'crl' | 'tst';

const DSS_ARRAYS: Record<string, DerKind> = { Certs: 'cert', OCSPs: 'ocsp', CRLs: 'crl' };
const VRI_ARRAYS: Record<string, DerKind> = { Cert: 'cert', OCSP: 'ocsp', CRL: 'crl' };
const VRI_KEY = /^[A-F0-9]{40}$/;

/** Whether the bytes are exactly one DER element of the given kind. */
export function parsesAs(kind: DerKind, der: Uint8Array): boolean {
  try {
    const r = asn1js.fromBER(ab(der));
    if (r.offset !== der.length) return false;
    const schema = r.result;
    if (kind === 'cert') new pkijs.Certificate({ schema });
    else if (kind === 'crl') new pkijs.CertificateRevocationList({ schema });
    else if (kind === 'tst') {
      const ci = new pkijs.ContentInfo({ schema });
      new pkijs.SignedData({ schema: ci.content });
    } else {
      try {
        new pkijs.OCSPResponse({ schema });
      } catch {
        new pkijs.BasicOCSPResponse({ schema });
      }
    }
    return true;
  } catch {
    return false;
  }
}

export function dssRule(a: Analysis): void {
  const oldV = a.old.catalog().get('DSS');
  const newV = a.cur.catalog().get('DSS');
  const oldDss = a.old.dict(oldV);
  const newDss = a.cur.dict(newV);
  if (!newDss) return; // none now: dropping validation data changes nothing shown
  // Objects that already belonged to the old DSS may be rewritten in place (a DSS updated by LTA).
  const owned = new Set<number>();
  const stack = refsIn(oldV);
  while (stack.length) {
    const { ref } = stack.pop()!;
    if (owned.has(ref.num) || owned.size > 100_000) continue;
    owned.add(ref.num);
    const o = a.old.object(ref.num);
    refsIn(o instanceof PdfStream ? o.dict : o, stack);
  }
  if (sameValue(a.cmp, oldV, newV) && ![...owned].some((n) => a.changed.has(n))) return;
  const dssNum = refNum(newV) ?? refNum(a.cur.revision.trailer.get('Root'));
  const bad = (object?: number) => a.report('dss_invalid', object ?? dssNum);
  const claim = (v: PdfValue | undefined) => {
    const n = refNum(v);
    if (n !== undefined) a.claim(n, owned.has(n));
  };
  /** An array of references to streams of one kind; new or rewritten streams are parsed. */
  const derArray = (v: PdfValue | undefined, kind: DerKind) => {
    claim(v);
    for (const item of arrayOf(a.cur, v)) {
      const s = item instanceof PdfRef ? a.cur.object(item.num) : undefined;
      if (!(item instanceof PdfRef) || !(s instanceof PdfStream)) {
        bad(refNum(v));
        continue;
      }
      if (!a.changed.has(item.num)) continue;
      const data = streamBytes(a.cur, s);
      if (!data || !parsesAs(kind, data)) bad(item.num);
      else claim(item);
    }
    if (!Array.isArray(a.cur.resolve(v))) bad(refNum(v));
  };
  for (const key of newDss.keys()) {
    if (key === 'Type') continue;
    if (key === 'VRI') continue;
    const kind = DSS_ARRAYS[key];
    if (kind) derArray(newDss.get(key), kind);
    else bad(undefined);
  }
  const oldVri = a.old.dict(oldDss?.get('VRI'));
  const vriV = newDss.get('VRI');
  const newVri = a.cur.dict(vriV);
  if (vriV !== undefined && vriV !== null) {
    if (!newVri) bad(refNum(vriV));
    else {
      claim(vriV);
      for (const key of oldVri?.keys() ?? []) if (!sameValue(a.cmp, oldVri!.get(key), newVri.get(key))) bad(refNum(vriV));
      for (const key of newVri.keys()) {
        if (oldVri?.has(key)) continue;
        if (!VRI_KEY.test(key)) {
          bad(refNum(vriV));
          continue;
        }
        vriEntry(a, newVri.get(key), derArray, claim, bad);
      }
    }
  }
  if (a.changed.has(refNum(newV) ?? -1)) claim(newV);
}

function vriEntry(
  a: Analysis,
  v: PdfValue | undefined,
  derArray: (v: PdfValue | undefined, kind: DerKind) => void,
  claim: (v: PdfValue | undefined) => void,
  bad: (object?: number) => void,
): void {
  const entry = a.cur.resolve(v);
  if (!(entry instanceof PdfDict)) return bad(refNum(v));
  claim(v);
  for (const key of entry.keys()) {
    const kind = VRI_ARRAYS[key];
    if (kind) derArray(entry.get(key), kind);
    else if (key === 'TS') {
      const ts = entry.get(key);
      const s = a.cur.resolve(ts);
      const data = s instanceof PdfStream ? streamBytes(a.cur, s) : undefined;
      if (!data || !parsesAs('tst', data)) bad(refNum(ts));
      else claim(ts);
    } else if (key !== 'Type' && key !== 'TU') bad(refNum(v));
  }
}
