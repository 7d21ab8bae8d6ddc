/**
 * The competition on the portal, through its real API (sync push + REST):
 * who may create, edit, read and delete; the publication decided by the
 * portal's clock (published + lot published, or discussion); the shared
 * validation codes; two secretaries' stale edit → conflict; regulation files
 * need proof of possession and download through the competition.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPETITION_ENTITY } from '../../src-shared/competition/model';
import { scopes } from '../../src-shared/sync/protocol';
import {
  ORGANIZER_ORG, addUser, call, demoId, isoIn, mut, pullAll, pushOk, pushOne, signIn, startTestPortal, upload, uuid, validCompetition,
} from './helpers';

const day = 86_400_000;
let portal: Awaited<ReturnType<typeof startTestPortal>>;
let organizer = '';
let secretary = '';
let supplier = '';
let stateHead = '';
let otherOrganizer = { id: '', token: '' };

beforeAll(async () => {
  portal = await startTestPortal();
  organizer = await signIn(portal.url, 'organizer');
  secretary = await signIn(portal.url, 'secretary');
  supplier = await signIn(portal.url, 'supplier');
  stateHead = await signIn(portal.url, 'stateHead');
  otherOrganizer = await addUser(portal.db, portal.url, { roles: ['organizer'], name: 'Екінші Ұйымдастырушы' });
});
afterAll(async () => portal.cleanup());

const get = (id: string, token: string | null) => call(portal.url, 'GET', `/api/competitions/${id}`, { token });

describe('competition permissions', () => {
  it('a supplier cannot create a competition; an organizer can, and the portal gives it its number', async () => {
    const file = await upload(portal.url, organizer);
    const { mutations, id } = await validCompetition(portal.url, file);
    const create = mutations[0]!;
    const bySupplier = await pushOne(portal.url, supplier, mut(create.name, { ...(create.args as object), competitionId: uuid(), organizationId: demoId('org', 'supplier1') }));
    expect(bySupplier.status).toBe('rejected');
    expect(bySupplier.error?.code).toBe('forbidden');
    // A supplier naming the organizer's organization is refused too.
    expect((await pushOne(portal.url, supplier, mut(create.name, { ...(create.args as object), competitionId: uuid() }))).error?.code).toBe('forbidden');

    const [res] = await pushOk(portal.url, organizer, [create]);
    expect(res!.result.number).toMatch(/^МЖӘ-\d{4}-\d{5}$/);
    const r = await get(id, organizer);
    expect(r.status).toBe(200);
    expect(r.json.record).toMatchObject({ status: 'draft', lotStatus: 'draft', organizationId: ORGANIZER_ORG, number: res!.result.number });
  });

  it('nobody outside the organization sees a draft (REST and sync), other organizers of it read but cannot edit', async () => {
    const file = await upload(portal.url, organizer);
    const { mutations, id } = await validCompetition(portal.url, file);
    await pushOk(portal.url, organizer, mutations.slice(0, 2));
    expect((await get(id, stateHead)).status).toBe(404);
    expect((await get(id, null)).status).toBe(404);
    const outsider = await pullAll(portal.url, stateHead);
    expect(outsider.changes.some((c) => c.entityId === id)).toBe(false);
    const member = await pullAll(portal.url, otherOrganizer.token);
    expect(member.changes.find((c) => c.entityId === id && c.op === 'put')?.scope).toBe(scopes.organization(ORGANIZER_ORG));
    expect((await get(id, otherOrganizer.token)).status).toBe(200);

    const edit = await pushOne(portal.url, otherOrganizer.token, mut('competition.setField', { competitionId: id, field: 'nameRu', value: 'Чужая правка', baseVersion: 2 }));
    expect(edit.error?.code).toBe('forbidden');
    const del = await pushOne(portal.url, otherOrganizer.token, mut('competition.delete', { competitionId: id, baseVersion: 2 }));
    expect(del.error?.code).toBe('forbidden');
    // The state partner's head does not even learn that it exists.
    expect((await pushOne(portal.url, stateHead, mut('competition.setField', { competitionId: id, field: 'nameRu', value: 'x', baseVersion: 2 }))).error?.code).toBe('not_found');
    // The secretary edits once the creator names her.
    expect((await pushOne(portal.url, secretary, mut('competition.setField', { competitionId: id, field: 'nameRu', value: 'Правка секретаря', baseVersion: 2 }))).error?.code).toBe('forbidden');
    await pushOk(portal.url, organizer, [mut('competition.setSecretaries', { competitionId: id, secretaryIds: [demoId('user', 'secretary')], baseVersion: 2 })]);
    expect((await pushOne(portal.url, secretary, mut('competition.setField', { competitionId: id, field: 'nameRu', value: 'Правка секретаря', baseVersion: 3 }))).status).toBe('applied');
    // …but only the creator names editors.
    expect((await pushOne(portal.url, secretary, mut('competition.setSecretaries', { competitionId: id, secretaryIds: [], baseVersion: 4 }))).error?.code).toBe('forbidden');
  });

  it('publication with the start ahead: competition and lot published, public scope, job scheduled; nobody edits or deletes it afterwards', async () => {
    const file = await upload(portal.url, organizer);
    const { mutations, id } = await validCompetition(portal.url, file);
    await pushOk(portal.url, organizer, mutations);
    const [pub] = await pushOk(portal.url, organizer, [mut('competition.publish', { competitionId: id, baseVersion: mutations.length })]);
    expect(pub!.result.status).toBe('published');
    const r = await get(id, null); // public now
    expect(r.status).toBe(200);
    expect(r.json.record).toMatchObject({ status: 'published', lotStatus: 'published', publishRequested: false });
    expect(r.json.record.publishedAt).toMatch(/Z$/);
    const job = await portal.db.selectFrom('scheduled_jobs').selectAll().where('kind', '=', 'competition.startDiscussion').where('payload_json', 'like', `%${id}%`).executeTakeFirst();
    expect(job?.due_at).toBe(r.json.record.discussionStart);
    // The feed moved it: a tombstone in the organization's scope, the record in `public`.
    const feed = await portal.db.selectFrom('change_feed').select(['scope', 'op']).where('entity_type', '=', COMPETITION_ENTITY).where('entity_id', '=', id).execute();
    expect(feed).toEqual(expect.arrayContaining([{ scope: scopes.organization(ORGANIZER_ORG), op: 'delete' }, { scope: scopes.public, op: 'put' }]));
    expect((await pullAll(portal.url, stateHead)).changes.some((c) => c.entityId === id && c.op === 'put')).toBe(true);

    for (const m of [
      mut('competition.setField', { competitionId: id, field: 'nameRu', value: 'После публикации', baseVersion: 99 }),
      mut('competition.delete', { competitionId: id, baseVersion: 99 }),
      mut('competition.publish', { competitionId: id, baseVersion: 99 }),
    ]) {
      const res = await pushOne(portal.url, organizer, m);
      expect(res.error?.code, m.name).toBe('competition_not_draft');
    }
    expect((await get(id, null)).json.record.nameRu).toBe('Тепловые сети Алматы');

    // History: created → published, with UTC times.
    const h = await call(portal.url, 'GET', `/api/competitions/${id}/history`);
    const statuses = h.json.entries.filter((e: { toStatus: string | null }) => e.toStatus).map((e: { toStatus: string }) => e.toStatus);
    expect(statuses[0]).toBe('draft');
    expect(statuses.at(-1)).toBe('published');
  });

  it('publication with the start reached goes straight to discussion (lot published); an end already passed is an error', async () => {
    const file = await upload(portal.url, organizer);
    const { mutations, id, method } = await validCompetition(portal.url, file, { start: isoIn(-60_000), end: isoIn((method0Days + 2) * day) });
    await pushOk(portal.url, organizer, mutations);
    const [pub] = await pushOk(portal.url, organizer, [mut('competition.publish', { competitionId: id, baseVersion: 0 })]);
    expect(pub!.result.status).toBe('discussion');
    expect((await get(id, null)).json.record).toMatchObject({ status: 'discussion', lotStatus: 'published' });
    expect(method.minDiscussionDays).toBe(method0Days);

    const past = await validCompetition(portal.url, file, { start: isoIn(-(method0Days + 5) * day), end: isoIn(-day) });
    await pushOk(portal.url, organizer, past.mutations);
    const res = await pushOne(portal.url, organizer, mut('competition.publish', { competitionId: past.id, baseVersion: 0 }));
    expect(res.error).toMatchObject({ code: 'validation_failed', details: { fields: { discussionEnd: 'end_passed' } } });
    expect((await get(past.id, organizer)).json.record.status).toBe('draft');
  });

  it('the minimum interval of the method is enforced by the portal (one day short → interval_too_short)', async () => {
    const file = await upload(portal.url, organizer);
    const start = isoIn(3 * day);
    const { mutations, id } = await validCompetition(portal.url, file, { start, end: isoIn((method0Days - 1) * day, Date.parse(start)) });
    await pushOk(portal.url, organizer, mutations);
    const res = await pushOne(portal.url, organizer, mut('competition.publish', { competitionId: id, baseVersion: 0 }));
    expect(res.error).toMatchObject({ code: 'validation_failed', details: { fields: { discussionEnd: 'interval_too_short' } } });
  });

  it('a regulation file needs the same user\'s completed upload; it downloads through the competition only for those who may see it', async () => {
    const bytes = Buffer.from(`%PDF-1.4\n% only-mine ${uuid()}\n%%EOF\n`, 'latin1');
    const file = await upload(portal.url, organizer, bytes, 'Ереже.pdf');
    const { mutations, id } = await validCompetition(portal.url, file);
    await pushOk(portal.url, organizer, mutations.slice(0, 1));
    // The secretary knows the hash but never uploaded the bytes.
    await pushOk(portal.url, organizer, [mut('competition.setSecretaries', { competitionId: id, secretaryIds: [demoId('user', 'secretary')], baseVersion: 1 })]);
    const stolen = await pushOne(portal.url, secretary, mut('competition.saveRegulation', { competitionId: id, baseVersion: 2, regulation: { id: uuid(), nameRu: 'Р', nameKk: 'Р', file } }));
    expect(stolen.error?.code).toBe('not_found');
    const regId = uuid();
    await pushOk(portal.url, organizer, [mut('competition.saveRegulation', { competitionId: id, baseVersion: 2, regulation: { id: regId, nameRu: 'Р', nameKk: 'Р', file } })]);
    const rec = (await get(id, organizer)).json.record;
    const attachmentId = rec.regulations[0].attachmentId as string;
    expect(attachmentId).toBeTruthy();
    const dl = await call(portal.url, 'GET', `/api/attachments/${attachmentId}/content`, { token: otherOrganizer.token });
    expect(dl.status).toBe(200);
    expect(dl.bytes.equals(bytes)).toBe(true);
    expect((await call(portal.url, 'GET', `/api/attachments/${attachmentId}/content`, { token: stateHead })).status).toBe(404);
  });

  it('replacing a regulation\'s file re-attaches it (the old attachment goes); deleting the regulation removes its attachment', async () => {
    const a = await upload(portal.url, organizer, Buffer.from(`%PDF-1.4\n% A ${uuid()}\n%%EOF\n`, 'latin1'), 'A.pdf');
    const bBytes = Buffer.from(`%PDF-1.4\n% B ${uuid()}\n%%EOF\n`, 'latin1');
    const b = await upload(portal.url, organizer, bBytes, 'B.pdf');
    const { mutations, id } = await validCompetition(portal.url, a);
    await pushOk(portal.url, organizer, mutations.slice(0, 1));
    const regId = uuid();
    const save = (file: typeof a | null, baseVersion: number) => mut('competition.saveRegulation', { competitionId: id, baseVersion, regulation: { id: regId, nameRu: 'Р', nameKk: 'Р', file } });
    await pushOk(portal.url, organizer, [save(a, 1)]);
    const first = (await get(id, organizer)).json.record.regulations[0].attachmentId as string;
    await pushOk(portal.url, organizer, [save(a, 2)]); // same bytes: the same attachment
    expect((await get(id, organizer)).json.record.regulations[0].attachmentId).toBe(first);
    await pushOk(portal.url, organizer, [save(b, 3)]);
    const rec = (await get(id, organizer)).json.record;
    expect(rec.regulations[0]).toMatchObject({ file: { name: 'B.pdf', sha256: b.sha256 } });
    expect(rec.regulations[0].attachmentId).not.toBe(first);
    expect((await call(portal.url, 'GET', `/api/attachments/${first}/content`, { token: organizer })).status).toBe(404);
    expect((await call(portal.url, 'GET', `/api/attachments/${rec.regulations[0].attachmentId}/content`, { token: organizer })).bytes.equals(bBytes)).toBe(true);
    await pushOk(portal.url, organizer, [mut('competition.removeRegulation', { competitionId: id, regulationId: regId, baseVersion: 4 })]);
    const left = await portal.db.selectFrom('attachments').select('id').where('record_type', '=', 'competition').where('record_id', '=', id).execute();
    expect(left).toEqual([]);
  });

  it('only drafts are deleted; the deletion reaches the organization\'s caches as a tombstone', async () => {
    const file = await upload(portal.url, organizer);
    const { mutations, id } = await validCompetition(portal.url, file);
    await pushOk(portal.url, organizer, mutations.slice(0, 1));
    await pushOk(portal.url, organizer, [mut('competition.delete', { competitionId: id, baseVersion: 1 })]);
    expect((await get(id, organizer)).status).toBe(404);
    const feed = await pullAll(portal.url, otherOrganizer.token);
    expect(feed.changes.filter((c) => c.entityId === id).map((c) => c.op)).toEqual(['delete']);
  });
});

describe('two secretaries edit the same draft', () => {
  it('the later stale edit of the same field gets conflict naming who changed it; edits of other fields and own queued edits pass', async () => {
    const second = await addUser(portal.db, portal.url, { roles: ['secretary'], name: 'Екінші Хатшы' });
    const file = await upload(portal.url, organizer);
    const { mutations, id } = await validCompetition(portal.url, file);
    await pushOk(portal.url, organizer, mutations.slice(0, 1));
    await pushOk(portal.url, organizer, [mut('competition.setSecretaries', { competitionId: id, secretaryIds: [demoId('user', 'secretary'), second.id], baseVersion: 1 })]);
    // Both saw version 2.
    const first = await pushOne(portal.url, secretary, mut('competition.setField', { competitionId: id, field: 'lot.summary', value: 'Бірінші хатшының мәтіні', baseVersion: 2 }));
    expect(first.status).toBe('applied');
    const stale = await pushOne(portal.url, second.token, mut('competition.setField', { competitionId: id, field: 'lot.summary', value: 'Екінші хатшының мәтіні', baseVersion: 2 }));
    expect(stale.status).toBe('rejected');
    expect(stale.error).toMatchObject({ code: 'conflict', details: { field: 'lot.summary', changedBy: 'Иванова Мария Петровна', changedByUserId: demoId('user', 'secretary') } });
    expect((await get(id, organizer)).json.record.lot.summary).toBe('Бірінші хатшының мәтіні');
    // Another field on the same stale base is fine; and the first secretary's own queued edits do not collide.
    expect((await pushOne(portal.url, second.token, mut('competition.setField', { competitionId: id, field: 'lot.goals', value: 'Мақсат', baseVersion: 2 }))).status).toBe('applied');
    expect((await pushOne(portal.url, secretary, mut('competition.setField', { competitionId: id, field: 'lot.summary', value: 'Тағы да', baseVersion: 2 }))).status).toBe('applied');
    // An outsider's stale edit learns nothing: not_found, as for a draft that does not exist — never a
    // conflict naming the editor, the field and the version.
    for (const outsider of [stateHead, otherOrganizer.token]) {
      const probe = await pushOne(portal.url, outsider, mut('competition.setField', { competitionId: id, field: 'lot.summary', value: 'Сырттан', baseVersion: 2 }));
      expect(probe.status).toBe('rejected');
      expect(probe.error?.code).toBe(outsider === stateHead ? 'not_found' : 'forbidden');
      expect(JSON.stringify(probe.error)).not.toContain('Иванова');
    }
    // Publishing on a view older than someone else's change is a conflict too.
    const pub = await pushOne(portal.url, organizer, mut('competition.publish', { competitionId: id, baseVersion: 2 }));
    expect(pub.error?.code).toBe('conflict');
  });
});

const method0Days = 15;
