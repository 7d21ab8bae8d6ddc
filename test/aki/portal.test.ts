/**
 * Portal side of AKI through the real sync push and REST routes: the flow,
 * one open application per organization and category, revision locks,
 * template versioning while the customer edits, two reviewers at once, and
 * the audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AKI_APPLICATION, AKI_REVIEW, akiCategoryScope } from '../../src-shared/aki/records';
import { DEMO_TEMPLATE } from '../../src-portal/seed/demo-data';
import {
  CAT, CAT2, CUS_ORG, PDF, SUP_ORG, call, createDraft, fullAnswers, mut, one, pullAll, push, signIn, startTestPortal, upload, uuid, version,
} from './helpers';

let portal: Awaited<ReturnType<typeof startTestPortal>>;
let supplier: string; let head: string; let customer: string; let other: string; let organizer: string;

beforeAll(async () => {
  portal = await startTestPortal();
  [supplier, head, customer, other, organizer] = (await Promise.all(['supplier', 'supplier1Head', 'customer', 'supplier2Head', 'organizer'].map((k) => signIn(portal.url, k)))) as [string, string, string, string, string];
});
afterAll(async () => portal?.cleanup());

async function submitted(cat = CAT, token = supplier) {
  const { applicationId, r } = await createDraft(portal.url, token, { cat });
  expect(r.status).toBe('applied');
  const file = await upload(portal.url, token, PDF, 'cert.pdf');
  const s = await one(portal.url, token, 'aki.save', { applicationId, baseVersion: 1, templateVersion: 1, email: 'sup@dala.kz', phone: '+7 701 111 22 33', comment: '', answers: fullAnswers(file) });
  expect(s.status, JSON.stringify(s.error)).toBe('applied');
  const p = await one(portal.url, token, 'aki.publish', { applicationId, templateVersion: 1 });
  expect(p.status, JSON.stringify(p.error)).toBe('applied');
  return applicationId;
}
const decide = (token: string, applicationId: string, baseVersion: number, decision: string, reason = '', requirementKeys: string[] = []) =>
  one(portal.url, token, 'aki.decide', { applicationId, baseVersion, decision, reason, requirementKeys });

describe('AKI on the portal', () => {
  it('flow: draft → under_review (IDs from the portal) → revision (only flagged answers change) → under_review → approved; audited', async () => {
    const applicationId = await submitted();
    let a = await call(portal.url, 'GET', `/api/aki/applications/${applicationId}`, { token: supplier });
    expect(a.json.record.status).toBe('under_review');
    expect(a.json.record.number).toMatch(/^AKI-\d{6}$/);
    expect(a.json.record.answers.registration_certificate.contentType).toBe('application/pdf');
    // Read-only once under review.
    const late = await one(portal.url, supplier, 'aki.save', { applicationId, baseVersion: a.json.version, templateVersion: 1, email: 'x@y.kz', phone: '+7 701 111 22 33', comment: '', answers: {} });
    expect(late.error?.code).toBe('invalid_transition');

    // The customer reads it through the category scope, and returns it.
    const feed = await pullAll(portal.url, customer);
    expect(feed.scopes).toContain(akiCategoryScope(CAT));
    expect(feed.changes.some((c) => c.entityType === AKI_REVIEW && c.entityId === applicationId)).toBe(true);
    const ret = await decide(customer, applicationId, a.json.version, 'revision', 'Қызметкерлер санын нақтылаңыз', ['employees']);
    expect(ret.status, JSON.stringify(ret.error)).toBe('applied');

    a = await call(portal.url, 'GET', `/api/aki/applications/${applicationId}`, { token: supplier });
    expect(a.json.record).toMatchObject({ status: 'revision', revision: { reason: 'Қызметкерлер санын нақтылаңыз', keys: ['employees'] } });
    const base = { applicationId, baseVersion: a.json.version, templateVersion: 1, email: 'sup@dala.kz', phone: '+7 701 111 22 33', comment: '' };
    // An API client changing an unflagged answer is refused, whatever it sends.
    const bad = await one(portal.url, supplier, 'aki.save', { ...base, answers: { ...a.json.record.answers, vat_payer: 'no', employees: 40 } });
    expect(bad.error).toMatchObject({ code: 'aki_locked_field', details: { fields: ['vat_payer'] } });
    const badContact = await one(portal.url, supplier, 'aki.save', { ...base, email: 'new@dala.kz', answers: { ...a.json.record.answers, employees: 40 } });
    expect(badContact.error).toMatchObject({ code: 'aki_locked_field', details: { fields: ['email'] } });
    const good = await one(portal.url, supplier, 'aki.save', { ...base, answers: { ...a.json.record.answers, employees: 40 } });
    expect(good.status, JSON.stringify(good.error)).toBe('applied');
    expect((await one(portal.url, supplier, 'aki.publish', { applicationId, templateVersion: 1 })).status).toBe('applied');

    const v = await version(portal.url, supplier, applicationId);
    expect((await decide(customer, applicationId, v, 'approve')).status).toBe('applied');
    a = await call(portal.url, 'GET', `/api/aki/applications/${applicationId}`, { token: supplier });
    expect(a.json.record).toMatchObject({ status: 'approved', answers: { employees: 40, vat_payer: 'yes' } });

    const audit = await call(portal.url, 'GET', `/api/aki/applications/${applicationId}/audit`, { token: customer });
    const steps = audit.json.entries.filter((e: { fromStatus: string | null; toStatus: string | null }) => e.toStatus).map((e: { fromStatus: string; toStatus: string }) => `${e.fromStatus ?? ''}>${e.toStatus}`);
    expect(steps).toEqual(['>draft', 'draft>published', 'published>under_review', 'under_review>revision', 'revision>published', 'published>under_review', 'under_review>approved']);
    const decisions = audit.json.entries.filter((e: { action: string }) => ['aki.returned', 'aki.approved'].includes(e.action));
    expect(decisions.every((e: { actorUserId: string }) => e.actorUserId === demoCustomerId())).toBe(true);
  });

  it('isolation: another supplier organization and users without the customer role see nothing (REST, audit, list, feed); drafts stay hidden from the customer', async () => {
    const applicationId = await submitted(CAT2);
    // A draft of the same organization in another category (the first test's application there was approved).
    const { applicationId: draft, r: drafted } = await createDraft(portal.url, head, { cat: CAT });
    expect(drafted.status).toBe('applied');
    for (const [who, token] of [['other supplier', other], ['organizer', organizer]] as const) {
      for (const id of [applicationId, draft]) {
        expect((await call(portal.url, 'GET', `/api/aki/applications/${id}`, { token })).status, who).toBe(404);
        expect((await call(portal.url, 'GET', `/api/aki/applications/${id}/audit`, { token })).status, who).toBe(404);
      }
      for (const as of ['supplier', 'customer']) {
        const list = await call(portal.url, 'GET', '/api/aki/applications', { token, query: { as } });
        expect(list.json.applications.map((x: { record: { applicationId: string } }) => x.record.applicationId), who).not.toContain(applicationId);
      }
      const feed = await pullAll(portal.url, token);
      expect(feed.changes.some((c) => c.entityId === applicationId || c.entityId === draft), who).toBe(false);
      expect(feed.scopes.some((sc) => sc.startsWith('aki-category:')), who).toBe(false);
    }
    // Files: the supplier's members and the category's customer list and download them; nobody else.
    const files = await call(portal.url, 'GET', `/api/records/aki_application/${applicationId}/attachments`, { token: customer });
    expect(files.status).toBe(200);
    expect(files.json.attachments).toHaveLength(1);
    const attachmentId = files.json.attachments[0].id as string;
    const bytes = await call(portal.url, 'GET', `/api/attachments/${attachmentId}/content`, { token: customer });
    expect(bytes.status).toBe(200);
    expect(bytes.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await call(portal.url, 'GET', `/api/records/aki_application/${applicationId}/attachments`, { token: head })).status).toBe(200);
    for (const token of [other, organizer]) {
      expect((await call(portal.url, 'GET', `/api/records/aki_application/${applicationId}/attachments`, { token })).status).toBe(404);
      expect((await call(portal.url, 'GET', `/api/attachments/${attachmentId}/content`, { token })).status).toBe(404);
    }
    expect((await call(portal.url, 'GET', `/api/records/aki_application/${draft}/attachments`, { token: customer })).status).toBe(404);
    // Attaching through the generic route is closed: answer files go through aki.save.
    expect((await call(portal.url, 'POST', '/api/attachments', { token: supplier, body: { recordType: 'aki_application', recordId: applicationId, sha256: files.json.attachments[0].sha256, name: 'x.pdf' } })).status).toBe(403);

    // The customer sees the submitted one, never the draft.
    expect((await call(portal.url, 'GET', `/api/aki/applications/${draft}`, { token: customer })).status).toBe(404);
    const cfeed = await pullAll(portal.url, customer);
    expect(cfeed.changes.some((c) => c.entityId === draft)).toBe(false);
    expect(cfeed.changes.some((c) => c.entityType === AKI_APPLICATION)).toBe(false);
    const clist = await call(portal.url, 'GET', '/api/aki/applications', { token: customer, query: { as: 'customer' } });
    expect(clist.json.applications.map((x: { record: { applicationId: string } }) => x.record.applicationId)).toContain(applicationId);
    expect(clist.json.applications.every((x: { record: { status: string } }) => x.record.status !== 'draft')).toBe(true);
    // The customer cannot act as the supplier, nor the supplier as the customer.
    expect((await one(portal.url, customer, 'aki.delete', { applicationId: draft, baseVersion: 1 })).error?.code).toBe('not_found');
    expect((await decide(supplier, applicationId, await version(portal.url, supplier, applicationId), 'approve')).error?.code).toBe('forbidden');
    expect((await decide(other, applicationId, 2, 'approve')).error?.code).toBe('not_found');
    expect((await decide(organizer, applicationId, 2, 'approve')).error?.code).toBe('not_found');
    // While it is open no second one; once rejected, a new application in the same category is allowed.
    expect((await createDraft(portal.url, supplier, { cat: CAT2 })).r.error?.code).toBe('aki_open_exists');
    expect((await decide(customer, applicationId, await version(portal.url, customer, applicationId), 'reject', 'Құжаттар толық емес')).status).toBe('applied');
    const again = await createDraft(portal.url, supplier, { cat: CAT2 });
    expect(again.r.status).toBe('applied');
    expect((await one(portal.url, supplier, 'aki.delete', { applicationId: again.applicationId, baseVersion: 1 })).status).toBe('applied');
  });

  it('two reviewers at once: the second gets conflict naming who decided', async () => {
    const applicationId = await submitted(CAT2);
    const v = await version(portal.url, customer, applicationId);
    const [r1, r2] = await Promise.all([decide(customer, applicationId, v, 'approve'), decide(customer, applicationId, v, 'reject', 'late')]);
    const outcomes = [r1.status, r2.status].sort();
    expect(outcomes).toEqual(['applied', 'rejected']);
    const loser = r1.status === 'rejected' ? r1 : r2;
    expect(loser.error?.code).toBe('conflict');
    expect(loser.error?.details?.changedBy).toBe('Бекова Салтанат Ерланқызы');
  });

  it('one open application per supplier organization and category, also when two employees create offline', async () => {
    const cat = demoId('aki_category', 'equipment_repair');
    const a = { applicationId: uuid(), organizationId: SUP_ORG, categoryId: cat, templateVersion: 1, createdAt: new Date().toISOString() };
    const b = { ...a, applicationId: uuid() };
    const [ra, rb] = await Promise.all([push(portal.url, supplier, [mut('aki.create', a)]), push(portal.url, head, [mut('aki.create', b)])]);
    const results = [ra.json.results[0], rb.json.results[0]];
    expect(results.map((r) => r.status).sort()).toEqual(['applied', 'rejected']);
    expect(results.find((r) => r.status === 'rejected').error.code).toBe('aki_open_exists');
  });

  it('template versions while the customer edits: draft must move on; submitted and revision keep their version', async () => {
    const cat = demoId('aki_category', 'transport');
    // (b) an application already under review, (c) one that will be in revision.
    const underReview = await submitted(cat);
    const v1 = await version(portal.url, customer, underReview);
    // (a) a draft of another organization in the same category, prepared against version 1.
    const other = await signIn(portal.url, 'supplier2Head');
    const { applicationId: draft } = await createDraft(portal.url, other, { cat, org: (await import('./helpers')).SUP2_ORG });
    const file = await upload(portal.url, other, PDF, 'c.pdf');
    const content = { email: 'm@metal.kz', phone: '+7 702 000 00 00', comment: '', answers: fullAnswers(file) };
    expect((await one(portal.url, other, 'aki.save', { applicationId: draft, baseVersion: 1, templateVersion: 1, ...content })).status).toBe('applied');

    // The customer publishes version 2: «experience» is gone, a new required number appears.
    const t2 = { requirements: [...DEMO_TEMPLATE.requirements.filter((r) => r.key !== 'experience'), { type: 'number', key: 'turnover', label: { kk: 'Айналым', ru: 'Оборот', en: 'Turnover' }, required: true, min: 0, unit: 'KZT' }] };
    const saved = await one(portal.url, customer, 'aki.template.save', { categoryId: cat, baseTemplateVersion: 1, template: t2 });
    expect(saved.status, JSON.stringify(saved.error)).toBe('applied');
    // A stale editor gets conflict.
    expect((await one(portal.url, customer, 'aki.template.save', { categoryId: cat, baseTemplateVersion: 1, template: t2 })).error?.code).toBe('conflict');

    // (a) Publish made (e.g. offline) against version 1: a stated outcome, nothing published.
    const stale = await one(portal.url, other, 'aki.publish', { applicationId: draft, templateVersion: 1 });
    expect(stale.error).toMatchObject({ code: 'template_changed', details: { pinnedVersion: 1, currentVersion: 2 } });
    // Moved to version 2 with the carried-over answers and the new one: published.
    const moved = { ...content.answers, turnover: 1000 } as Record<string, unknown>;
    delete moved.experience;
    expect((await one(portal.url, other, 'aki.save', { applicationId: draft, baseVersion: 2, templateVersion: 2, ...content, answers: moved })).status).toBe('applied');
    const pub = await one(portal.url, other, 'aki.publish', { applicationId: draft, templateVersion: 2 });
    expect(pub.status, JSON.stringify(pub.error)).toBe('applied');

    // (b) The submitted one is still pinned to version 1.
    expect((await call(portal.url, 'GET', `/api/aki/applications/${underReview}`, { token: supplier })).json.record.templateVersion).toBe(1);
    // (c) Returned for revision after the change: stays on version 1, cannot move to 2, republishes on 1.
    expect((await decide(customer, underReview, v1, 'revision', 'Файлды ауыстырыңыз', ['registration_certificate'])).status).toBe('applied');
    const r = (await call(portal.url, 'GET', `/api/aki/applications/${underReview}`, { token: supplier })).json;
    const base = { applicationId: underReview, baseVersion: r.version, email: r.record.email, phone: r.record.phone, comment: '', answers: r.record.answers };
    expect((await one(portal.url, supplier, 'aki.save', { ...base, templateVersion: 2 })).error?.code).toBe('template_changed');
    expect((await one(portal.url, supplier, 'aki.publish', { applicationId: underReview, templateVersion: 1 })).status).toBe('applied');
  });

  it('category groups and categories: a customer creates them (owned by its organization), nobody else can; codes are unique', async () => {
    const groupId = uuid();
    const categoryId = uuid();
    const args = { categoryId, organizationId: CUS_ORG, groupId, newGroup: { code: 'chemicals', name: { kk: 'Химия', ru: 'Химия', en: 'Chemicals' } }, code: 'reagents', name: { kk: 'Реагенттер', ru: 'Реагенты', en: 'Reagents' } };
    expect((await one(portal.url, supplier, 'aki.category.create', { ...args, organizationId: SUP_ORG })).error?.code).toBe('forbidden');
    expect((await one(portal.url, head, 'aki.category.create', args)).error?.code).toBe('forbidden');
    const made = await one(portal.url, customer, 'aki.category.create', args);
    expect(made.status, JSON.stringify(made.error)).toBe('applied');
    expect((await one(portal.url, customer, 'aki.category.create', { ...args, categoryId: uuid(), groupId: uuid() })).error?.code).toBe('conflict');
    expect((await one(portal.url, customer, 'aki.category.create', { categoryId: uuid(), organizationId: CUS_ORG, groupId, code: 'reagents', name: args.name })).error).toMatchObject({ code: 'conflict', details: { field: 'code' } });
    const groups = (await call(portal.url, 'GET', '/api/reference/aki-groups')).json.groups as { code: string; categories: { id: string; requirementsVersion: number }[] }[];
    expect(groups.find((g) => g.code === 'chemicals')?.categories.map((c) => c.id)).toEqual([categoryId]);
    // The customer now reads the new category's scope; a supplier can apply to it.
    expect((await pullAll(portal.url, customer)).scopes).toContain(akiCategoryScope(categoryId));
    expect((await createDraft(portal.url, supplier, { cat: categoryId })).r.status).toBe('applied');
  });

  it('publication is validated by the portal, with per-field details; files need proof of possession and a matching detected type', async () => {
    const cat = CAT2;
    const metal = await signIn(portal.url, 'supplier2Head');
    const { applicationId } = await createDraft(portal.url, metal, { cat, org: (await import('./helpers')).SUP2_ORG });
    const empty = await one(portal.url, metal, 'aki.publish', { applicationId, templateVersion: 1 });
    expect(empty.error?.code).toBe('validation_failed');
    expect(empty.error?.details.issues.map((i: { field: string }) => i.field).sort()).toEqual(['email', 'employees', 'license_valid_until', 'phone', 'registration_certificate', 'vat_payer']);
    // Someone else's upload is no proof.
    const theirs = await upload(portal.url, supplier, Buffer.concat([PDF, Buffer.from('x')]), 'x.pdf');
    const noProof = await one(portal.url, metal, 'aki.save', { applicationId, baseVersion: 1, templateVersion: 1, email: '', phone: '', comment: '', answers: { registration_certificate: theirs } });
    expect(noProof.error?.code).toBe('not_found');
    // A PNG claimed as PDF: the detected type decides.
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)]);
    const ref = { ...(await upload(portal.url, metal, png, 'fake.pdf')), contentType: 'application/pdf' };
    const wrongType = await one(portal.url, metal, 'aki.save', { applicationId, baseVersion: 1, templateVersion: 1, email: '', phone: '', comment: '', answers: { registration_certificate: ref } });
    expect(wrongType.error).toMatchObject({ code: 'validation_failed', details: { issues: [{ field: 'registration_certificate', code: 'file_type_not_allowed' }] } });
  });
});

import { demoId } from './helpers';
const demoCustomerId = () => demoId('user', 'customer');
void CUS_ORG;
