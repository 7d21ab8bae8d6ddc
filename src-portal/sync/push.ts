/**
 * Applies pushed mutations in order, each in its own transaction, and stores
 * each result under the mutation id in that same transaction, so a replay
 * (lost answer, crash after commit, two connections at once) gets the first
 * result and never applies twice.
 *
 * Every push transaction first takes the feed's write lock (lockFeed), then
 * looks the id up: a concurrent push of the same id waits for the lock and
 * then finds the stored result. The unique key on applied_mutations.id is
 * the last line of defence; a unique violation is answered by re-reading.
 */
import type { Mutation, PushResult } from '../../src-shared/sync/protocol';
import { AppError, type AppErrorShape } from '../../src-shared/rpc/errors';
import { hasUnstorableString, inputErrorCode } from '../../src-shared/domain/text';
import type { PortalContext } from '../context';
import type { Trx } from '../db/schema';
import type { AnyPortalMutation, SyncActor } from './handler';
import { feedHead, lockFeed } from './feed';
import { POISON_MARK, portalFault } from './fault';
import { isConnectionError, isRefusedDataError, refusalOf, storableLabel } from '../db/unstorable';
import { employeePortalMutations } from './employees';
import { akiPortalMutations } from '../aki/mutations';
import { competitionPortalMutations } from '../competition/mutations';
import { notificationPortalMutations } from '../notify/mutations';

/** Every mutation the portal applies, by name (add a feature's map here). */
export const portalMutations: Record<string, AnyPortalMutation> = {
  ...employeePortalMutations,
  ...akiPortalMutations,
  ...competitionPortalMutations,
  ...notificationPortalMutations,
};

type Stored = { id: string; user_id: string; status: string; result_json: string | null; error_json: string | null; seq: number };

function fromStored(row: Stored): PushResult {
  const r: PushResult = { id: row.id, status: row.status === 'applied' ? 'applied' : 'rejected', seq: Number(row.seq) };
  if (row.result_json !== null) r.result = JSON.parse(row.result_json) as unknown;
  if (row.error_json !== null) r.error = JSON.parse(row.error_json) as PushResult['error'];
  return r;
}

async function findStored(q: Trx | PortalContext['db'], id: string): Promise<Stored | undefined> {
  return q.selectFrom('applied_mutations').select(['id', 'user_id', 'status', 'result_json', 'error_json', 'seq']).where('id', '=', id).executeTakeFirst();
}

/** A stored result belongs to the user who pushed it; someone else reusing the id learns nothing about it. */
function replayFor(row: Stored, actor: SyncActor, headSeq: number): PushResult {
  if (row.user_id !== actor.id) return { id: row.id, status: 'rejected', error: { code: 'conflict', message: 'This mutation id was already used' }, seq: headSeq };
  return fromStored(row);
}

const isUniqueViolation = (e: unknown): boolean => {
  const err = e as { code?: unknown; message?: unknown };
  return err?.code === '23505' || (typeof err?.code === 'string' && err.code.startsWith('SQLITE_CONSTRAINT_PRIMARYKEY')) || (typeof err?.code === 'string' && err.code === 'SQLITE_CONSTRAINT_UNIQUE');
};

const toShape = (e: AppError | AppErrorShape): AppErrorShape => ({ code: e.code, message: e.message, ...(e.details !== undefined ? { details: e.details } : {}) });

type Outcome = { kind: 'replay'; row: Stored } | { kind: 'applied'; result: unknown; seq: number } | { kind: 'rejected'; error: AppErrorShape; seq: number };

async function storeOutcome(trx: Trx, actor: SyncActor, clientId: string, m: Mutation, o: Exclude<Outcome, { kind: 'replay' }>, now: string): Promise<PushResult> {
  const row = {
    id: m.id,
    user_id: actor.id,
    client_id: clientId,
    name: storableLabel(m.name),
    status: o.kind,
    result_json: o.kind === 'applied' ? JSON.stringify(o.result ?? null) : null,
    error_json: o.kind === 'rejected' ? JSON.stringify(o.error) : null,
    seq: o.seq,
    created_at: now,
  };
  await trx.insertInto('applied_mutations').values(row).execute();
  return fromStored(row);
}

/**
 * Runs a storing transaction; if another connection stored the same id first (unique violation on
 * applied_mutations.id — possible on PostgreSQL with several connections), answers with its result.
 */
async function storingOnce(ctx: PortalContext, actor: SyncActor, m: Mutation, run: () => Promise<PushResult>): Promise<PushResult> {
  try {
    return await run();
  } catch (e) {
    if (isUniqueViolation(e)) {
      const first = await findStored(ctx.db, m.id);
      if (first) return replayFor(first, actor, await feedHead(ctx.db));
    }
    throw e;
  }
}

/** Stores a rejection found outside the apply transaction (bad args, unknown name, AppError thrown mid-apply and rolled back). */
async function reject(ctx: PortalContext, actor: SyncActor, clientId: string, m: Mutation, error: AppErrorShape): Promise<PushResult> {
  return storingOnce(ctx, actor, m, () =>
    ctx.db.transaction().execute(async (trx) => {
      await lockFeed(trx);
      const existing = await findStored(trx, m.id);
      const head = await feedHead(trx);
      if (existing) return replayFor(existing, actor, head);
      return storeOutcome(trx, actor, clientId, m, { kind: 'rejected', error, seq: head }, ctx.nowIso());
    }),
  );
}

/**
 * At most this many mutations of one push may run their slow preparation (a registration's scrypt,
 * ~50 ms each): the batch stops before the next one and the client pushes the rest at once (it loops
 * while the portal makes progress). Capping rather than answering "retry later" per mutation keeps
 * the order of everything after the cap without telling the client anything new.
 */
export const MAX_PREPARED_PER_PUSH = 8;

/** Authorize before work: the permission part of the rule, on a read of the current state, before any preparation. */
async function permissionRefusal(ctx: PortalContext, handler: AnyPortalMutation, actor: SyncActor, args: unknown): Promise<AppErrorShape | null> {
  return ctx.db.transaction().execute(async (trx) => {
    const problem = handler.def.check(await handler.loadState(trx, actor, args, ctx.nowIso()), args);
    return problem?.code === 'forbidden' ? problem : null;
  });
}

async function applyOne(ctx: PortalContext, user: SyncActor, clientId: string, m: Mutation, budget: { prepared: number }): Promise<PushResult | 'over_budget'> {
  const actor: SyncActor = { ...user, clientId };
  const handler = Object.prototype.hasOwnProperty.call(portalMutations, m.name) ? portalMutations[m.name] : undefined;
  if (!handler) return reject(ctx, actor, clientId, m, { code: 'unknown_method', message: `Unknown mutation ${m.name}` });
  // Text no layer can store (a lone surrogate or NUL, in a value or a key) fails on every retry: refused for this mutation alone.
  if (hasUnstorableString(m.args)) return reject(ctx, actor, clientId, m, { code: 'invalid_text', message: 'The mutation holds text that cannot be stored' });
  const parsed = handler.def.args.safeParse(m.args);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    return reject(ctx, actor, clientId, m, { code: inputErrorCode(issues), message: 'Invalid mutation arguments', details: { issues } });
  }
  const args: unknown = parsed.data;
  // A plain replay needs no preparation (a registration's scrypt hash costs ~50 ms); the locked re-check below stays authoritative.
  const known = await findStored(ctx.db, m.id);
  if (known) return replayFor(known, actor, await feedHead(ctx.db));
  let prepared: unknown;
  if (handler.prepare) {
    // Someone who may not do this learns so without costing the portal a hash.
    const denied = await permissionRefusal(ctx, handler, actor, args);
    if (denied) return reject(ctx, actor, clientId, m, denied);
    if (budget.prepared >= MAX_PREPARED_PER_PUSH) return 'over_budget';
    budget.prepared++;
    // Slow work (scrypt) before the transaction: nothing slow runs while the write lock is held.
    prepared = await handler.prepare(args);
  }
  try {
    return await storingOnce(ctx, actor, m, () => ctx.db.transaction().execute(async (trx) => {
      await lockFeed(trx);
      const now = ctx.nowIso();
      const existing = await findStored(trx, m.id);
      if (existing) return replayFor(existing, actor, await feedHead(trx));
      const state: unknown = await handler.loadState(trx, actor, args, now);
      const problem = handler.def.check(state, args);
      let refusal: AppErrorShape | null = problem?.code === 'forbidden' ? problem : null;
      if (!refusal && handler.staleness) refusal = await handler.staleness(trx, state, args, actor);
      refusal ??= problem;
      if (refusal) return storeOutcome(trx, actor, clientId, m, { kind: 'rejected', error: refusal, seq: await feedHead(trx) }, now);
      const { result, seq } = await handler.apply({ trx, ctx, actor, now, mutationId: m.id, args, state, prepared });
      // TEST-ONLY (fault.ts): a mutation whose arguments carry POISON_MARK throws after its writes, as a portal bug would.
      if (portalFault(ctx.demo) === 'poison' && JSON.stringify(m.args).includes(POISON_MARK)) throw new Error('test fault: poison mutation');
      return storeOutcome(trx, actor, clientId, m, { kind: 'applied', result, seq: seq || (await feedHead(trx)) }, now);
    }));
  } catch (e) {
    // The apply transaction rolled back: store the refusal on its own (or answer the first result if
    // the refusal was caused by a concurrent apply of the same id).
    if (e instanceof AppError) return reject(ctx, actor, clientId, m, toShape(e));
    if (isRefusedDataError(e)) return reject(ctx, actor, clientId, m, toShape(refusalOf(e)));
    throw e;
  }
}

/**
 * Applies the batch in order. A rejected mutation does not stop the ones
 * after it. An unexpected error while applying one mutation (a bug, data no
 * layer anticipated) is answered for that mutation as `retry` — nothing
 * stored, the client counts it toward giving up — and ends the batch there:
 * later mutations may build on it, and the client sends them again without
 * it. Only when the database itself is gone (or its connection failed, see
 * isConnectionError) does the whole push fail (5xx),
 * so the client waits without counting: what was committed replays.
 */
export async function applyPush(
  ctx: PortalContext,
  actor: SyncActor,
  clientId: string,
  mutations: readonly Mutation[],
  afterCommit: () => void,
): Promise<PushResult[]> {
  const results: PushResult[] = [];
  const budget = { prepared: 0 };
  for (const m of mutations) {
    let r: PushResult | 'over_budget';
    try {
      r = await applyOne(ctx, actor, clientId, m, budget);
    } catch (e) {
      if (isConnectionError(e)) throw e;
      const head = await feedHead(ctx.db).catch(() => {
        throw e; // the database does not answer: the portal, not this mutation, is failing
      });
      ctx.log(`push: mutation ${m.id} (${m.name}) failed`, e);
      results.push({ id: m.id, status: 'retry', error: { code: 'mutation_failed', message: 'The portal could not apply this change' }, seq: head });
      break;
    }
    if (r === 'over_budget') break;
    results.push(r);
    afterCommit();
  }
  return results;
}
