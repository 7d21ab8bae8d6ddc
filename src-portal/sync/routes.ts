/**
 * Sync routes (issue 4): POST /api/sync/push, GET /api/sync/pull,
 * GET /api/sync/live (WebSocket). All need a user session: the bearer token
 * in the Authorization header, the live socket included (the app's sync
 * engine runs in Node and can set headers; tokens never go in URLs, where
 * proxies and logs keep them).
 */
import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fastifyWebsocket from '@fastify/websocket';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  KnownMutationsRequestSchema,
  KnownMutationsResponseSchema,
  LiveMessageSchema,
  PullQuerySchema,
  PullResponseSchema,
  PushRequestSchema,
  PushResponseSchema,
  SYNC_PROTOCOL_VERSION,
  isSupportedProtocol,
} from '../../src-shared/sync/protocol';
import { ErrorBodySchema } from '../../src-shared/portal-api/schemas';
import { AppError } from '../../src-shared/rpc/errors';
import type { PortalContext } from '../context';
import { userOf } from '../http/auth';
import { errorResponses } from '../http/responses';
import { tokenHash } from '../accounts/passwords';
import { applyPush } from './push';
import { pullPage, readableScopes } from './pull';
import { LiveHub, type LiveHubOptions } from './live';
import { crashNow, portalFault } from './fault';
import { backfillMembershipFeed } from './membership-feed';
import { AuditHeadSigner } from '../audit/head-signing';
import { readSettingsFile } from '../settings';

const gzip = promisify(gzipCb);
/** Below this a gzip header costs more than it saves. */
const GZIP_MIN_BYTES = 1024;

const upgradeRequired = (got: unknown) =>
  new AppError('upgrade_required', 'This app version is too old for the portal; update the app', {
    protocolVersion: got,
    supported: [SYNC_PROTOCOL_VERSION - 1, SYNC_PROTOCOL_VERSION],
  });

const syncErrors = { ...errorResponses, 426: ErrorBodySchema } as const;

export interface SyncService {
  hub: LiveHub;
  close(): void;
}

/**
 * The push body with every mutation's name and args left out (see the text guard): those are refused per
 * mutation (unknown_method, invalid_text), so one bad mutation never turns the whole batch into a 400.
 */
function withoutMutationArgs(body: unknown): unknown {
  const mutations = (body as { mutations?: unknown }).mutations;
  if (!Array.isArray(mutations)) return body;
  return { ...(body as object), mutations: mutations.map((m: unknown) => (m && typeof m === 'object' ? { ...m, name: '', args: null } : m)) };
}

const bearerHash = (req: FastifyRequest): string => tokenHash((req.headers.authorization ?? '').slice(7).trim());

/**
 * Call before the other routes (the WebSocket plugin must see every route).
 * Returns the live hub; `close()` stops its timers and sockets.
 */
export async function registerSyncRoutes(app0: FastifyInstance, ctx: PortalContext, opts: { live?: LiveHubOptions | undefined } = {}): Promise<SyncService> {
  await app0.register(fastifyWebsocket, { options: { maxPayload: 4096 } });
  const app = app0.withTypeProvider<ZodTypeProvider>();
  const fault = portalFault(ctx.demo);
  await backfillMembershipFeed(ctx.db, ctx.nowIso);
  const hub = new LiveHub(ctx, opts.live);
  await hub.start();
  const signer = AuditHeadSigner.forDataDir(ctx.dataDir, readSettingsFile(ctx.dataDir).auditSigningKeyFile);

  // Any write through the REST API may have published feed changes: announce them once committed.
  app.addHook('onResponse', async (req, reply) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') hub.poke();
    // A refused WebSocket upgrade (401, 426...) is answered on the raw socket: close it, or it would
    // stay open as long as the client likes and hold up the portal's shutdown. (req.ws is not
    // reliable here: the auth hook may refuse before the WebSocket plugin's hook marks it.)
    if (req.headers.upgrade && reply.statusCode >= 400 && !req.raw.socket?.destroyed) req.raw.socket?.destroy();
  });

  app.post('/api/sync/push', {
    // The body guard checks the envelope; each mutation's args are checked by applyPush, so a bad one is refused alone.
    config: { auth: 'user', textGuard: withoutMutationArgs },
    // An old client's body may not match today's schema: answer upgrade_required before validating it.
    preValidation: async (req) => {
      const v = (req.body as { protocolVersion?: unknown } | null)?.protocolVersion;
      if (typeof v === 'number' && !isSupportedProtocol(v)) throw upgradeRequired(v);
    },
    schema: {
      tags: ['sync'],
      summary: 'Applies outbox mutations in order; each result is stored under its id and returned again on replay',
      body: PushRequestSchema,
      response: { 200: PushResponseSchema, ...syncErrors },
    },
  }, async (req) => {
    const me = userOf(req);
    const results = await applyPush(ctx, { id: me.id, fullName: me.fullName }, req.body.clientId, req.body.mutations, () => hub.poke());
    if (fault === 'crash-after-commit') crashNow();
    return { results };
  });

  app.get('/api/sync/pull', {
    config: { auth: 'user' },
    schema: {
      tags: ['sync'],
      summary: 'Changes after `cursor` in the scopes you may read (gzip when accepted); `scope` back-fills one scope',
      querystring: PullQuerySchema,
      response: { 200: PullResponseSchema, ...syncErrors },
    },
  }, async (req, reply) => {
    const me = userOf(req);
    const q = req.query;
    if (!isSupportedProtocol(q.protocolVersion)) throw upgradeRequired(q.protocolVersion);
    const userScopes = await readableScopes(ctx.db, me.id);
    if (q.scope !== undefined && !userScopes.includes(q.scope)) throw new AppError('forbidden', 'You may not read this scope', { scope: q.scope });
    const seen = q.auditSeq !== undefined && q.auditHash !== undefined ? { seq: q.auditSeq, hash: q.auditHash } : undefined;
    const page = await pullPage(ctx.db, { userScopes, scopes: q.scope !== undefined ? [q.scope] : userScopes, cursor: q.cursor, limit: q.limit, signer, seen, now: ctx.nowIso() });
    reply.header('content-type', 'application/json; charset=utf-8').header('vary', 'accept-encoding');
    const accepts = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    if (accepts && page.body.length >= GZIP_MIN_BYTES) {
      // zlib runs on the thread pool: a large page does not stall the event loop.
      // The body is already JSON text (see pull.ts): sent as bytes, past the schema serializer.
      return reply.header('content-encoding', 'gzip').send((await gzip(page.body, { level: 6 })) as never);
    }
    return reply.send(page.body as never);
  });

  app.post('/api/sync/known', {
    config: { auth: 'user' },
    schema: {
      tags: ['sync'],
      summary: 'Of the given mutation ids, those you pushed that the portal still holds (after a restore from a backup, the app re-offers the rest)',
      body: KnownMutationsRequestSchema,
      response: { 200: KnownMutationsResponseSchema, ...syncErrors },
    },
  }, async (req) => {
    const me = userOf(req);
    // Only the caller's own results: another user's id is answered as unknown, like an id never used.
    const rows = await ctx.db.selectFrom('applied_mutations').select(['id', 'seq']).where('user_id', '=', me.id).where('id', 'in', req.body.ids).execute();
    return { known: rows.map((r) => ({ id: r.id, seq: Number(r.seq) })) };
  });

  app.route({
    method: 'GET',
    url: '/api/sync/live',
    config: { auth: 'user' },
    schema: {
      tags: ['sync'],
      summary: 'WebSocket (upgrade required): {type:"hello",seq} on connect, then {type:"changed",seq} after each commit in a scope you read; ping every 25 s',
      querystring: z.object({ protocolVersion: z.coerce.number().int().optional() }).strict(),
      response: { 200: LiveMessageSchema, ...syncErrors },
    },
    preHandler: async (req) => {
      const v = (req.query as { protocolVersion?: number }).protocolVersion;
      if (v !== undefined && !isSupportedProtocol(v)) throw upgradeRequired(v);
    },
    handler: async () => {
      throw new AppError('invalid_input', 'Connect with a WebSocket upgrade');
    },
    wsHandler: (socket, req) => {
      const me = userOf(req);
      return hub.add(socket, { id: me.id, tokenHash: bearerHash(req) });
    },
  });

  app.addHook('onClose', async () => hub.close());
  return { hub, close: () => hub.close() };
}
