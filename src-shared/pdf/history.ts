/**
 * The cumulative xref of every revision without copying it per revision: one history per object
 * number (which revisions define it, oldest first), shared by all views. A copied map per view
 * would cost revisions × objects in memory; a hostile file has up to 1 000 of each × 1 000.
 */
import type { PdfRevision, XrefEntry } from './model';

export class XrefHistory {
  private readonly byNum = new Map<number, { revs: number[]; entries: XrefEntry[] }>();
  /** sizes[i]: how many object numbers have an entry at revision i or before. */
  readonly sizes: number[];

  constructor(revisions: readonly PdfRevision[]) {
    const firstSeen = new Array<number>(revisions.length).fill(0);
    for (const rev of revisions) {
      for (const [num, e] of rev.entries) {
        let h = this.byNum.get(num);
        if (!h) {
          h = { revs: [], entries: [] };
          this.byNum.set(num, h);
          firstSeen[rev.index]!++;
        }
        h.revs.push(rev.index);
        h.entries.push(e);
      }
    }
    let total = 0;
    this.sizes = firstSeen.map((n) => (total += n));
  }

  /** The entry in force for `num` at revision `at`. */
  get(num: number, at: number): XrefEntry | undefined {
    const h = this.byNum.get(num);
    if (!h || h.revs[0]! > at) return undefined;
    // The last definition at or before `at`: binary search (a number may be redefined in every revision).
    let lo = 0, hi = h.revs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (h.revs[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return h.entries[lo];
  }

  *entriesAt(at: number): IterableIterator<[number, XrefEntry]> {
    for (const num of this.byNum.keys()) {
      const e = this.get(num, at);
      if (e) yield [num, e];
    }
  }
}

/** A ReadonlyMap view of the history at one revision. */
export class XrefAt implements ReadonlyMap<number, XrefEntry> {
  constructor(
    private readonly h: XrefHistory,
    private readonly at: number,
  ) {}
  get size(): number {
    return this.h.sizes[this.at] ?? 0;
  }
  get(num: number): XrefEntry | undefined {
    return this.h.get(num, this.at);
  }
  has(num: number): boolean {
    return this.h.get(num, this.at) !== undefined;
  }
  forEach(cb: (value: XrefEntry, key: number, map: ReadonlyMap<number, XrefEntry>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.h.entriesAt(this.at)) cb.call(thisArg, v, k, this);
  }
  entries(): MapIterator<[number, XrefEntry]> {
    return this.h.entriesAt(this.at) as MapIterator<[number, XrefEntry]>;
  }
  *keys(): MapIterator<number> {
    for (const [k] of this.h.entriesAt(this.at)) yield k;
  }
  *values(): MapIterator<XrefEntry> {
    for (const [, v] of this.h.entriesAt(this.at)) yield v;
  }
  [Symbol.iterator](): MapIterator<[number, XrefEntry]> {
    return this.entries();
  }
}
