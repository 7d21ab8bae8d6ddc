/**
 * The document as of one revision: its cumulative xref, objects loaded lazily and cached,
 * references resolved cycle-safely, the page tree walked without trusting it to be a tree.
 */
import type { DocCore } from './core';
import { toPdfError } from './errors';
import { PdfDict, PdfReadError, PdfRef, PdfStream, type PdfRevision, type PdfValue, type PdfView, type XrefEntry } from './model';
import type { StreamHelpers } from './parser';

/** Reference chains longer than this are a loop in all but name. */
const MAX_CHAIN = 32;

export class View implements PdfView {
  private readonly cache = new Map<number, PdfValue | undefined>();
  private readonly loading = new Set<number>();
  private readonly helpers: StreamHelpers;

  constructor(
    private readonly core: DocCore,
    readonly revision: PdfRevision,
    readonly xref: ReadonlyMap<number, XrefEntry>,
  ) {
    this.helpers = {
      lengthOf: (v) => {
        const r = this.resolveInner(v);
        return typeof r === 'number' ? r : undefined;
      },
      findEndstream: (from) => core.search('endstream', from),
    };
  }

  object(num: number): PdfValue | undefined {
    return guard(() => this.objectInner(num));
  }
  resolve(v: PdfValue | undefined): PdfValue | undefined {
    return guard(() => this.resolveInner(v));
  }
  dict(v: PdfValue | undefined): PdfDict | undefined {
    return guard(() => {
      const r = this.resolveInner(v);
      return r instanceof PdfDict ? r : r instanceof PdfStream ? r.dict : undefined;
    });
  }
  catalog(): PdfDict {
    return guard(() => {
      const root = this.resolveInner(this.revision.trailer.get('Root'));
      if (!(root instanceof PdfDict)) throw new PdfReadError('pdf_invalid', 'the document has no catalog (/Root)');
      return root;
    });
  }
  pages(): { ref: PdfRef; dict: PdfDict }[] {
    return guard(() => this.pagesInner());
  }
  streamData(s: PdfStream): Uint8Array {
    return guard(() => this.core.decode(s, (v) => this.resolveInner(v), this.core.limits.maxStreamBytes));
  }

  private resolveInner(v: PdfValue | undefined): PdfValue | undefined {
    let cur = v;
    for (let i = 0; cur instanceof PdfRef; i++) {
      if (i >= MAX_CHAIN) return undefined;
      cur = this.objectInner(cur.num);
    }
    return cur;
  }

  private objectInner(num: number): PdfValue | undefined {
    if (this.cache.has(num)) return this.cache.get(num);
    // An object needed to read itself (a stream whose /Length is itself, an object stream inside itself): absent.
    if (this.loading.has(num)) return undefined;
    this.loading.add(num);
    try {
      const value = this.load(num);
      this.cache.set(num, value);
      return value;
    } finally {
      this.loading.delete(num);
    }
  }

  private load(num: number): PdfValue | undefined {
    const e = this.xref.get(num);
    if (!e || e.kind === 'free') return undefined;
    if (e.kind === 'compressed') {
      const s = this.objectInner(e.stream);
      if (!(s instanceof PdfStream)) throw new PdfReadError('pdf_invalid', `object ${num} is in object stream ${e.stream}, which is not a stream`, { object: num });
      const o = this.core.objStm(s, (v) => this.resolveInner(v));
      return this.core.fromObjStm(o, num, e.index);
    }
    const core = this.core;
    // A revision's objects lie before its end: never read (or repair into) bytes appended after it.
    const limit = this.revision.end;
    const direct = e.offset < limit ? core.parseAt(num, e.offset, this.helpers) : undefined;
    if (direct) return this.within(direct.value, num);
    if (e.offset >= limit) {
      // Past the end of the revision (or the file): maybe truncated, maybe a wrong offset; the index decides.
      const p = core.findInIndex(num, limit);
      const found = p >= 0 ? core.parseAt(num, p, this.helpers) : undefined;
      if (found) return this.within(found.value, num);
      if (e.offset >= core.length) throw new PdfReadError('pdf_truncated', `object ${num} lies past the end of the file`, { object: num, offset: e.offset });
      throw new PdfReadError('pdf_invalid', `object ${num} lies past the end of its revision`, { object: num, offset: e.offset });
    }
    let p = core.findNear(num, e.offset, limit);
    if (p < 0) p = core.findInIndex(num, limit);
    const repaired = p >= 0 ? core.parseAt(num, p, this.helpers) : undefined;
    if (!repaired) throw new PdfReadError('pdf_invalid', `object ${num} is not where the xref says`, { object: num, offset: e.offset });
    return this.within(repaired.value, num);
  }

  /** A stream whose data runs past the end of this revision (a wrong /Length, found `endstream` later) is not this revision's. */
  private within(v: PdfValue, num: number): PdfValue {
    if (v instanceof PdfStream && v.dataStart + v.dataLength > this.revision.end) {
      throw new PdfReadError('pdf_invalid', `object ${num} runs past the end of its revision`, { object: num, offset: v.dataStart });
    }
    return v;
  }

  private pagesInner(): { ref: PdfRef; dict: PdfDict }[] {
    const root = this.catalog().get('Pages');
    const out: { ref: PdfRef; dict: PdfDict }[] = [];
    if (!(root instanceof PdfRef)) return out;
    const seen = new Set<string>();
    const stack: PdfRef[] = [root];
    const max = this.core.limits.maxObjects;
    while (stack.length > 0) {
      const ref = stack.pop()!;
      if (seen.has(ref.key)) continue; // a page tree that loops or shares a node
      seen.add(ref.key);
      if (seen.size > max) throw new PdfReadError('pdf_too_many_objects', 'the page tree has too many nodes');
      const node = this.resolveInner(ref);
      if (!(node instanceof PdfDict)) continue;
      const kids = this.resolveInner(node.get('Kids'));
      if (node.name('Type') === 'Pages' || (node.name('Type') !== 'Page' && Array.isArray(kids))) {
        if (!Array.isArray(kids)) continue;
        for (let i = kids.length - 1; i >= 0; i--) {
          const k = kids[i];
          if (k instanceof PdfRef) stack.push(k);
        }
      } else out.push({ ref, dict: node });
    }
    return out;
  }
}

function guard<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw toPdfError(e);
  }
}
