/**
 * Resumable, content-addressed uploads and record-scoped downloads.
 *
 * Upload: POST /api/uploads {size, sha256} → PUT /api/uploads/:id?offset=N
 * (octet-stream chunks, only at the offset the portal acknowledged) →
 * GET /api/uploads/:id tells the acknowledged offset after an interruption →
 * POST /api/uploads/:id/finalize verifies the whole file's hash and type.
 *
 * Access: a file is reachable only through an attachment of a record the
 * user may see. Attaching needs a completed upload of those bytes by the same
 * user (proof of possession), so knowing a hash grants nothing, and every
 * "not yours / not there" answer is the same 404.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { v7 as uuidv7 } from 'uuid';
import * as S from '../../src-shared/portal-api/schemas';
import { AppError } from '../../src-shared/rpc/errors';
import { canAttachToOrganization, canSeeOrganizationRecord, type MembershipView } from '../../src-shared/accounts/permissions';
import type { PortalContext } from '../context';
import type { Queryable } from '../db/schema';
import { userOf } from '../http/auth';
import { recordChange } from '../audit/audit';
import { errorResponses } from '../http/responses';
import { sniffContentType } from './sniff';
import { FileStore } from './store';
import { canSeeCompetitionRecord } from '../competition/routes';
import { canSeeAkiApplication } from '../aki/routes';
import type { DocumentGate } from '../documents/upload-gate';

type RecordType = z.infer<typeof S.RecordTypeSchema>;

/** Who may see / attach to each kind of record. Later issues add competitions, lots and AKI applications here. */
export const recordAccess: Record<RecordType, {
  exists(db: Queryable, id: string): Promise<boolean>;
  /** May read the record (and so download its files); `db` for records whose visibility depends on their state. */
  canSee(m: readonly MembershipView[], id: string, db: Queryable): boolean | Promise<boolean>;
  canAttach(m: readonly MembershipView[], id: string): boolean;
}> = {
  organization: {
    exists: async (db, id) => !!(await db.selectFrom('organizations').select('id').where('id', '=', id).executeTakeFirst()),
    canSee: canSeeOrganizationRecord,
    canAttach: canAttachToOrganization,
  },
  // Issue 5: drafts to their organization's members, published ones to every signed-in user. Regulation files are
  // attached by the competition.saveRegulation sync mutation (with the same proof of possession), not by POST /api/attachments.
  competition: {
    exists: async (db, id) => !!(await db.selectFrom('competitions').select('id').where('id', '=', id).executeTakeFirst()),
    canSee: (m, id, db) => canSeeCompetitionRecord(db, m, id),
    canAttach: () => false,
  },
  // Issue 6: the supplier organization's members, and the category's customer once submitted. Answer files are
  // attached by the aki.save sync mutation (proof of possession, type detected from the bytes, size limit), not by POST /api/attachments.
  aki_application: {
    exists: async (db, id) => !!(await db.selectFrom('aki_applications').select('id').where('id', '=', id).executeTakeFirst()),
    canSee: (m, id, db) => canSeeAkiApplication(db, m, id),
    canAttach: () => false,
  },
};

const notFound = () => new AppError('not_found', 'Not found');

export async function assertCanSeeRecord(db: Queryable, memberships: readonly MembershipView[], recordType: string, recordId: string): Promise<void> {
  const access = recordAccess[recordType as RecordType];
  if (!access || !(await access.canSee(memberships, recordId, db)) || !(await access.exists(db, recordId))) throw notFound();
}

/** Deletes partial upload files whose upload is finished, abandoned or unknown (run at start). */
export async function sweepPartFiles(ctx: PortalContext): Promise<number> {
  const store = new FileStore(ctx.dataDir);
  const dir = path.dirname(store.partPath('x'));
  let removed = 0;
  for (const f of fs.readdirSync(dir)) {
    const id = f.endsWith('.part') ? f.slice(0, -5) : null;
    if (!id) continue;
    const u = await ctx.db.selectFrom('uploads').select('status').where('id', '=', id).executeTakeFirst();
    if (!u || u.status !== 'open') {
      await store.discardPart(id);
      removed++;
    }
  }
  return removed;
}

/** `documents` (issue 9): PDFs are checked at finalize and refused when changed after signing (src-portal/documents). */
export function registerFileRoutes(app0: FastifyInstance, ctx: PortalContext, documents?: DocumentGate): void {
  const app = app0.withTypeProvider<ZodTypeProvider>();
  const { db, limits } = ctx;
  const store = new FileStore(ctx.dataDir);

  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: limits.maxChunkBytes }, (_req, body, done) => done(null, body));

  const status = (u: { id: string; size: number; received: number; status: string }) => ({
    uploadId: u.id, size: Number(u.size), offset: Number(u.received), status: u.status as 'open' | 'complete', maxChunkBytes: limits.maxChunkBytes,
  });
  const ownUpload = async (userId: string, id: string) => {
    const u = await db.selectFrom('uploads').selectAll().where('id', '=', id).where('user_id', '=', userId).where('status', '!=', 'abandoned').executeTakeFirst();
    if (!u) throw notFound();
    // A refused document upload answers its refusal to every later call: it never turns into an accepted file.
    if (u.status === 'refused') throw documents ? await documents.refusal(u.id) : new AppError('conflict', 'This upload was refused');
    return u;
  };
  const UploadParams = z.object({ uploadId: S.IdSchema });
  // Chunks and finalize of one upload run one at a time: two racing requests could otherwise
  // interleave their bytes on disk or rename the part file twice. (One portal per data folder.)
  const locks = new Map<string, Promise<unknown>>();
  const serial = <T>(id: string, fn: () => Promise<T>): Promise<T> => {
    const prev = locks.get(id) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    locks.set(id, tail);
    void tail.then(() => {
      if (locks.get(id) === tail) locks.delete(id);
    });
    return next;
  };

  app.post('/api/uploads', {
    config: { auth: 'user' },
    schema: { tags: ['files'], summary: 'Starts a resumable upload of a file with a declared size and SHA-256', body: S.CreateUploadSchema, response: { 200: S.UploadStatusSchema, ...errorResponses } },
  }, async (req) => {
    const me = userOf(req);
    if (req.body.size > limits.maxFileBytes) throw new AppError('file_too_large', 'File too large', { limit: limits.maxFileBytes, size: req.body.size });
    const now = ctx.nowIso();
    const u = { id: uuidv7(), user_id: me.id, sha256: req.body.sha256, size: req.body.size, received: 0, name: req.body.name ?? null, status: 'open', created_at: now, updated_at: now };
    await db.insertInto('uploads').values(u).execute();
    return status(u);
  });

  app.get('/api/uploads/:uploadId', {
    config: { auth: 'user' },
    schema: { tags: ['files'], summary: 'The offset the portal has acknowledged (resume from here)', params: UploadParams, response: { 200: S.UploadStatusSchema, ...errorResponses } },
  }, async (req, reply) => {
    const s = status(await ownUpload(userOf(req).id, req.params.uploadId));
    // HEAD gets the same answer in headers (tus-style), so a client can ask cheaply where to resume.
    reply.header('upload-offset', String(s.offset)).header('upload-length', String(s.size));
    return s;
  });

  app.put('/api/uploads/:uploadId', {
    config: { auth: 'user' },
    bodyLimit: limits.maxChunkBytes,
    schema: {
      tags: ['files'],
      summary: 'Appends one chunk (application/octet-stream) at the acknowledged offset',
      consumes: ['application/octet-stream'],
      params: UploadParams,
      querystring: S.UploadChunkQuerySchema,
      body: z.instanceof(Buffer).describe('raw bytes, Content-Type: application/octet-stream'),
      response: { 200: S.UploadStatusSchema, ...errorResponses },
    },
  }, async (req) => serial(req.params.uploadId, async () => {
    const me = userOf(req);
    const u = await ownUpload(me.id, req.params.uploadId);
    const body = req.body;
    if (u.status !== 'open') throw new AppError('conflict', 'Upload already finalized');
    if (req.query.offset !== Number(u.received)) throw new AppError('file_offset_mismatch', 'Resume from the acknowledged offset', { offset: Number(u.received) });
    if (body.length === 0) throw new AppError('invalid_input', 'Empty chunk');
    if (req.query.offset + body.length > Number(u.size)) throw new AppError('file_too_large', 'Chunk goes past the declared size', { size: Number(u.size) });
    await store.writeChunk(u.id, req.query.offset, body);
    // Conditional on the offset we checked, so two racing PUTs cannot both advance it.
    const r = await db.updateTable('uploads').set({ received: req.query.offset + body.length, updated_at: ctx.nowIso() }).where('id', '=', u.id).where('received', '=', req.query.offset).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new AppError('file_offset_mismatch', 'Another request advanced this upload', { offset: Number((await ownUpload(me.id, u.id)).received) });
    return status({ ...u, received: req.query.offset + body.length });
  }));

  app.post('/api/uploads/:uploadId/finalize', {
    config: { auth: 'user' },
    schema: { tags: ['files'], summary: 'Verifies the whole file\'s hash and type; the file is then ready to attach', params: UploadParams, response: { 200: S.FinalizedFileSchema, ...errorResponses } },
  }, async (req) => serial(req.params.uploadId, async () => {
    const me = userOf(req);
    const u = await ownUpload(me.id, req.params.uploadId);
    const size = Number(u.size);
    if (u.status === 'complete') {
      const f = await db.selectFrom('files').selectAll().where('sha256', '=', u.sha256).executeTakeFirstOrThrow();
      return { sha256: f.sha256, size: Number(f.size), contentType: f.content_type };
    }
    if (Number(u.received) !== size) throw new AppError('file_offset_mismatch', 'Upload incomplete', { offset: Number(u.received), size });
    const { sha256, head } = await store.hashPart(u.id, size);
    if (sha256 !== u.sha256) {
      // Start over: the bytes on disk are not the declared file.
      await store.discardPart(u.id);
      await db.updateTable('uploads').set({ received: 0, updated_at: ctx.nowIso() }).where('id', '=', u.id).execute();
      throw new AppError('file_hash_mismatch', 'The uploaded bytes do not match the declared SHA-256', { offset: 0 });
    }
    const contentType = sniffContentType(head);
    if (!contentType) {
      await store.discardPart(u.id);
      await db.deleteFrom('uploads').where('id', '=', u.id).execute();
      throw new AppError('file_type_not_allowed', 'File type not allowed', { allowed: ['pdf', 'png', 'jpeg', 'jpeg2000', 'zip/office', 'p12', 'cms'] });
    }
    const pending = documents
      ? await documents.check({ id: u.id, sha256, size }, store.partPath(u.id), contentType, me).catch(async (e: unknown) => {
        if (e instanceof AppError) await store.discardPart(u.id); // refused for good; anything else may be retried
        throw e;
      })
      : null;
    await store.commitPart(u.id, sha256, size);
    const now = ctx.nowIso();
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('files').values({ sha256, size, content_type: contentType, created_at: now }).onConflict((oc) => oc.column('sha256').doNothing()).execute();
      if (pending) await documents!.register(trx, pending, me.id, now);
      await trx.updateTable('uploads').set({ status: 'complete', updated_at: now }).where('id', '=', u.id).execute();
    });
    return { sha256, size, contentType };
  }));

  app.post('/api/attachments', {
    config: { auth: 'user' },
    schema: { tags: ['files'], summary: 'Attaches a file you uploaded to a record you may attach to', body: S.CreateAttachmentSchema, response: { 200: S.AttachmentSchema, ...errorResponses } },
  }, async (req) => {
    const me = userOf(req);
    const b = req.body;
    const access = recordAccess[b.recordType];
    if (!(await access.canSee(me.memberships, b.recordId, db)) || !(await access.exists(db, b.recordId))) throw notFound();
    if (!access.canAttach(me.memberships, b.recordId)) throw new AppError('forbidden', 'You may not attach files to this record');
    // Proof of possession: the same user completed an upload of these bytes. Same 404 as "no such file".
    const proof = await db.selectFrom('uploads').select('id').where('user_id', '=', me.id).where('sha256', '=', b.sha256).where('status', '=', 'complete').executeTakeFirst();
    if (!proof) throw new AppError('not_found', 'Upload the file first');
    const file = await db.selectFrom('files').selectAll().where('sha256', '=', b.sha256).executeTakeFirstOrThrow();
    const id = uuidv7();
    const now = ctx.nowIso();
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('attachments').values({ id, record_type: b.recordType, record_id: b.recordId, sha256: b.sha256, name: b.name, attached_by: me.id, version: 1, created_at: now }).execute();
      await recordChange(trx, now, { actorUserId: me.id, entityType: 'attachment', entityId: id, recordType: b.recordType, recordId: b.recordId, action: 'attachment.added', data: { sha256: b.sha256, name: b.name, size: Number(file.size) } });
    });
    return { id, recordType: b.recordType, recordId: b.recordId, sha256: b.sha256, name: b.name, size: Number(file.size), contentType: file.content_type, attachedBy: me.id, attachedAt: now };
  });

  const RecordParams = z.object({ recordType: S.RecordTypeSchema, recordId: S.IdSchema });
  app.get('/api/records/:recordType/:recordId/attachments', {
    config: { auth: 'user' },
    schema: { tags: ['files'], summary: 'Files attached to a record you may see', params: RecordParams, response: { 200: S.AttachmentListSchema, ...errorResponses } },
  }, async (req) => {
    const me = userOf(req);
    await assertCanSeeRecord(db, me.memberships, req.params.recordType, req.params.recordId);
    const rows = await db.selectFrom('attachments').innerJoin('files', 'files.sha256', 'attachments.sha256').selectAll('attachments').select(['files.size', 'files.content_type'])
      .where('record_type', '=', req.params.recordType).where('record_id', '=', req.params.recordId).orderBy('attachments.created_at').execute();
    return {
      attachments: rows.map((a) => ({ id: a.id, recordType: a.record_type as RecordType, recordId: a.record_id, sha256: a.sha256, name: a.name, size: Number(a.size), contentType: a.content_type, attachedBy: a.attached_by, attachedAt: a.created_at })),
    };
  });

  app.get('/api/attachments/:attachmentId/content', {
    config: { auth: 'user' },
    schema: {
      tags: ['files'],
      summary: 'Downloads an attached file (only through a record you may see)',
      params: z.object({ attachmentId: S.IdSchema }),
      response: { 200: z.any().describe('the file\'s bytes, with its sniffed Content-Type'), ...errorResponses },
    },
  }, async (req, reply) => {
    const me = userOf(req);
    const a = await db.selectFrom('attachments').innerJoin('files', 'files.sha256', 'attachments.sha256').select(['attachments.record_type', 'attachments.record_id', 'attachments.sha256', 'attachments.name', 'files.content_type', 'files.size'])
      .where('attachments.id', '=', req.params.attachmentId).executeTakeFirst();
    if (!a) throw notFound();
    await assertCanSeeRecord(db, me.memberships, a.record_type, a.record_id);
    reply.header('content-type', a.content_type);
    reply.header('content-length', String(Number(a.size)));
    reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(a.name)}`);
    reply.header('x-content-sha256', a.sha256);
    return reply.send(fs.createReadStream(store.blobPath(a.sha256)));
  });
}
