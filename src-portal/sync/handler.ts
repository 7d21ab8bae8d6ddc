/**
 * How the portal runs one shared mutation. The rule (`def.check`) lives in
 * src-shared and is the same the app ran; the portal loads the state the
 * rule needs from its own database, decides, and writes the effect with its
 * audit entry and feed change in the push transaction.
 */
import type { AppErrorShape } from '../../src-shared/rpc/errors';
import type { MutationDef } from '../../src-shared/sync/mutation-def';
import type { PortalContext } from '../context';
import type { Trx } from '../db/schema';

export interface SyncActor {
  id: string;
  fullName: string;
  /** The device a push came from (its `clientId`): one user's two devices are told apart by it. */
  clientId?: string;
}

export interface ApplyInput<A, S, P> {
  trx: Trx;
  ctx: PortalContext;
  actor: SyncActor;
  /** The portal clock when the transaction started. */
  now: string;
  mutationId: string;
  args: A;
  state: S;
  prepared: P;
}

export interface PortalMutation<A, S, P = undefined> {
  def: MutationDef<A, S>;
  /** Slow async work done before the transaction opens (password hashing): nothing slow runs while the write lock is held. */
  prepare?(args: A): Promise<P>;
  /** `now` is the portal clock when the transaction started (rules that read the date: AKI publication). */
  loadState(trx: Trx, actor: SyncActor, args: A, now: string): Promise<S>;
  /**
   * Runs after the permission part of `check` passed and before the rest:
   * a mutation built on a stale version is a `conflict` naming who changed
   * what, even if it would otherwise be allowed.
   */
  staleness?(trx: Trx, state: S, args: A, actor: SyncActor): Promise<AppErrorShape | null>;
  /** Writes the effect (DB + recordChange + publishChange + notifications). Throws AppError to reject (rolled back). Returns the result and the last feed seq written. */
  apply(input: ApplyInput<A, S, P>): Promise<{ result: unknown; seq: number }>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyPortalMutation = PortalMutation<any, any, any>;
