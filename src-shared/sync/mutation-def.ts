import type { z } from 'zod';
import type { AppErrorShape } from '../rpc/errors';

/** A record in the local view: portal-confirmed or optimistic. */
export interface LocalRecord<T = unknown> {
  entityType: string;
  entityId: string;
  scope: string;
  version: number;
  data: T;
}

/**
 * Synchronous access to the app's optimistic view, used inside one SQLite
 * transaction: nothing here may be async (no I/O awaited between the local
 * change and its outbox row).
 */
export interface LocalStore {
  get<T>(entityType: string, entityId: string): LocalRecord<T> | null;
  list<T>(entityType: string, scope: string): LocalRecord<T>[];
  put<T>(record: LocalRecord<T>): void;
  delete(entityType: string, entityId: string): void;
}

/**
 * One named mutation, shared by the app and the portal. `check` is the rule
 * both run (the app instantly, the portal authoritatively), over state each
 * loads its own way; `applyLocal` is the app's optimistic effect.
 */
export interface MutationDef<A, S> {
  args: z.ZodType<A>;
  /** Outbox rows with the same key replace each other's args (repeated edits of one field). */
  coalesceKey?(args: A): string;
  /** The rule: an error for the user, or null. */
  check(state: S, args: A): AppErrorShape | null;
  applyLocal(store: LocalStore, args: A, state: S): void;
}
