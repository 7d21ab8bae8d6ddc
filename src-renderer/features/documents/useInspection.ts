/**
 * Inspections of the account's files by SHA-256, fetched once per session and shared by every
 * screen that shows the file (form field, review, viewer). The back end caches them too; this
 * store only spares the round trips and keeps the badges steady while screens re-render.
 */
import { useEffect } from 'react';
import { create } from 'zustand';
import type { DocumentInspection } from '../../../src-shared/documents/model';
import { rpc } from '../../app/rpc';

type Entry = { state: 'loading' } | { state: 'ready'; inspection: DocumentInspection } | { state: 'error'; error: unknown };

interface InspectionState {
  entries: Record<string, Entry>;
  load(sha256: string, force?: boolean): Promise<DocumentInspection | null>;
  /** Forget an entry (the file was re-signed elsewhere, or a retry is wanted). */
  forget(sha256: string): void;
}

export const useInspections = create<InspectionState>((set, get) => ({
  entries: {},
  async load(sha256, force = false) {
    const cur = get().entries[sha256];
    if (cur && !force) {
      if (cur.state === 'ready') return cur.inspection;
      if (cur.state === 'loading') return null;
    }
    set((s) => ({ entries: { ...s.entries, [sha256]: { state: 'loading' } } }));
    try {
      const inspection = await rpc.call('documents.inspect', { sha256 });
      set((s) => ({ entries: { ...s.entries, [sha256]: { state: 'ready', inspection } } }));
      return inspection;
    } catch (error) {
      set((s) => ({ entries: { ...s.entries, [sha256]: { state: 'error', error } } }));
      return null;
    }
  },
  forget(sha256) {
    set((s) => {
      const entries = { ...s.entries };
      delete entries[sha256];
      return { entries };
    });
  },
}));

/** The inspection of one file (loaded on first use); `undefined` sha256 gives nothing. */
export function useInspection(sha256: string | undefined): Entry | undefined {
  const entry = useInspections((s) => (sha256 ? s.entries[sha256] : undefined));
  const load = useInspections((s) => s.load);
  useEffect(() => {
    // A failed inspection is retried when a screen shows the file again (it may have arrived since).
    const cur = sha256 ? useInspections.getState().entries[sha256] : undefined;
    if (sha256 && (!cur || cur.state === 'error')) void load(sha256, true);
  }, [sha256, load]);
  return entry;
}

/** Whether the file is signed (for dialogs that treat signed files differently); unknown → false. */
export const isSignedInspection = (i: DocumentInspection | undefined | null): boolean => !!i && i.signers.length > 0;
