/** Helpers for the competition tests: extra users, a valid competition as push mutations, a real upload. */
import { v7 as uuidv7 } from 'uuid';
import { hashPassword } from '../../src-portal/accounts/passwords';
import type { Db } from '../../src-portal/db/schema';
import type { Role } from '../../src-shared/accounts/roles';
import { call, demoId, freshIin, mut, push, sha256, samplePdf, uuid, DEMO_PASSWORD, type Mut } from '../portal-sync/helpers';

export * from '../portal-sync/helpers';

export const ORGANIZER_ORG = demoId('org', 'organizer');
export const STATE_PARTNER_BIN = '120640000114';
export const STATE_HEAD = demoId('user', 'stateHead');

/** A user with a known password and the given roles (straight into the database: the seed has one organizer and one secretary). */
export async function addUser(db: Db, base: string, o: { orgId?: string; roles: Role[]; name: string }): Promise<{ id: string; token: string }> {
  const id = uuidv7();
  const now = new Date().toISOString();
  const email = `u${id.slice(-12)}@example.kz`;
  await db.insertInto('users').values({
    id, iin: freshIin(), email, phone: null, full_name: o.name, search_name: o.name.toLowerCase(), password_hash: await hashPassword(DEMO_PASSWORD),
    preferred_language: 'kk', must_change_password: 0, version: 1, created_at: now, updated_at: now,
  }).execute();
  await db.insertInto('memberships').values({ id: uuidv7(), organization_id: o.orgId ?? ORGANIZER_ORG, user_id: id, roles_json: JSON.stringify(o.roles), version: 1, created_at: now, updated_at: now }).execute();
  const r = await call(base, 'POST', '/api/auth/sign-in', { body: { login: email, password: DEMO_PASSWORD } });
  if (r.status !== 200) throw new Error(`sign-in ${r.status}`);
  return { id, token: r.json.token as string };
}

export async function methods(base: string): Promise<{ id: string; code: string; name: { kk: string; ru: string; en: string }; minDiscussionDays: number }[]> {
  const r = await call(base, 'GET', '/api/reference/methods');
  return r.json.methods.map((m: { id: string; code: string; name: { kk: string; ru: string; en: string }; minDiscussionDays: number }) => ({ id: m.id, code: m.code, name: m.name, minDiscussionDays: m.minDiscussionDays }));
}

export async function directNegotiations(base: string) {
  const m = (await methods(base)).find((x) => x.code === 'direct_negotiations');
  if (!m) throw new Error('no direct_negotiations method');
  return m;
}

/** Uploads bytes the resumable way (create, one chunk, finalize); returns the AttachmentRef for a regulation. */
export async function upload(base: string, token: string, bytes: Buffer = samplePdf(uuid()), name = 'Регламент.pdf') {
  const hash = sha256(bytes);
  const u = await call(base, 'POST', '/api/uploads', { token, body: { size: bytes.length, sha256: hash, name } });
  if (u.status !== 200) throw new Error(`upload ${u.status}`);
  const put = await call(base, 'PUT', `/api/uploads/${u.json.uploadId}`, { token, raw: bytes, query: { offset: 0 } });
  if (put.status !== 200) throw new Error(`chunk ${put.status}`);
  const fin = await call(base, 'POST', `/api/uploads/${u.json.uploadId}/finalize`, { token });
  if (fin.status !== 200) throw new Error(`finalize ${fin.status} ${JSON.stringify(fin.json)}`);
  return { sha256: hash, name, size: bytes.length, contentType: 'application/pdf' };
}

const day = 86_400_000;
export const isoIn = (ms: number, from = Date.now()) => new Date(from + ms).toISOString().replace(/\.\d{3}Z$/, '.000Z');

/** Every mutation of a complete, valid competition (create … discussion dates), as the app would push them. */
export async function validCompetition(base: string, file: { sha256: string; name: string; size: number; contentType: string }, o: { start?: string; end?: string; id?: string } = {}) {
  const id = o.id ?? uuid();
  const method = await directNegotiations(base);
  const head = (await call(base, 'GET', `/api/orgs/by-bin/${STATE_PARTNER_BIN}`)).json;
  const b = { competitionId: id, baseVersion: 0 };
  const set = (field: string, value: string): Mut => mut('competition.setField', { ...b, field, value });
  const start = o.start ?? isoIn(2 * day);
  const end = o.end ?? isoIn(2 * day + (method.minDiscussionDays + 1) * day);
  const mutations: Mut[] = [
    mut('competition.create', { competitionId: id, organizationId: ORGANIZER_ORG, method, nameKk: 'Алматы жылу желілері', nameRu: 'Тепловые сети Алматы', nameEn: '' }),
    set('lot.nameKk', 'Жылу желілерін жаңғырту'),
    set('lot.nameRu', 'Модернизация тепловых сетей'),
    set('lot.summary', 'Қысқаша сипаттама'),
    set('lot.goals', 'Мақсаттар'),
    set('lot.parameters', 'Параметрлер'),
    set('lot.criteria', 'Критерийлер'),
    set('lot.timeline', '2027–2030'),
    set('partner.contact', 'Серіков Д., +7 727 000 00 00'),
    mut('competition.setPartnerOrg', { ...b, bin: STATE_PARTNER_BIN, organization: { id: head.id, name: head.name }, representative: head.heads[0] }),
    mut('competition.saveLot', b),
    mut('competition.saveInitiator', {
      ...b,
      initiator: { id: uuid(), userId: demoId('user', 'private1Head'), userName: 'x', partnerIinBin: '181040000334', representative: 'Жұмабаев Н.', position: 'Директор', phone: '+7 701 234 56 78', email: 'green@example.kz' },
    }),
    mut('competition.saveRegulation', { ...b, regulation: { id: uuid(), nameRu: 'Регламент', nameKk: 'Регламент', file } }),
    set('discussionStart', start),
    set('discussionEnd', end),
  ];
  return { id, mutations, method };
}

export async function pushOk(base: string, token: string, mutations: Mut[]) {
  const r = await push(base, token, mutations);
  if (r.status !== 200) throw new Error(`push ${r.status} ${JSON.stringify(r.json)}`);
  const bad = (r.json.results as { status: string; error?: unknown }[]).filter((x) => x.status !== 'applied');
  if (bad.length) throw new Error(`rejected: ${JSON.stringify(bad)}`);
  return r.json.results as { id: string; status: string; result: any }[]; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function pushOne(base: string, token: string, m: Mut) {
  const r = await push(base, token, [m]);
  if (r.status !== 200) throw new Error(`push ${r.status} ${JSON.stringify(r.json)}`);
  return r.json.results[0] as { status: string; error?: { code: string; details?: any }; result?: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}
