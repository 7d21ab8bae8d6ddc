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
    const direct = core.parseAt(num, e.offset, this.helpers);
    if (direct) return direct.value;
    if (e.offset >= core.bytes.length) {
      // Past the end of the file: maybe truncated, maybe just a wrong offset; the index decides.
      const p = core.findInIndex(num, this.revision.end);
      if (p < 0) throw new PdfReadError('pdf_truncated', `object ${num} lies past the end of the file`, { object: num, offset: e.offset });
      return core.parseAt(num, p, this.helpers)?.value;
    }
    let p = core.findNear(num, e.offset);
    if (p < 0) p = core.findInIndex(num, this.revision.end);
    const repaired = p >= 0 ? core.parseAt(num, p, this.helpers) : undefined;
    if (!repaired) throw new PdfReadError('pdf_invalid', `object ${num} is not where the xref says`, { object: num, offset: e.offset });
    return repaired.value;
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
