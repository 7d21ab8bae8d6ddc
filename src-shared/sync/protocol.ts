/**
 * The sync protocol between the app's local cache and the portal.
 *
 * Push: the outbox, in order. Each mutation carries a client-generated id;
 * the portal applies it with the same src-shared rule the app used, stores
 * its result under that id in the same transaction, and answers any replay
 * with the stored result. Pull: changes after a cursor, in pages, only
 * from the scopes the user may see; the response names the user's current
 * scopes so the client back-fills new ones and purges lost ones. Live: a
 * WebSocket that says "something changed up to seq N"; the client pulls.
 */
import { z } from 'zod';

/** Bump when the wire format changes; the portal accepts N and N−1. */
export const SYNC_PROTOCOL_VERSION = 1;
export const isSupportedProtocol = (v: number, current = SYNC_PROTOCOL_VERSION) => v === current || v === current - 1;

export const MAX_PUSH_BATCH = 100;
export const MAX_PULL_PAGE = 2000;
/** The portal keeps mutation results at least this long, longer than any realistic offline spell. */
export const MUTATION_RETENTION_DAYS = 180;

const Id = z.string().uuid();
const Iso = z.string().datetime({ offset: false });

export const ErrorShapeSchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});

export const MutationSchema = z
  .object({
    id: Id,
    // Any name is answered per mutation (unknown_method for one not in the registry), never by refusing the batch.
    name: z.string().min(1).max(200),
    args: z.unknown(),
    createdAt: Iso,
  })
  .strict();
export type Mutation = z.infer<typeof MutationSchema>;

export const PushRequestSchema = z
  .object({
    protocolVersion: z.number().int(),
    clientId: Id,
    mutations: z.array(MutationSchema).min(1).max(MAX_PUSH_BATCH),
  })
  .strict();
export type PushRequest = z.infer<typeof PushRequestSchema>;

export const PushResultSchema = z.object({
  id: Id,
  /**
   * `rejected` is final (stored, replays answer it again). `retry`: the portal failed to apply this one
   * mutation and stored nothing — the client may send it again (src-shared/sync/failures.ts says how often).
   */
  status: z.enum(['applied', 'rejected', 'retry']),
  result: z.unknown().optional(),
  error: ErrorShapeSchema.optional(),
  /** The change-feed position after this mutation; the pusher's next pull reaches at least this far. */
  seq: z.number().int().nonnegative(),
});
export type PushResult = z.infer<typeof PushResultSchema>;

export const PushResponseSchema = z.object({ results: z.array(PushResultSchema) });

export const PullQuerySchema = z
  .object({
    cursor: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(MAX_PULL_PAGE).default(500),
    /** Back-fill one scope from the beginning (a scope the user just gained). */
    scope: z.string().max(100).optional(),
    protocolVersion: z.coerce.number().int(),
    /** The last audit entry the client saw (issue 15): the portal answers whether its chain still holds it. */
    auditSeq: z.coerce.number().int().min(0).optional(),
    auditHash: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  })
  .strict();
export type PullQuery = z.infer<typeof PullQuerySchema>;

export const ChangeSchema = z.object({
  seq: z.number().int().positive(),
  entityType: z.string(),
  /** Client-made UUIDs for user records; reference data may use composite keys (e.g. template versions). */
  entityId: z.string().min(1).max(200),
  scope: z.string(),
  op: z.enum(['put', 'delete']),
  version: z.number().int().nonnegative(),
  data: z.unknown().nullable(),
});
export type Change = z.infer<typeof ChangeSchema>;

export const AuditHeadSchema = z.object({
  seq: z.number().int().nonnegative(),
  hash: z.string(),
  /** Ed25519 over auditHeadMessage(seq, hash) (src-shared/sync/audit-head.ts), base64. */
  signature: z.string(),
  /** The portal's public key, SPKI DER, base64. */
  publicKey: z.string(),
});
export type AuditHead = z.infer<typeof AuditHeadSchema>;

export const PullResponseSchema = z.object({
  changes: z.array(ChangeSchema),
  /** Pass back as `cursor` next time. */
  cursor: z.number().int().nonnegative(),
  hasMore: z.boolean(),
  /** Every scope the user may read now. */
  scopes: z.array(z.string()),
  /** The audit log's latest entry, signed by the portal's Ed25519 key (the app pins the key at its first sync). */
  auditHead: AuditHeadSchema,
  /**
   * Only when the query named an audit entry: true when the portal's chain does not hold
   * that exact entry (restored from a backup, or rewritten). Nothing else of the chain is sent.
   */
  diverged: z.boolean().optional(),
  /** The portal's clock when it answered (its demo clock when one runs): the app's "now" follows it. */
  serverTime: z.string().datetime().optional(),
});
export type PullResponse = z.infer<typeof PullResponseSchema>;

/** After a divergence: which of the caller's own acknowledged mutations the portal still holds. */
export const MAX_KNOWN_QUERY = 500;
export const KnownMutationsRequestSchema = z.object({ ids: z.array(Id).min(1).max(MAX_KNOWN_QUERY) }).strict();
export const KnownMutationsResponseSchema = z.object({
  /** The ids (of those asked, pushed by the caller) the portal holds, with their feed positions. */
  known: z.array(z.object({ id: Id, seq: z.number().int().nonnegative() })),
});

export const LiveMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), seq: z.number().int() }),
  z.object({ type: z.literal('changed'), seq: z.number().int() }),
]);
export type LiveMessage = z.infer<typeof LiveMessageSchema>;

/** Scopes: who may read a change. */
export const scopes = {
  organization: (orgId: string) => `org:${orgId}`,
  user: (userId: string) => `user:${userId}`,
  public: 'public',
} as const;
