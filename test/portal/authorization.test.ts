/**
 * Table-driven authorization: every route listed in /openapi.json is called
 * anonymously, as every role and as a Head of another organization, and the
 * status must match the table. A route missing from the table fails the test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { PortabilityRecorder } from '../../src-portal/db/portability';
import { verifyAuditChain } from '../../src-portal/audit/audit';
import { postgresBin, sharedPostgres } from './postgres';
import { call, demoBin, demoId, demoUser, freshIin, samplePdf, sha256, signIn, startTestPortal, DEMO_PASSWORD } from './helpers';

const ACTORS = ['anon', 'head', 'organizer', 'secretary', 'customer', 'supplier', 'otherHead'] as const;
type Actor = (typeof ACTORS)[number];
/** Demo accounts behind each actor. The org under test is the organizer's: Head, Organizer, Secretary are its staff. */
const LOGINS: Record<Exclude<Actor, 'anon'>, string> = {
  head: 'orgHead', organizer: 'organizer', secretary: 'secretary', customer: 'customer', supplier: 'supplier', otherHead: 'private2Head',
};
const ORG = demoId('org', 'organizer');

type Expect = Record<Actor, number>;
const all = (s: number): Expect => Object.fromEntries(ACTORS.map((a) => [a, s])) as Expect;
const signedIn = (s: number): Expect => ({ ...all(s), anon: 401 });
/** Staff of the org see it; outsiders (customer, supplier, other Head) get `outsider`. */
const orgScoped = (staff: number, outsider: number, head = staff): Expect => ({
  anon: 401, head, organizer: staff, secretary: staff, customer: outsider, supplier: outsider, otherHead: outsider,
});

interface Req { params?: Record<string, string>; query?: Record<string, string | number>; body?: unknown; raw?: Uint8Array; token?: string }
interface Row { expect: Expect; build?: (actor: Actor, token: string | null) => Promise<Req> | Req }

let portal: Awaited<ReturnType<typeof startTestPortal>>;
/** Every query the routes run is also compiled for PostgreSQL and checked for SQLite-only SQL. */
const portability = new PortabilityRecorder();
const tokens: Partial<Record<Actor, string>> = {};
const fill = (tpl: string, params: Record<string, string> = {}) => tpl.replace(/\{(\w+)\}/g, (_, k: string) => {
  const v = params[k];
  if (v === undefined) throw new Error(`missing param ${k} for ${tpl}`);
  return v;
});
const headToken = () => tokens.head!;

async function headUpload(bytes: Buffer, upTo: 'created' | 'uploaded' | 'finalized') {
  const u = await call(portal.url, 'POST', '/api/uploads', { token: headToken(), body: { size: bytes.length, sha256: sha256(bytes) } });
  if (upTo !== 'created') await call(portal.url, 'PUT', `/api/uploads/${u.json.uploadId}`, { token: headToken(), raw: bytes, query: { offset: 0 } });
  if (upTo === 'finalized') await call(portal.url, 'POST', `/api/uploads/${u.json.uploadId}/finalize`, { token: headToken() });
  return u.json.uploadId as string;
}
async function newEmployee(): Promise<string> {
  const r = await call(portal.url, 'POST', `/api/orgs/${ORG}/employees`, {
    token: headToken(), body: { iin: freshIin(), fullName: 'Уақытша Қызметкер', email: `tmp${Date.now()}${Math.random()}@example.kz`, roles: ['organizer'] },
  });
  return r.json.userId as string;
}
let attachmentId = '';
/** Issue 5: one draft competition of the organizer's organization per portal (created lazily by the rows that need it). */
const drafts = new Map<string, Promise<string>>();
function draftCompetition(): Promise<string> {
  let d = drafts.get(portal.url);
  if (!d) {
    d = (async () => {
      const methods = (await call(portal.url, 'GET', '/api/reference/methods')).json.methods as { id: string; code: string; name: { kk: string; ru: string; en: string }; minDiscussionDays: number }[];
      const m = methods[0]!;
      const competitionId = crypto.randomUUID();
      const args = { competitionId, organizationId: ORG, method: { id: m.id, code: m.code, name: m.name, minDiscussionDays: m.minDiscussionDays }, nameKk: 'Жоба', nameRu: 'Черновик', nameEn: '' };
      const r = await call(portal.url, 'POST', '/api/sync/push', {
        token: tokens.organizer!,
        body: { protocolVersion: 1, clientId: crypto.randomUUID(), mutations: [{ id: crypto.randomUUID(), name: 'competition.create', args, createdAt: new Date().toISOString() }] },
      });
      if (r.json.results[0].status !== 'applied') throw new Error(`draft competition: ${JSON.stringify(r.json)}`);
      return competitionId;
    })();
    drafts.set(portal.url, d);
  }
  return d;
}
/** A draft: its organization's staff read it; everybody else, signed in or not, gets 404. */
const draftScoped: Expect = { ...orgScoped(200, 404), anon: 404 };

/** Issue 6: one submitted AKI application of the supplier's organization (Dala) per portal, in a category of the customer (Qarmet). */
const akiApps = new Map<string, Promise<string>>();
function submittedAkiApplication(): Promise<string> {
  let p = akiApps.get(portal.url);
  if (!p) {
    p = (async () => {
      const token = tokens.supplier!;
      const applicationId = crypto.randomUUID();
      const bytes = samplePdf(`aki${Math.random()}`);
      const u = await call(portal.url, 'POST', '/api/uploads', { token, body: { size: bytes.length, sha256: sha256(bytes) } });
      await call(portal.url, 'PUT', `/api/uploads/${u.json.uploadId}`, { token, raw: bytes, query: { offset: 0 } });
      await call(portal.url, 'POST', `/api/uploads/${u.json.uploadId}/finalize`, { token });
      const file = { sha256: sha256(bytes), name: 'c.pdf', size: bytes.length, contentType: 'application/pdf' };
      const m = (name: string, args: unknown) => ({ id: crypto.randomUUID(), name, args, createdAt: new Date().toISOString() });
      const r = await call(portal.url, 'POST', '/api/sync/push', {
        token,
        body: {
          protocolVersion: 1, clientId: crypto.randomUUID(),
          mutations: [
            m('aki.create', { applicationId, organizationId: demoId('org', 'supplier1'), categoryId: demoId('aki_category', 'pipes'), templateVersion: 1, createdAt: new Date().toISOString() }),
            m('aki.save', { applicationId, baseVersion: 1, templateVersion: 1, email: 'a@b.kz', phone: '+7 701 000 00 00', comment: '', answers: { registration_certificate: file, vat_payer: 'yes', employees: 3, license_valid_until: '2030-01-01' } }),
            m('aki.publish', { applicationId, templateVersion: 1 }),
          ],
        },
      });
      if (r.json.results.some((x: { status: string }) => x.status !== 'applied')) throw new Error(`AKI application: ${JSON.stringify(r.json)}`);
      return applicationId;
    })();
    akiApps.set(portal.url, p);
  }
  return p;
}
/** Its supplier organization's members and the category's customer read it; everybody else gets 404. */
const akiScoped: Expect = { anon: 401, head: 404, organizer: 404, secretary: 404, customer: 200, supplier: 200, otherHead: 404 };

const TABLE: Record<string, Row> = {
  'GET /api/health': { expect: all(200) },
  'GET /api/time': { expect: all(200) },
  'GET /api/audit/head': { expect: all(200) },
  'GET /api/records/{recordType}/{recordId}/audit': { expect: orgScoped(200, 404), build: () => ({ params: { recordType: 'organization', recordId: ORG } }) },
  'GET /api/notifications': { expect: signedIn(200) },
  'POST /api/notifications/{notificationId}/read': { expect: signedIn(404), build: () => ({ params: { notificationId: '0190f0e2-0000-7000-8000-000000000000' } }) },
  'POST /api/demo/clock': { expect: all(200), build: () => ({ body: { advanceMs: 0 } }) },
  'POST /api/auth/sign-in': { expect: all(200), build: () => ({ body: { login: demoUser('customer').email, password: DEMO_PASSWORD } }) },
  'POST /api/auth/sign-out': {
    expect: signedIn(200),
    // A fresh session per call, so signing out does not break the other rows.
    build: async (a) => (a === 'anon' ? {} : { token: await signIn(portal.url, LOGINS[a]) }),
  },
  'GET /api/me': { expect: signedIn(200) },
  'PATCH /api/me': { expect: signedIn(200), build: (a) => ({ body: { preferredLanguage: a === 'anon' ? 'kk' : demoUser(LOGINS[a]).language } }) },
  'POST /api/me/password': { expect: signedIn(200), build: () => ({ body: { currentPassword: DEMO_PASSWORD, newPassword: DEMO_PASSWORD } }) },
  // EDS sign-in (issue 8): a made-up challenge id is refused the same way for everyone (422 eds_challenge_invalid).
  'POST /api/auth/eds/challenge': { expect: all(200), build: () => ({ body: { use: 'sign-in' } }) },
  'POST /api/auth/eds/sign-in': { expect: all(422), build: () => ({ body: { challengeId: '0190f0e2-0000-7000-8000-000000000000', cms: 'AAAA' } }) },
  'POST /api/me/eds/link': { expect: signedIn(422), build: () => ({ body: { challengeId: '0190f0e2-0000-7000-8000-000000000000', cms: 'AAAA' } }) },
  'GET /api/me/eds': { expect: signedIn(200) },
  'GET /api/orgs/by-bin/{bin}': { expect: all(200), build: () => ({ params: { bin: demoBin('organizer') } }) },
  'GET /api/orgs/{orgId}/employees': { expect: orgScoped(200, 403), build: () => ({ params: { orgId: ORG } }) },
  'POST /api/orgs/{orgId}/employees': {
    expect: orgScoped(403, 403, 200),
    build: () => ({ params: { orgId: ORG }, body: { iin: freshIin(), fullName: 'Жаңа Қызметкер', email: `new${Date.now()}${Math.random()}@example.kz`, roles: ['secretary'] } }),
  },
  'PUT /api/orgs/{orgId}/employees/{userId}/roles': {
    expect: orgScoped(403, 403, 200),
    build: async () => {
      const list = await call(portal.url, 'GET', `/api/orgs/${ORG}/employees`, { token: headToken() });
      const sec = list.json.employees.find((e: { userId: string }) => e.userId === demoUser('secretary').id);
      return { params: { orgId: ORG, userId: sec.userId }, body: { roles: ['secretary'], version: sec.version } };
    },
  },
  'DELETE /api/orgs/{orgId}/employees/{userId}': { expect: orgScoped(403, 403, 200), build: async () => ({ params: { orgId: ORG, userId: await newEmployee() } }) },
  'GET /api/users/search': { expect: signedIn(200), build: () => ({ query: { q: 'иванова' } }) },
  'GET /api/reference/methods': { expect: all(200) },
  'GET /api/reference/aki-groups': { expect: all(200) },
  // Issue 9: public document verification (no sign-in); an unregistered serial is 404 for everybody (JSON form for the envelope check).
  'GET /verify/{serial}': { expect: all(404), build: () => ({ params: { serial: 'SRK-0000-0000-0000-0' }, query: { format: 'json' } }) },
  'GET /api/reference/aki-categories/{categoryId}/requirements': { expect: all(200), build: () => ({ params: { categoryId: demoId('aki_category', 'pipes') } }) },
  'POST /api/uploads': { expect: signedIn(200), build: () => ({ body: { size: 10, sha256: sha256(Buffer.from('0123456789')) } }) },
  'GET /api/uploads/{uploadId}': { expect: orgScoped(404, 404, 200), build: async () => ({ params: { uploadId: await headUpload(samplePdf('get'), 'created') } }) },
  'PUT /api/uploads/{uploadId}': {
    expect: orgScoped(404, 404, 200),
    build: async () => {
      const bytes = samplePdf(`put${Math.random()}`);
      return { params: { uploadId: await headUpload(bytes, 'created') }, query: { offset: 0 }, raw: bytes };
    },
  },
  'POST /api/uploads/{uploadId}/finalize': { expect: orgScoped(404, 404, 200), build: async () => ({ params: { uploadId: await headUpload(samplePdf(`fin${Math.random()}`), 'uploaded') } }) },
  'POST /api/attachments': {
    expect: orgScoped(403, 404, 200),
    build: async () => {
      const bytes = samplePdf(`att${Math.random()}`);
      await headUpload(bytes, 'finalized');
      return { body: { recordType: 'organization', recordId: ORG, sha256: sha256(bytes), name: 'жарғы.pdf' } };
    },
  },
  'GET /api/records/{recordType}/{recordId}/attachments': { expect: orgScoped(200, 404), build: () => ({ params: { recordType: 'organization', recordId: ORG } }) },
  'GET /api/attachments/{attachmentId}/content': { expect: orgScoped(200, 404), build: () => ({ params: { attachmentId } }) },
  // Sync (issue 4): a push always answers 200 with per-mutation results (refusals are inside); see test/portal-sync.
  'POST /api/sync/push': {
    expect: signedIn(200),
    build: () => ({
      body: {
        protocolVersion: 1, clientId: crypto.randomUUID(),
        mutations: [{ id: crypto.randomUUID(), name: 'employees.setRoles', args: { organizationId: ORG, membershipId: crypto.randomUUID(), roles: ['secretary'], baseVersion: 1 }, createdAt: new Date().toISOString() }],
      },
    }),
  },
  'GET /api/sync/pull': { expect: signedIn(200), build: () => ({ query: { protocolVersion: 1 } }) },
  // Which of my pushed mutations the portal still holds (issue 15, divergence): only the caller's own are answered.
  'POST /api/sync/known': { expect: signedIn(200), build: () => ({ body: { ids: [crypto.randomUUID()] } }) },
  // A plain GET (no WebSocket upgrade) is refused with 400 once signed in.
  'GET /api/sync/live': { expect: signedIn(400) },
  // Competitions (issue 5): reads only (changes go through the sync push). Published ones are public.
  'GET /api/competitions': { expect: all(200) },
  'GET /api/competitions/{competitionId}': { expect: draftScoped, build: async () => ({ params: { competitionId: await draftCompetition() } }) },
  'GET /api/competitions/{competitionId}/history': { expect: draftScoped, build: async () => ({ params: { competitionId: await draftCompetition() } }) },
  // AKI applications (issue 6): reads only (changes go through the sync push); see test/aki for the full isolation matrix.
  'GET /api/aki/applications': { expect: signedIn(200) },
  'GET /api/aki/applications/{applicationId}': { expect: akiScoped, build: async () => ({ params: { applicationId: await submittedAkiApplication() } }) },
  'GET /api/aki/applications/{applicationId}/audit': { expect: akiScoped, build: async () => ({ params: { applicationId: await submittedAkiApplication() } }) },
};

// The same table runs on the embedded SQLite and, when the machine has PostgreSQL, on PostgreSQL:
// that is what "the query code also runs on PostgreSQL" means in practice.
const BACKENDS = ['sqlite', ...(postgresBin ? ['postgres'] : [])] as const;
describe.each(BACKENDS)('authorization on %s', (backend) => {
  beforeAll(async () => {
    for (const k of Object.keys(tokens)) delete tokens[k as Actor];
    // The run's shared cluster, a fresh database copied from the migrated template.
    const postgresUrl = backend === 'postgres' ? await (await sharedPostgres()).freshDb('portal_authz') : null;
    portal = await startTestPortal({ kyselyPlugins: [portability], ...(postgresUrl ? { postgresUrl } : {}) });
    for (const a of ACTORS) if (a !== 'anon') tokens[a] = await signIn(portal.url, LOGINS[a]);
    const bytes = samplePdf('fixture');
    await headUpload(bytes, 'finalized');
    const att = await call(portal.url, 'POST', '/api/attachments', { token: headToken(), body: { recordType: 'organization', recordId: ORG, sha256: sha256(bytes), name: 'fixture.pdf' } });
    attachmentId = att.json.id;
  });
  afterAll(async () => {
    await portal.cleanup();
  });

  describe('authorization table', () => {
    it('covers every route in /openapi.json and every actor gets the expected status', async () => {
      const doc = (await call(portal.url, 'GET', '/openapi.json')).json as { paths: Record<string, Record<string, unknown>> };
      const routes = Object.entries(doc.paths).flatMap(([p, ms]) => Object.keys(ms).map((m) => `${m.toUpperCase()} ${p}`));
      expect(routes.length).toBeGreaterThanOrEqual(25);
      const missing = routes.filter((r) => !TABLE[r]);
      expect(missing, 'routes without a row in the authorization table').toEqual([]);
      const stale = Object.keys(TABLE).filter((r) => !routes.includes(r));
      expect(stale, 'rows for routes that no longer exist').toEqual([]);

      const mismatches: string[] = [];
      for (const route of routes) {
        const row = TABLE[route]!;
        const [method, tpl] = route.split(' ') as [string, string];
        for (const actor of ACTORS) {
          const token = actor === 'anon' ? null : tokens[actor]!;
          const req = (await row.build?.(actor, token)) ?? {};
          const r = await call(portal.url, method, fill(tpl, req.params), {
            token: req.token ?? token, query: req.query, ...(req.raw ? { raw: req.raw } : req.body !== undefined ? { body: req.body } : {}),
          });
          if (r.status !== row.expect[actor]) mismatches.push(`${route} as ${actor}: expected ${row.expect[actor]}, got ${r.status} ${r.bytes.toString('utf8').slice(0, 200)}`);
          if (r.status >= 400) {
            // Every refusal uses the shared envelope.
            if (typeof r.json?.code !== 'string' || typeof r.json?.message !== 'string') mismatches.push(`${route} as ${actor}: ${r.status} without {code, message}`);
          }
        }
      }
      expect(mismatches).toEqual([]);
    });

    it('documents request and response schemas for every route', async () => {
      const doc = (await call(portal.url, 'GET', '/openapi.json')).json as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: unknown }> }>; parameters?: unknown[]; requestBody?: unknown }>> };
      for (const [p, ms] of Object.entries(doc.paths)) {
        for (const [m, op] of Object.entries(ms)) {
          expect(op.responses['200']?.content?.['application/json']?.schema, `${m} ${p} 200 schema`).toBeTruthy();
          expect(op.responses['401']?.content?.['application/json']?.schema, `${m} ${p} error schema`).toBeTruthy();
          if (['post', 'put', 'patch'].includes(m) && !p.endsWith('/finalize') && !p.endsWith('/sign-out') && !p.endsWith('/read')) {
            expect(op.requestBody, `${m} ${p} request body`).toBeTruthy();
          }
          if (p.includes('{')) expect(op.parameters?.length, `${m} ${p} path parameters`).toBeGreaterThan(0);
        }
      }
    });

    it('every query the routes ran also compiles for PostgreSQL without SQLite-only SQL', () => {
      expect(portability.checked).toBeGreaterThan(200);
      expect(portability.violations).toEqual([]);
    });
  });

    it('the audit chain written by all those calls verifies', async () => {
      const v = await verifyAuditChain(portal.db);
      expect(v).toMatchObject({ ok: true });
    // And it really ran where it says it did.
    expect(fs.existsSync(path.join(portal.dataDir, 'portal.sqlite'))).toBe(backend === 'sqlite');
    });
});
