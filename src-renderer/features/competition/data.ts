/**
 * Data hooks of the competition screens: the cached record (reloaded on every
 * sync status change, since a pull or a rejection may change it) and the
 * per-field autosave (each field saved within a second of typing; the back
 * end coalesces repeated edits of one field into one outbox row).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CompetitionRecord, TextField } from '../../../src-shared/competition/model';
import type { AuthStatus } from '../../../src-shared/accounts/rpc';
import { rpc } from '../../app/rpc';
import { useApp } from '../../app/store';

export const AUTOSAVE_MS = 400;

export interface Loaded {
  record: CompetitionRecord;
  version: number;
  pending: boolean;
  canEdit: boolean;
  isCreator: boolean;
}

export function useCompetition(competitionId: string | null) {
  const sync = useApp((s) => s.sync);
  const [data, setData] = useState<Loaded | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    if (!competitionId) return;
    try {
      const r = await rpc.call('competition.get', { competitionId });
      setData({ ...r, record: r.record as unknown as CompetitionRecord });
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, [competitionId]);
  useEffect(() => {
    void load();
  }, [load, sync?.lastSyncAt, sync?.pending, sync?.rejected]);
  return { data, error, reload: load };
}

/** Per-field debounced saves; `flush()` sends whatever is still waiting (before leaving a step). */
export function useAutosave(competitionId: string | null, onError: (err: unknown) => void) {
  const waiting = useRef(new Map<TextField, { timer: number; value: string }>());
  const idRef = useRef(competitionId);
  idRef.current = competitionId;
  const [savedAt, setSavedAt] = useState<number | null>(null);

  const send = useCallback(
    async (field: TextField, value: string) => {
      const id = idRef.current;
      if (!id) return;
      try {
        await rpc.call('competition.setField', { competitionId: id, field, value });
        setSavedAt(Date.now());
      } catch (err) {
        onError(err);
      }
    },
    [onError],
  );

  const save = useCallback(
    (field: TextField, value: string) => {
      const w = waiting.current.get(field);
      if (w) window.clearTimeout(w.timer);
      const timer = window.setTimeout(() => {
        waiting.current.delete(field);
        void send(field, value);
      }, AUTOSAVE_MS);
      waiting.current.set(field, { timer, value });
    },
    [send],
  );

  const flush = useCallback(async () => {
    const all = [...waiting.current.entries()];
    waiting.current.clear();
    for (const [field, w] of all) {
      window.clearTimeout(w.timer);
      await send(field, w.value);
    }
  }, [send]);

  // Leaving the screen never drops a keystroke.
  useEffect(() => () => void flush(), [flush]);
  return { save, flush, savedAt };
}

export const organizerOrgs = (auth: AuthStatus | null) => (auth?.user?.memberships ?? []).filter((m) => m.roles.includes('organizer'));

/**
 * A sub-form typed but not yet saved («Сақтау»), kept in the local database
 * so a restart mid-form loses nothing: `restored` is what was there (once
 * loaded), `keep(values)` saves (debounced), `keep(null)` forgets it.
 */
export function useFormDraft(key: string) {
  const [restored, setRestored] = useState<Record<string, string> | null | undefined>(undefined);
  const timer = useRef<number | null>(null);
  useEffect(() => {
    rpc.call('competition.formDraft.get', { key }).then((r) => setRestored(r.values), () => setRestored(null));
  }, [key]);
  const keep = useCallback(
    (values: Record<string, string> | null) => {
      if (timer.current) window.clearTimeout(timer.current);
      if (values === null) void rpc.call('competition.formDraft.save', { key, values: null }).catch(() => undefined);
      else timer.current = window.setTimeout(() => void rpc.call('competition.formDraft.save', { key, values }).catch(() => undefined), 300);
    },
    [key],
  );
  return { restored, keep };
}
