/**
 * Modification analysis on parsed revisions (issue 13; anchors: pyHanko's difference analysis and
 * the EU DSS validation policy). For one signature: the revision it signed and the document as a
 * viewer shows it (the last revision) are compared object by object. An object whose xref entry did
 * not change, or whose value is structurally the same, is unchanged. Every other object that the
 * final document can reach (from the trailer's /Root and /Info) must be explained by a rule
 * (modification-rules.ts, form-rules.ts, dss-rule.ts) — new signature fields and their widgets and
 * appearances, a page gaining their widgets, the form's /Fields and /SigFlags, /DSS validation
 * data, date/producer metadata updates, and (by DocMDP level and FieldMDP locks) form filling and
 * annotations. Anything left is a modification, reported with its object number and a code.
 * Objects nothing reaches (xref streams, object streams, orphans) are not shown by any viewer and
 * are judged only through the objects that refer to them.
 */
import { PdfDict, PdfReadError, PdfRef, PdfStream, type PdfDocument, type PdfValue, type PdfView, type XrefEntry } from '../pdf/model';
import type { FieldLock, FoundPdfSignature } from './pdf-signatures';
import { refsIn, sameValue, type CompareContext } from './pdf-compare';
import type { PdfModification, PdfRevisionChanges } from './report';
import { catalogRule, infoRule } from './modification-rules';
import { formRule } from './form-rules';
import { pagesRule } from './page-rules';

/** At most this many modifications and changed objects are listed in a report (the verdict needs one). */
const MAX_LISTED = 200;

export interface Analysis {
  old: PdfView;
  cur: PdfView;
  cmp: CompareContext;
  /** DocMDP permission of the signature (0 = not a certification signature; then like P2). */
  mdp: 0 | 1 | 2 | 3;
  locks: FieldLock[];
  /** Objects of the final view that differ from the signed revision (new ones included). */
  changed: Set<number>;
  /** Objects absent (or free) in the signed revision. */
  added: Set<number>;
  /** Objects explained by a rule, or already reported: not reported again as "unexplained". */
  handled: Set<number>;
  /** Widgets of signature fields created or signed after the signature: pages may gain them in /Annots. */
  sigWidgets: Set<number>;
  mods: PdfModification[];
  report(code: string, object?: number, key?: string): void;
  /** Marks a changed object explained when it is new, or when `owned` (it played the same role before). */
  claim(num: number | undefined, owned?: boolean): void;
  /** Claims every new object reachable from a value (not through the keys in `exclude`). */
  claimAdded(v: PdfValue | undefined, exclude?: ReadonlySet<string>): void;
}

/** Keys that point out of a widget or annotation (its page, its parent field): never followed when claiming. */
export const OUTWARD_KEYS: ReadonlySet<string> = new Set(['P', 'Parent', 'Popup', 'IRT', 'Data']);

function entryKey(view: PdfView, e: XrefEntry | undefined): string {
  if (!e || e.kind === 'free') return 'free';
  if (e.kind === 'offset') return `o${e.offset}`;
  // An object inside an object stream changes when the object stream object itself is redefined.
  const host = view.xref.get(e.stream);
  return `c${e.stream}.${e.index}/${host?.kind === 'offset' ? host.offset : 'x'}`;
}

interface Reach {
  roles: Map<number, string>;
  referrers: Map<number, Set<number>>;
  /** Referenced but undefined objects. */
  dangling: Set<number>;
}

const reachCache = new WeakMap<PdfView, Reach>();

function childRole(parent: string, key: string | undefined, child: PdfDict | undefined): string {
  const type = child?.name('Type');
  switch (parent) {
    case 'catalog':
      return key === 'Pages' ? 'pages' : key === 'AcroForm' ? 'acroform' : key === 'DSS' ? 'dss' : key === 'Metadata' ? 'metadata' : `catalog:${key ?? ''}`;
    case 'pages':
      return key === 'Kids' ? (type === 'Pages' ? 'pages' : 'page') : key === 'Parent' ? 'pages' : 'resources';
    case 'page':
      return key === 'Contents' ? 'content' : key === 'Annots' ? (child ? 'annotation' : 'annots') : key === 'Parent' ? 'pages' : 'resources';
    case 'annots':
      return 'annotation';
    case 'annotation':
      return key === 'AP' || key === 'N' || key === 'R' || key === 'D' ? 'appearance' : key === 'Parent' ? 'field' : key === 'P' ? 'page' : 'annotation';
    case 'acroform':
      return key === 'Fields' ? (child ? 'field' : 'fields') : key === 'DR' ? 'form_resources' : 'acroform';
    case 'fields':
      return 'field';
    case 'field':
      return key === 'P' ? 'page' : key === 'AP' || key === 'N' || key === 'R' || key === 'D' ? 'appearance' : 'field';
    default:
      return parent;
  }
}

/** Every object the final view can reach from its trailer, with a role (for the report) and its referrers. */
function reachOf(view: PdfView): Reach {
  const cached = reachCache.get(view);
  if (cached) return cached;
  const r: Reach = { roles: new Map(), referrers: new Map(), dangling: new Set() };
  const queue: { num: number; role: string }[] = [];
  const visit = (num: number, role: string, from: number) => {
    let refs = r.referrers.get(num);
    if (!refs) r.referrers.set(num, (refs = new Set()));
    refs.add(from);
    if (r.roles.has(num) || r.dangling.has(num)) return;
    if (view.object(num) === undefined) {
      r.dangling.add(num);
      return;
    }
    r.roles.set(num, role);
    queue.push({ num, role });
  };
  const trailer = view.revision.trailer;
  const root = trailer.get('Root');
  if (root instanceof PdfRef) visit(root.num, 'catalog', -1);
  const info = trailer.get('Info');
  if (info instanceof PdfRef) visit(info.num, 'info', -1);
  for (let i = 0; i < queue.length; i++) {
    const { num, role } = queue[i]!;
    const obj = view.object(num);
    for (const { ref, key } of refsIn(obj instanceof PdfStream ? obj.dict : obj)) {
      // A role is decided by the key that leads to an object (and, in the page tree, its /Type).
      const target = view.object(ref.num);
      const dict = target instanceof PdfDict ? target : target instanceof PdfStream ? target.dict : undefined;
      visit(ref.num, childRole(role, key, Array.isArray(target) ? undefined : dict), num);
    }
  }
  reachCache.set(view, r);
  return r;
}

function codeFor(role: string, isNew: boolean): { code: string; key?: string } {
  if (role === 'pages') return { code: 'page_tree_changed' };
  if (role === 'page') return { code: isNew ? 'page_added' : 'page_changed' };
  if (role === 'content') return { code: 'page_content_changed' };
  if (role === 'resources') return { code: 'page_resources_changed' };
  if (role === 'annots' || role === 'annotation' || role === 'appearance') return { code: isNew ? 'annotation_added' : 'annotation_changed' };
  if (role === 'acroform' || role === 'fields') return { code: 'acroform_changed' };
  if (role === 'form_resources') return { code: 'acroform_changed', key: 'DR' };
  if (role === 'field') return { code: isNew ? 'field_added' : 'field_changed' };
  if (role === 'dss') return { code: 'dss_invalid' };
  if (role === 'metadata') return { code: 'metadata_changed' };
  if (role === 'info') return { code: 'info_changed' };
  if (role === 'catalog') return { code: 'catalog_changed' };
  if (role.startsWith('catalog:')) return { code: isNew ? 'object_added' : 'object_changed', key: role.slice(8) };
  return { code: isNew ? 'object_added' : 'object_changed' };
}

function newAnalysis(doc: PdfDocument, signed: number, mdp: number | undefined, locks: FieldLock[]): Analysis {
  const old = doc.view(signed);
  const cur = doc.view();
  const equivalent = new Set<number>();
  const cmp: CompareContext = { old, cur, bytes: doc.bytes, equivalent };
  const seen = new Set<string>();
  const a: Analysis = {
    old,
    cur,
    cmp,
    mdp: mdp === 1 || mdp === 2 || mdp === 3 ? mdp : 0,
    locks,
    changed: new Set(),
    added: new Set(),
    handled: new Set(),
    sigWidgets: new Set(),
    mods: [],
    report(code, object, key) {
      const id = `${code}|${object ?? ''}|${key ?? ''}`;
      if (object !== undefined) a.handled.add(object);
      if (seen.has(id)) return;
      seen.add(id);
      if (a.mods.length < MAX_LISTED) a.mods.push({ code, ...(object !== undefined ? { object } : {}), ...(key !== undefined ? { key } : {}) });
    },
    claim(num, owned) {
      if (num !== undefined && a.changed.has(num) && (a.added.has(num) || owned)) a.handled.add(num);
    },
    claimAdded(v, exclude = OUTWARD_KEYS) {
      const stack = refsIn(v).filter((r) => !exclude.has(r.key ?? ''));
      const visited = new Set<number>();
      while (stack.length) {
        const { ref } = stack.pop()!;
        if (!a.added.has(ref.num) || visited.has(ref.num)) continue;
        visited.add(ref.num);
        a.handled.add(ref.num);
        const obj = cur.object(ref.num);
        for (const r of refsIn(obj)) if (!exclude.has(r.key ?? '')) stack.push(r);
      }
    },
  };
  // Which objects changed: entries that differ, then values that differ.
  const nums = new Set<number>([...old.xref.keys(), ...cur.xref.keys()]);
  for (const num of nums) {
    if (entryKey(old, old.xref.get(num)) === entryKey(cur, cur.xref.get(num))) continue;
    const now = cur.object(num);
    if (now === undefined) continue; // deleted: judged where something still refers to it (reachOf → dangling)
    const before = old.object(num);
    if (before === undefined) {
      a.added.add(num);
      a.changed.add(num);
    } else if (!sameValue(cmp, before, now)) a.changed.add(num);
  }
  return a;
}

/** Runs the rules, then reports every reachable changed object no rule explained. */
function analyse(a: Analysis): void {
  const reach = reachOf(a.cur);
  catalogRule(a);
  infoRule(a);
  formRule(a);
  pagesRule(a);
  for (const num of a.changed) {
    const role = reach.roles.get(num);
    if (role === undefined || a.handled.has(num) || a.cmp.equivalent?.has(num)) continue;
    const c = codeFor(role, a.added.has(num));
    a.report(c.code, num, c.key);
  }
  // A new object that an unchanged object refers to fills a reference that used to point nowhere:
  // the unchanged object now shows something else (a page's content, an annotation…).
  for (const num of a.added) {
    const role = reach.roles.get(num);
    if (role === undefined || a.cmp.equivalent?.has(num)) continue;
    const from = [...(reach.referrers.get(num) ?? [])].some((r) => r >= 0 && !a.changed.has(r));
    if (from) a.report(codeFor(role, true).code, num, codeFor(role, true).key);
  }
  for (const num of reach.dangling) if (a.old.object(num) !== undefined) a.report('object_deleted', num);
}

/** The changes after one signature's revision: none, only allowed ones, or modifications (listed). */
export function analyzeChanges(doc: PdfDocument, f: FoundPdfSignature): PdfRevisionChanges {
  const bytes = doc.bytes;
  const end = f.byteRange[2] + f.byteRange[3];
  const bytesAfter = Math.max(0, bytes.length - end);
  const mods: PdfModification[] = [];
  const last = doc.revisions[doc.revisions.length - 1]!;
  if (f.problems.includes('signature_contents_altered')) mods.push({ code: 'signature_contents_altered', ...(f.objectNumber !== undefined ? { object: f.objectNumber } : {}) });
  let trailing = false;
  for (let i = last.end; i < bytes.length && !trailing; i++) trailing = ![0x20, 0x0a, 0x0d, 0x09, 0x0c, 0x00].includes(bytes[i]!);
  if (trailing) mods.push({ code: 'bytes_after_last_revision' });
  if (f.revision === undefined) {
    mods.push({ code: 'signed_range_not_a_revision' });
    const revisionsAfter = doc.revisions.filter((r) => r.end > end).length;
    return { bytesAfter, revisionsAfter, kind: 'other_changes', objects: [], modifications: mods };
  }
  const revisionsAfter = doc.revisions.length - 1 - f.revision;
  const objects: PdfRevisionChanges['objects'] = [];
  if (revisionsAfter > 0) {
    try {
      const a = newAnalysis(doc, f.revision, f.docMdpPermission, f.fieldMdp ?? []);
      analyse(a);
      mods.push(...a.mods);
      const roles = reachOf(a.cur).roles;
      for (const num of a.changed) {
        if (objects.length >= MAX_LISTED) break;
        if (roles.has(num)) objects.push({ number: num, type: roles.get(num)! });
      }
    } catch (e) {
      if (!(e instanceof PdfReadError)) throw e;
      mods.push({ code: e.code, ...(e.at?.object !== undefined ? { object: e.at.object } : {}) });
    }
  }
  const kind = mods.length > 0 ? 'other_changes' : revisionsAfter > 0 ? 'signatures_only' : 'none';
  return { bytesAfter, revisionsAfter, kind, objects, modifications: mods };
}
