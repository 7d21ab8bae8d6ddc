/**
 * The form rules of the modification analysis (pyHanko's SigFieldCreationRule,
 * SigFieldModificationRule and FormUpdatingRule): the AcroForm dictionary may gain fields and
 * change /SigFlags (and, when forms may be filled, /DA, /Q, /NeedAppearances and new /DR
 * resources); new fields must be signature fields at the root of the form, signed unless their
 * widgets are invisible (a visible empty one paints whatever its appearance says); an existing
 * empty signature field may be signed; other fields may change their value and appearance only when
 * the signature allows form filling (no DocMDP, P2, P3) and no FieldMDP lock covers them. After a
 * DocMDP P1 certification only document timestamps (invisible) may follow.
 */
import type { PdfDict} from '../pdf/model';
import { PdfRef, type PdfValue, type PdfView } from '../pdf/model';
import type { Analysis } from './modifications';
import { pageSignatureFields } from './signature-fields';
import { arrayOf, differingKeys, nameOf, numberOf, refNum, sameValue, textOf } from './pdf-compare';

interface FieldNode {
  num: number;
  dict: PdfDict;
  name: string;
  ft?: string;
  /** Widgets: the field itself when it has no kids, else its kids without /T. */
  widgets: { num?: number; dict: PdfDict }[];
}

/** Keys a form-filling update may change on a field or its widget (pyHanko's VALUE_UPDATE_KEYS). */
const VALUE_KEYS = new Set(['AP', 'AS', 'V', 'F', 'DA', 'Q', 'Ff', 'Type']);
/** Keys that signing an existing empty signature field changes. */
const SIGNING_KEYS = new Set(['V', 'AP', 'AS', 'F', 'Type']);
const FORM_FILL_ACROFORM_KEYS = new Set(['DA', 'Q', 'NeedAppearances']);

function collectFields(view: PdfView): Map<number, FieldNode> {
  const out = new Map<number, FieldNode>();
  const acro = view.dict(view.catalog().get('AcroForm'));
  const walk = (items: PdfValue[], prefix: string, ft: string | undefined, depth: number) => {
    if (depth > 32) return;
    for (const item of items) {
      if (!(item instanceof PdfRef) || out.has(item.num) || out.size > 20_000) continue;
      const dict = view.dict(item);
      if (!dict) continue;
      const t = textOf(view.resolve(dict.get('T')));
      const name = t === undefined ? prefix : prefix ? `${prefix}.${t}` : t;
      const type = nameOf(view.resolve(dict.get('FT'))) ?? ft;
      const kids = arrayOf(view, dict.get('Kids'));
      const node: FieldNode = { num: item.num, dict, name, ...(type ? { ft: type } : {}), widgets: [] };
      out.set(item.num, node);
      const fieldKids: PdfValue[] = [];
      for (const k of kids) {
        const kd = view.dict(k);
        if (kd?.has('T')) fieldKids.push(k);
        else if (kd) node.widgets.push({ ...(k instanceof PdfRef ? { num: k.num } : {}), dict: kd });
      }
      if (kids.length === 0) node.widgets.push({ num: item.num, dict });
      walk(fieldKids, name, type, depth + 1);
    }
  };
  if (acro) walk(arrayOf(view, acro.get('Fields')), '', undefined, 0);
  walk(pageSignatureFields(view, new Set(out.keys())), '', undefined, 0);
  return out;
}

/** A widget a viewer shows: a non-empty /Rect and neither Hidden (2) nor NoView (32) set. */
export function widgetVisible(view: PdfView, w: PdfDict): boolean {
  const r = arrayOf(view, w.get('Rect')).map((v) => numberOf(view.resolve(v)) ?? 0);
  const area = r.length === 4 ? Math.abs(r[2]! - r[0]!) * Math.abs(r[3]! - r[1]!) : 0;
  const flags = numberOf(view.resolve(w.get('F'))) ?? 0;
  return area > 0 && (flags & 2) === 0 && (flags & 32) === 0;
}

function locked(a: Analysis, name: string): boolean {
  const covers = (f: string) => name === f || name.startsWith(`${f}.`);
  return a.locks.some((l) => l.action === 'All' || (l.action === 'Include' && l.fields.some(covers)) || (l.action === 'Exclude' && !l.fields.some(covers)));
}

function acroFormRule(a: Analysis): void {
  const oldV = a.old.catalog().get('AcroForm');
  const newV = a.cur.catalog().get('AcroForm');
  const oldA = a.old.dict(oldV);
  const newA = a.cur.dict(newV);
  const rootNum = refNum(a.cur.revision.trailer.get('Root'));
  if (!newA) {
    if (oldA) a.report('catalog_changed', rootNum, 'AcroForm');
    return;
  }
  let ok = true;
  for (const key of differingKeys(a.cmp, oldA, newA)) {
    if (key === 'Fields' || key === 'SigFlags') continue;
    if (key === 'DR' && a.mdp !== 1 && drRule(a, oldA?.get('DR'), newA.get('DR'))) continue;
    if (FORM_FILL_ACROFORM_KEYS.has(key) && a.mdp !== 1) continue;
    ok = false;
    a.report('acroform_changed', refNum(newV) ?? rootNum, key);
  }
  if (ok) a.claim(refNum(newV), refNum(newV) === refNum(oldV));
  const fields = newA.get('Fields');
  a.claim(refNum(fields), refNum(fields) === refNum(oldA?.get('Fields')));
}

/** Default resources may gain entries (a font for a new widget); existing entries stay. */
function drRule(a: Analysis, oldV: PdfValue | undefined, newV: PdfValue | undefined): boolean {
  const oldDr = a.old.dict(oldV);
  const newDr = a.cur.dict(newV);
  if (!newDr) return false;
  for (const key of differingKeys(a.cmp, oldDr, newDr)) {
    const o = a.old.dict(oldDr?.get(key));
    const n = a.cur.dict(newDr.get(key));
    if (!n || (oldDr?.has(key) && !o)) return false;
    for (const k of o?.keys() ?? []) if (!sameValue(a.cmp, o!.get(k), n.get(k))) return false;
    for (const k of n.keys()) if (!o?.has(k)) a.claimAdded(n.get(k));
    a.claim(refNum(newDr.get(key)), refNum(newDr.get(key)) === refNum(oldDr?.get(key)));
  }
  a.claim(refNum(newV), refNum(newV) === refNum(oldV));
  return true;
}

/**
 * A signature value the verifier will find and check: a dictionary with /Contents and a /ByteRange
 * that signs a later revision than the one analysed. A copy of an earlier signature's /ByteRange
 * and /Contents (the same signature twice) does not make a new field signed.
 */
function signatureValue(a: Analysis, v: PdfValue | undefined): PdfDict | undefined {
  const sig = a.cur.dict(v);
  const br = arrayOf(a.cur, sig?.get('ByteRange')).map((x) => numberOf(a.cur.resolve(x)) ?? 0);
  const signsLater = br.length === 4 && br[2]! + br[3]! > a.old.revision.end;
  return sig && signsLater && a.cur.resolve(sig.get('Contents')) !== undefined ? sig : undefined;
}

function newSignatureField(a: Analysis, node: FieldNode): void {
  const sig = signatureValue(a, node.dict.get('V'));
  const type = sig?.name('Type');
  const visible = node.widgets.some((w) => widgetVisible(a.cur, w.dict));
  if (!sig && visible) a.report('signature_field_unsigned', node.num);
  if (a.mdp === 1 && (type !== 'DocTimeStamp' || visible)) a.report('signature_added', node.num);
  a.claim(node.num);
  a.claimAdded(node.dict);
  for (const w of node.widgets) {
    a.claim(w.num);
    a.claimAdded(w.dict);
    if (w.num !== undefined) a.sigWidgets.add(w.num);
  }
}

function existingField(a: Analysis, before: FieldNode, node: FieldNode): void {
  const isSig = node.ft === 'Sig';
  const oldWidgets = new Map(before.widgets.map((w) => [w.num, w.dict]));
  const signing = isSig && (before.dict.get('V') ?? null) === null && signatureValue(a, node.dict.get('V')) !== undefined;
  const allowed = isSig ? (signing ? SIGNING_KEYS : new Set<string>()) : VALUE_KEYS;
  const check = (num: number | undefined, o: PdfDict | undefined, n: PdfDict, isField: boolean) => {
    if (num !== undefined && !a.changed.has(num)) return;
    const keys = differingKeys(a.cmp, o, n).filter((k) => !(isField && k === 'Kids' && sameKids(a, o, n)));
    if (keys.length === 0) return a.claim(num, true);
    const bad = keys.filter((k) => !allowed.has(k));
    if (!o) bad.push('Kids');
    for (const k of bad) a.report(isSig ? 'signature_field_changed' : 'field_changed', num ?? node.num, k);
    if (bad.length) return;
    if (isSig) {
      const type = a.cur.dict(node.dict.get('V'))?.name('Type');
      if (a.mdp === 1 && (type !== 'DocTimeStamp' || widgetVisible(a.cur, n))) return a.report('signature_added', num ?? node.num);
    } else if (a.mdp === 1) return a.report('form_filled', num ?? node.num, keys[0]);
    else if (locked(a, node.name)) return a.report('field_locked', num ?? node.num, keys[0]);
    a.claim(num, true);
    for (const k of keys) a.claimAdded(n.get(k));
  };
  check(node.num, before.dict, node.dict, true);
  for (const w of node.widgets) {
    if (w.num === node.num) continue;
    check(w.num, oldWidgets.get(w.num), w.dict, false);
    if (signing && w.num !== undefined) a.sigWidgets.add(w.num);
  }
  if (signing) a.sigWidgets.add(node.num);
}

/** The same widget kids (a writer may rewrite the array); new field kids are judged as new fields. */
function sameKids(a: Analysis, o: PdfDict | undefined, n: PdfDict): boolean {
  const ok = arrayOf(a.old, o?.get('Kids')).map(refNum);
  const nk = arrayOf(a.cur, n.get('Kids')).map(refNum);
  return ok.length === nk.length && ok.every((x, i) => x === nk[i]);
}

export function formRule(a: Analysis): void {
  acroFormRule(a);
  const before = collectFields(a.old);
  const after = collectFields(a.cur);
  const roots = (view: PdfView) => new Set(arrayOf(view, view.dict(view.catalog().get('AcroForm'))?.get('Fields')).map(refNum));
  const oldRoots = roots(a.old);
  for (const node of after.values()) {
    const prev = before.get(node.num);
    if (prev) {
      existingField(a, prev, node);
      continue;
    }
    // pyHanko: new fields are signature fields at the root of the form, made of new objects.
    if (node.ft !== 'Sig' || !a.added.has(node.num) || oldRoots.has(node.num)) a.report('field_added', node.num);
    else newSignatureField(a, node);
  }
  for (const num of before.keys()) if (!after.has(num)) a.report('field_removed', num);
  // Kids arrays of existing fields: a field may not gain kids except through the checks above.
  for (const node of after.values()) {
    const k = node.dict.get('Kids');
    // Its new kids were judged above (as new fields or widgets); the array object itself is the field's own.
    if (refNum(k) !== undefined && before.has(node.num)) a.claim(refNum(k), refNum(k) === refNum(before.get(node.num)!.dict.get('Kids')));
  }
}
