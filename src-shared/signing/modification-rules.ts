/**
 * The document-level rules of the modification analysis (modifications.ts): the catalog
 * (pyHanko's CatalogModificationRule), /Perms, the trailer's /Info and the XMP /Metadata
 * (MetadataUpdateRule, stricter: only dates, producer and the instance id may change).
 */
import { PdfStream, type PdfValue } from '../pdf/model';
import { dssRule } from './dss-rule';
import type { Analysis } from './modifications';
import { differingKeys, refNum, sameValue, streamBytes } from './pdf-compare';

/** Catalog keys other rules judge (form, DSS, metadata, permissions) or that change nothing shown. */
const CATALOG_DELEGATED = new Set(['AcroForm', 'DSS', 'Metadata', 'Perms']);
/** Written by signing and LTA tools (ISO extension levels, tagged-PDF marker, version): harmless. */
const CATALOG_FREE = new Set(['Extensions', 'MarkInfo', 'Version']);

export function catalogRule(a: Analysis): void {
  const oldCat = a.old.catalog();
  const newCat = a.cur.catalog();
  const rootNum = refNum(a.cur.revision.trailer.get('Root'));
  for (const key of differingKeys(a.cmp, oldCat, newCat)) {
    if (CATALOG_DELEGATED.has(key)) continue;
    if (CATALOG_FREE.has(key)) {
      a.claimAdded(newCat.get(key));
      continue;
    }
    a.report('catalog_changed', rootNum, key);
  }
  // The catalog object itself: its keys were just judged one by one.
  if (rootNum !== undefined && a.changed.has(rootNum)) a.handled.add(rootNum);
  dssRule(a);
  metadataRule(a);
  permsRule(a);
}

/** /Perms may gain entries naming a signature (DocMDP, UR3); existing ones stay as they were. */
function permsRule(a: Analysis): void {
  const oldV = a.old.catalog().get('Perms');
  const newV = a.cur.catalog().get('Perms');
  const rootNum = refNum(a.cur.revision.trailer.get('Root'));
  if (sameValue(a.cmp, oldV, newV)) return;
  const oldP = a.old.dict(oldV);
  const newP = a.cur.dict(newV);
  let ok = newP !== undefined;
  for (const key of differingKeys(a.cmp, oldP, newP)) {
    const sig = a.cur.dict(newP?.get(key));
    const type = sig?.name('Type');
    if (oldP?.has(key) || (type !== 'Sig' && type !== 'DocTimeStamp')) ok = false;
  }
  if (!ok) {
    a.report('catalog_changed', rootNum, 'Perms');
    return;
  }
  a.claim(refNum(newV), refNum(newV) === refNum(oldV));
}

/** Info keys an update may rewrite (pyHanko's MetadataUpdateRule: modification date, producer). */
const INFO_FREE = new Set(['ModDate', 'Producer']);

export function infoRule(a: Analysis): void {
  const oldV = a.old.revision.trailer.get('Info');
  const newV = a.cur.revision.trailer.get('Info');
  const infoNum = refNum(newV);
  const oldI = a.old.dict(oldV);
  const newI = a.cur.dict(newV);
  if (!newI) return; // no /Info shown (dropping it changes nothing a viewer draws)
  let ok = true;
  for (const key of differingKeys(a.cmp, oldI, newI)) {
    if (INFO_FREE.has(key)) continue;
    ok = false;
    a.report('info_changed', infoNum, key);
  }
  if (ok) a.claim(infoNum, infoNum === refNum(oldV));
}

/** XMP properties an update may rewrite: dates, producer, the per-save instance id. */
const XMP_FREE = ['xmp:ModifyDate', 'xmp:MetadataDate', 'pdf:Producer', 'xmpMM:InstanceID'];

/** XMP text without the free properties and without layout whitespace (both element and attribute forms). */
export function normalizeXmp(xml: string): string {
  let s = xml.replace(/<\?xpacket[^>]*\?>/g, '');
  for (const p of XMP_FREE) {
    const q = p.replace(':', '\\:');
    s = s.replace(new RegExp(`<${q}(\\s[^>]*)?>[\\s\\S]*?</${q}>`, 'g'), '');
    s = s.replace(new RegExp(`<${q}(\\s[^>]*)?/>`, 'g'), '');
    s = s.replace(new RegExp(`\\s${q}\\s*=\\s*("[^"]*"|'[^']*')`, 'g'), '');
  }
  return s.replace(/>\s+</g, '><').replace(/\s+/g, ' ').trim();
}

function xmpText(a: Analysis, v: PdfValue | undefined, view: 'old' | 'cur'): string | undefined {
  const pv = view === 'old' ? a.old : a.cur;
  const s = pv.resolve(v);
  if (!(s instanceof PdfStream)) return undefined;
  const data = streamBytes(pv, s);
  return data ? new TextDecoder('utf-8', { fatal: false }).decode(data) : undefined;
}

function metadataRule(a: Analysis): void {
  const oldV = a.old.catalog().get('Metadata');
  const newV = a.cur.catalog().get('Metadata');
  const num = refNum(newV);
  if (sameValue(a.cmp, oldV, newV) && (num === undefined || !a.changed.has(num))) return;
  const before = xmpText(a, oldV, 'old');
  const after = xmpText(a, newV, 'cur');
  const rootNum = refNum(a.cur.revision.trailer.get('Root'));
  if (after === undefined && newV !== undefined && newV !== null) {
    a.report('metadata_changed', num ?? rootNum);
    return;
  }
  if (after === undefined) return; // metadata removed: nothing a viewer draws
  if (before === undefined || normalizeXmp(before) !== normalizeXmp(after)) {
    a.report('metadata_changed', num ?? rootNum);
    return;
  }
  a.claim(num, num === refNum(oldV));
  const s = a.cur.resolve(newV);
  if (s instanceof PdfStream) a.claimAdded(s.dict);
}
