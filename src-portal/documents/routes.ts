/**
 * GET /verify/{serial}: public (no sign-in), for whoever scanned the QR code on a paper copy.
 * JSON with `Accept: application/json` (or `?format=json`), otherwise a self-contained HTML page
 * in `?lang=kk|ru|en`, else the Accept-Language, else kk. Reads are not audited; they are
 * rate-limited per client address.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../src-shared/rpc/errors';
import { isLanguage, type Language } from '../../src-shared/i18n';
import { normalizeSerial } from '../../src-shared/documents/serial';
import type { LockState } from '../../src-shared/documents/lock';
import type { Badge, SignerSummary } from '../../src-shared/documents/model';
import type { PortalContext } from '../context';
import type { Queryable } from '../db/schema';
import { errorResponses } from '../http/responses';
import { documentsBySerial } from './registry';
import { VerifyAnswerSchema, type VerifyAnswer } from './schemas';
import { problemPageHtml, verifyPageHtml, VERIFY_PAGE_CSP, type ProblemKind } from './verify-page';
import { FixedWindowLimiter } from './rate-limit';

/** `800521300102` → `800521****02`: the birth date and the last two digits stay readable, the rest does not. */
export const maskIin = (iin: string): string => (/^\d{12}$/.test(iin) ? `${iin.slice(0, 6)}****${iin.slice(10)}` : '************');

function publicSigner(s: SignerSummary): VerifyAnswer['versions'][number]['signers'][number] {
  const c = s.certificate;
  return {
    index: s.index,
    name: c?.owner ?? null,
    ...(c?.iin ? { iinMasked: maskIin(c.iin) } : {}),
    ...(c?.bin ? { bin: c.bin } : {}),
    ...(c?.organization ? { organization: c.organization } : {}),
    roles: c?.roles ?? [],
    ...(s.claimedTime ? { claimedTime: s.claimedTime } : {}),
    ...(s.timestampTime ? { timestampTime: s.timestampTime } : {}),
    timestamped: s.timestamped,
    verdict: s.verdict,
    reasons: s.reasons,
    test: c?.test ?? false,
  };
}

export async function verifyAnswer(db: Queryable, serial: string): Promise<VerifyAnswer | null> {
  const found = await documentsBySerial(db, serial);
  if (!found) return null;
  const ids = [...new Set([found.ownerOrganizationId, ...found.versions.map((v) => v.organizationId)].filter((x): x is string => !!x))];
  const orgs = new Map(
    (ids.length ? await db.selectFrom('organizations').select(['id', 'bin', 'name_kk', 'name_ru', 'name_en']).where('id', 'in', ids).execute() : [])
      .map((o) => [o.id, { bin: o.bin, name: { kk: o.name_kk, ru: o.name_ru, en: o.name_en } }]),
  );
  const org = (id: string | null) => (id ? (orgs.get(id) ?? null) : null);
  return {
    serial,
    organization: org(found.ownerOrganizationId),
    firstRegisteredAt: found.registeredAt,
    conflict: found.versions.some((v) => v.serialConflict),
    versions: found.versions.map((v) => ({
      sha256: v.sha256,
      registeredAt: v.registeredAt,
      pages: v.pages,
      lock: { state: v.lockState as LockState, reasons: v.lockReasons },
      badges: v.badges as Badge[],
      signers: v.signers.map(publicSigner),
      organization: org(v.organizationId),
      serialConflict: v.serialConflict,
    })),
  };
}

/** `?lang=` first, then the Accept-Language preferences (by q), then Kazakh. */
export function pageLanguage(query: string | undefined, acceptLanguage: string | undefined): Language {
  if (query && isLanguage(query)) return query;
  const prefs = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = Number(params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean) ?? 1);
      return { lang: tag.trim().toLowerCase().split('-')[0] ?? '', q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((p) => p.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return (prefs.find((p) => isLanguage(p.lang))?.lang as Language | undefined) ?? 'kk';
}

function wantsJson(req: FastifyRequest, format: string | undefined): boolean {
  if (format === 'json') return true;
  if (format === 'html') return false;
  const accept = req.headers.accept ?? '';
  const json = accept.indexOf('application/json');
  const html = accept.indexOf('text/html');
  return json >= 0 && (html < 0 || json < html);
}

export interface DocumentRoutesOptions {
  /** Requests per client address per minute on /verify (default 60). */
  verifyPerMinute?: number;
  /** Tests only: every upload check's worker blocks until hold[0] is set and notified (check-pool.ts). */
  pdfCheckHold?: Int32Array;
}

export function registerDocumentRoutes(app0: FastifyInstance, ctx: PortalContext, o: DocumentRoutesOptions = {}): void {
  const app = app0.withTypeProvider<ZodTypeProvider>();
  const limiter = new FixedWindowLimiter(o.verifyPerMinute ?? 60, 60_000);

  const html = (reply: FastifyReply, status: number, body: string) =>
    reply
      .code(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', VERIFY_PAGE_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('x-frame-options', 'DENY')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-cache')
      .header('vary', 'Accept, Accept-Language')
      .send(body);

  app.get('/verify/:serial', {
    config: { auth: 'public' },
    schema: {
      tags: ['documents'],
      summary: 'Public verification of a stamped document by its serial: facts and signature status (JSON with Accept: application/json or ?format=json, otherwise an HTML page)',
      params: z.object({ serial: z.string().describe('SRK-XXXX-XXXX-XXXX-C, as typed: case, spaces, O/0 and I/L/1 are forgiven') }),
      querystring: z.object({
        lang: z.string().optional().describe('kk | ru | en for the HTML page (else Accept-Language, else kk)'),
        format: z.enum(['json', 'html']).optional(),
      }),
      response: { 200: VerifyAnswerSchema, ...errorResponses },
    },
  }, async (req, reply) => {
    const json = wantsJson(req, req.query.format);
    const lang = pageLanguage(req.query.lang, req.headers['accept-language']);
    const selfPath = `/verify/${encodeURIComponent(req.params.serial)}`;
    const problem = (kind: ProblemKind, err: AppError) => {
      if (json) throw err;
      return html(reply, kind === 'rate_limited' ? 429 : 404, problemPageHtml(lang, kind, kind === 'rate_limited' ? '' : req.params.serial, selfPath));
    };
    const wait = limiter.take(req.ip, ctx.clock.now().getTime());
    if (wait > 0) {
      reply.header('retry-after', String(Math.ceil(wait / 1000)));
      return problem('rate_limited', new AppError('rate_limited', 'Too many verification requests', { retryAfterSeconds: Math.ceil(wait / 1000) }));
    }
    const serial = req.params.serial.length <= 64 ? normalizeSerial(req.params.serial) : null;
    if (!serial) return problem('malformed', new AppError('document_serial_invalid', 'This is not a valid document number: check the number', { reason: 'serial_malformed' }));
    const answer = await verifyAnswer(ctx.db, serial);
    if (!answer) return problem('not_found', new AppError('not_found', 'No document is registered under this number', { reason: 'serial_unknown' }));
    if (json) return answer;
    return html(reply, 200, verifyPageHtml(lang, answer, `/verify/${serial}`));
  });
}
