/**
 * The page rules of the modification analysis: the page list stays the same (no page added, removed
 * or moved), each page dictionary stays the same except /Annots, and /Annots may only gain the
 * widgets of signature fields created or signed after the signature (form-rules.ts collects them).
 * A DocMDP P3 certification also allows annotations (other than widgets) to be added, changed and
 * removed, with their own new appearance objects (pyHanko's ANNOTATIONS level).
 */
import type { PdfDict} from '../pdf/model';
import { PdfRef, PdfStream, type PdfValue } from '../pdf/model';
import type { Analysis } from './modifications';
import { OUTWARD_KEYS } from './modifications';
import { arrayOf, differingKeys, refNum, refsIn } from './pdf-compare';

const PAGE_KEY_CODES: Record<string, string> = { Contents: 'page_content_changed', Resources: 'page_resources_changed' };

function refList(v: PdfValue[]): number[] {
  return v.filter((x): x is PdfRef => x instanceof PdfRef).map((r) => r.num);
}

/** Objects an old annotation owned (its appearance streams…): under P3 they may be rewritten in place. */
function ownedByOld(a: Analysis, num: number): Set<number> {
  const owned = new Set<number>([num]);
  const stack = refsIn(a.old.object(num)).filter((r) => !OUTWARD_KEYS.has(r.key ?? ''));
  while (stack.length && owned.size < 10_000) {
    const { ref } = stack.pop()!;
    if (owned.has(ref.num)) continue;
    owned.add(ref.num);
    const o = a.old.object(ref.num);
    for (const r of refsIn(o instanceof PdfStream ? o.dict : o)) if (!OUTWARD_KEYS.has(r.key ?? '')) stack.push(r);
  }
  return owned;
}

function annotationChangesAllowed(a: Analysis, num: number): boolean {
  const d = a.cur.dict(new PdfRef(num, 0)) ?? a.old.dict(new PdfRef(num, 0));
  return a.mdp === 3 && d?.name('Subtype') !== 'Widget';
}

/** Whether the page's /Annots changed only in allowed ways (reports the rest). */
function annotsRule(a: Analysis, pageNum: number, oldPage: PdfDict, newPage: PdfDict): boolean {
  const oldList = refList(arrayOf(a.old, oldPage.get('Annots')));
  const newList = refList(arrayOf(a.cur, newPage.get('Annots')));
  const oldSet = new Set(oldList);
  const newSet = new Set(newList);
  let ok = arrayOf(a.cur, newPage.get('Annots')).length === newList.length; // direct annotation dictionaries: not allowed
  if (!ok) a.report('annotation_added', pageNum, 'Annots');
  for (const num of oldList) {
    if (newSet.has(num)) continue;
    if (annotationChangesAllowed(a, num)) continue;
    ok = false;
    a.report('annotation_removed', num);
  }
  for (const num of newList) {
    if (oldSet.has(num) || a.sigWidgets.has(num)) continue;
    if (annotationChangesAllowed(a, num) && a.added.has(num)) {
      a.claim(num);
      a.claimAdded(a.cur.object(num) ?? null);
      continue;
    }
    ok = false;
    a.report('annotation_added', num);
  }
  const arr = newPage.get('Annots');
  if (ok) a.claim(refNum(arr), refNum(arr) === refNum(oldPage.get('Annots')));
  return ok;
}

export function pagesRule(a: Analysis): void {
  const oldPages = a.old.pages();
  const newPages = a.cur.pages();
  const oldIndex = new Map(oldPages.map((p, i) => [p.ref.num, i]));
  const newNums = new Set(newPages.map((p) => p.ref.num));
  for (const p of oldPages) if (!newNums.has(p.ref.num)) a.report('page_removed', p.ref.num);
  let lastIndex = -1;
  for (const p of newPages) {
    const i = oldIndex.get(p.ref.num);
    if (i === undefined) {
      a.report('page_added', p.ref.num);
      continue;
    }
    if (i < lastIndex) a.report('page_tree_changed', p.ref.num, 'Kids');
    lastIndex = i;
    const oldPage = oldPages[i]!.dict;
    let ok = true;
    for (const key of differingKeys(a.cmp, oldPage, p.dict)) {
      if (key === 'Annots') continue;
      ok = false;
      a.report(PAGE_KEY_CODES[key] ?? 'page_changed', p.ref.num, key);
    }
    if (!annotsRule(a, p.ref.num, oldPage, p.dict)) ok = false;
    if (ok) a.claim(p.ref.num, true);
    // Annotations that stayed but changed: P3 allows it for non-widgets (widgets are the form rules' business).
    for (const num of refList(arrayOf(a.cur, p.dict.get('Annots')))) {
      if (!a.changed.has(num) || a.added.has(num) || a.handled.has(num) || !annotationChangesAllowed(a, num)) continue;
      const owned = ownedByOld(a, num);
      for (const o of owned) a.claim(o, true);
      a.claimAdded(a.cur.object(num) ?? null);
    }
  }
}
