/**
 * EDS sign-in routes:
 *   POST /api/auth/eds/challenge   (public)  → a fresh single-use challenge, ≤ 5 min, naming this portal's origin
 *   POST /api/auth/eds/sign-in     (public)  → a session for the account linked to the certificate's IIN
 *   POST /api/me/eds/link          (user)    → links the signing certificate's IIN to the signed-in account
 *   GET  /api/me/eds               (user)    → the account's linked certificates
 * The challenge is burnt before the CMS is even looked at, so it can never be tried twice.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { v7 as uuidv7 } from 'uuid';
import * as S from '../../src-shared/portal-api/schemas';
import { AppError } from '../../src-shared/rpc/errors';
import {
  EDS_CHALLENGE_PURPOSE,
  EDS_CHALLENGE_TTL_MS,
  EdsChallengeRequestSchema,
  EdsChallengeSchema,
  EdsLinkSchema,
  EdsProofSchema,
  type EdsChallengeText,
  type EdsChallengeUse,
} from '../../src-shared/ncalayer/eds-auth';
import type { CertificateFacts } from '../../src-shared/signing/cert-facts';
import type { PortalContext } from '../context';
import type { Database } from '../db/schema';
import { errorResponses } from '../http/responses';
import { userOf } from '../http/auth';
import { recordChange } from '../audit/audit';
import { loadMe } from '../accounts/routes';
import { newSessionToken, tokenHash } from '../accounts/passwords';
import type { EdsTables } from './migration';
import { verifyEdsProof } from './verify';
import type { EdsTrust } from './trust';

type EdsDb = Kysely<Database & EdsTables>;

/** Where the request came in: the origin the app was configured with (e.g. through a proxy) must match it. */
const requestOrigin = (req: FastifyRequest) => `${req.protocol}://${req.host}`;

export function registerEdsRoutes(app0: FastifyInstance, ctx: PortalContext, trust: EdsTrust): void {
  const app = app0.withTypeProvider<ZodTypeProvider>();
  const db = ctx.db as unknown as EdsDb;
  const originOf = (req: FastifyRequest) => trust.publicOrigin ?? requestOrigin(req);

  /** Burns the challenge (single use) and returns its text, or refuses. */
  async function consume(challengeId: string, origin: string, use: EdsChallengeUse): Promise<string> {
    const now = ctx.nowIso();
    const res = await db
      .updateTable('eds_challenges')
      .set({ used_at: now })
      .where('id', '=', challengeId)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new AppError('eds_challenge_invalid', 'Unknown, used or expired challenge');
    const row = await db.selectFrom('eds_challenges').select(['text', 'origin']).where('id', '=', challengeId).executeTakeFirstOrThrow();
    if (row.origin !== origin) throw new AppError('eds_challenge_invalid', 'The challenge was issued for another origin');
    if ((JSON.parse(row.text) as EdsChallengeText).use !== use) throw new AppError('eds_challenge_invalid', 'The challenge was issued for another use');
    return row.text;
  }

  async function prove(body: z.infer<typeof EdsProofSchema>, req: FastifyRequest, use: EdsChallengeUse): Promise<CertificateFacts> {
    const text = await consume(body.challengeId, originOf(req), use);
    return verifyEdsProof(new Uint8Array(Buffer.from(body.cms, 'base64')), text, trust, ctx.clock.now());
  }

  app.post('/api/auth/eds/challenge', {
    config: { auth: 'public' },
    schema: { tags: ['accounts'], summary: 'A single-use EDS challenge for sign-in or linking (valid 5 minutes)', body: EdsChallengeRequestSchema, response: { 200: EdsChallengeSchema, ...errorResponses } },
  }, async (req) => {
    const now = ctx.clock.now();
    const expiresAt = new Date(now.getTime() + EDS_CHALLENGE_TTL_MS).toISOString();
    const text: EdsChallengeText = {
      purpose: EDS_CHALLENGE_PURPOSE,
      use: req.body.use,
      origin: originOf(req),
      nonce: randomBytes(32).toString('base64url'),
      issuedAt: now.toISOString(),
      expiresAt,
    };
    const id = uuidv7();
    const json = JSON.stringify(text);
    await db.insertInto('eds_challenges').values({ id, text: json, origin: text.origin, created_at: now.toISOString(), expires_at: expiresAt, used_at: null }).execute();
    // Old challenges are worthless: drop them as we go (bounded table without a job).
    await db.deleteFrom('eds_challenges').where('expires_at', '<', new Date(now.getTime() - 3600_000).toISOString()).execute();
    return { challengeId: id, challenge: json, expiresAt };
  });

  app.post('/api/auth/eds/sign-in', {
    config: { auth: 'public' },
    schema: { tags: ['accounts'], summary: 'EDS sign-in: a CMS over the challenge, signed with an AUTH key linked to an account', body: EdsProofSchema, response: { 200: S.SessionSchema, ...errorResponses } },
  }, async (req) => {
    const facts = await prove(req.body, req, 'sign-in');
    const link = await db.selectFrom('eds_links').select(['user_id']).where('iin', '=', facts.subject.iin!).executeTakeFirst();
    if (!link) throw new AppError('eds_not_linked', 'No account is linked to this certificate; sign in with the password once and link it');
    const now = ctx.clock.now();
    const token = newSessionToken();
    const expiresAt = new Date(now.getTime() + ctx.limits.sessionTtlMs).toISOString();
    await db.insertInto('sessions').values({ token_hash: tokenHash(token), user_id: link.user_id, created_at: now.toISOString(), expires_at: expiresAt }).execute();
    await db.updateTable('eds_links').set({ last_used_at: now.toISOString() }).where('iin', '=', facts.subject.iin!).execute();
    return { token, expiresAt, user: await loadMe(ctx.db, link.user_id) };
  });

  app.post('/api/me/eds/link', {
    config: { auth: 'user' },
    schema: { tags: ['accounts'], summary: 'Links the AUTH certificate that signed the challenge to the signed-in account', body: EdsProofSchema, response: { 200: EdsLinkSchema, ...errorResponses } },
  }, async (req) => {
    const me = userOf(req);
    const facts = await prove(req.body, req, 'link');
    const iin = facts.subject.iin!;
    const user = await db.selectFrom('users').select(['iin']).where('id', '=', me.id).executeTakeFirstOrThrow();
    if (user.iin && user.iin !== iin) throw new AppError('eds_iin_mismatch', 'The certificate belongs to another person', { expected: user.iin });
    const linkedAt = ctx.nowIso();
    const row = { iin, user_id: me.id, bin: facts.subject.bin ?? null, subject: facts.subject.commonName ?? facts.subject.dn, certificate_serial: facts.serialNumberHex, linked_at: linkedAt, last_used_at: null };
    await ctx.db.transaction().execute(async (trx0) => {
      const trx = trx0 as unknown as Transaction<Database & EdsTables>;
      const existing = await trx.selectFrom('eds_links').select(['user_id']).where('iin', '=', iin).executeTakeFirst();
      if (existing && existing.user_id !== me.id) throw new AppError('conflict', 'This certificate is linked to another account');
      if (existing) await trx.updateTable('eds_links').set(row).where('iin', '=', iin).execute();
      else await trx.insertInto('eds_links').values(row).execute();
      await recordChange(trx0, linkedAt, {
        actorUserId: me.id, entityType: 'user', entityId: me.id, recordType: 'user', recordId: me.id, action: 'user.eds_linked',
        data: { iin, bin: row.bin, certificateSerial: row.certificate_serial },
      });
    });
    return { iin, bin: row.bin, subject: row.subject, linkedAt, validFrom: facts.notBefore, validTo: facts.notAfter };
  });

  app.get('/api/me/eds', {
    config: { auth: 'user' },
    schema: { tags: ['accounts'], summary: 'Certificates linked to the signed-in account', response: { 200: z.object({ links: z.array(EdsLinkSchema) }), ...errorResponses } },
  }, async (req) => {
    const rows = await db.selectFrom('eds_links').selectAll().where('user_id', '=', userOf(req).id).orderBy('linked_at').execute();
    return { links: rows.map((r) => ({ iin: r.iin, bin: r.bin, subject: r.subject, linkedAt: r.linked_at })) };
  });
}
