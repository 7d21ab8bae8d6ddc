/** Shared AKI rules: every requirement type's validation and every status transition (app and portal run these). */
import { describe, expect, it } from 'vitest';
import { AKI_STATUSES, canTransition, type AkiStatus } from '../../src-shared/aki/status';
import { AkiTemplateSchema, type AkiTemplate } from '../../src-shared/aki/template';
import { addDays, carryOverAnswers, changedKeys, checkAnswer, validateApplication, type Answers } from '../../src-shared/aki/answers';
import { akiMutations, lockedChanges, type AkiState } from '../../src-shared/aki/mutations';
import type { AkiApplicationRecord } from '../../src-shared/aki/records';

const L = (s: string) => ({ kk: s, ru: s, en: s });
const template: AkiTemplate = AkiTemplateSchema.parse({
  requirements: [
    { type: 'heading', key: 'intro', label: L('Intro') },
    { type: 'file', key: 'charter', label: L('Charter'), required: true, accept: ['pdf'], maxSizeBytes: 1000, signed: true, pdfA: true, maxAgeDays: 30, signerMustBeSupplier: true },
    { type: 'select', key: 'vat', label: L('VAT'), required: true, options: [{ value: 'yes', label: L('Yes') }, { value: 'no', label: L('No') }] },
    { type: 'select', key: 'regions', label: L('Regions'), multiple: true, options: [{ value: 'a', label: L('A') }, { value: 'b', label: L('B') }] },
    { type: 'number', key: 'staff', label: L('Staff'), required: true, min: 1, max: 500, unit: 'people' },
    { type: 'text', key: 'exp', label: L('Experience'), maxLength: 10 },
    { type: 'date', key: 'extract', label: L('Extract date'), required: true, notBefore: '2020-01-01', notAfter: '2030-12-31', notOlderThanDays: 30 },
  ],
});
const req = (key: string) => {
  const r = template.requirements.find((q) => q.key === key)!;
  if (r.type === 'heading') throw new Error('heading');
  return r;
};
const TODAY = '2026-11-23';
const pdf = { sha256: 'a'.repeat(64), name: 'c.pdf', size: 900, contentType: 'application/pdf' };

describe('requirement types', () => {
  it('template: duplicate keys, min > max and duplicate options are refused; seeded shape parses; flags kept', () => {
    expect(AkiTemplateSchema.safeParse({ requirements: [{ type: 'text', key: 'a', label: L('A') }, { type: 'text', key: 'a', label: L('B') }] }).success).toBe(false);
    expect(AkiTemplateSchema.safeParse({ requirements: [{ type: 'number', key: 'a', label: L('A'), min: 5, max: 1 }] }).success).toBe(false);
    expect(AkiTemplateSchema.safeParse({ requirements: [{ type: 'select', key: 'a', label: L('A'), options: [{ value: 'x', label: L('X') }, { value: 'x', label: L('Y') }] }] }).success).toBe(false);
    const f = req('charter');
    expect(f.type === 'file' && f.signed && f.pdfA && f.maxAgeDays === 30 && f.signerMustBeSupplier).toBe(true);
  });
  it('heading is never answered; required fields report "required" only at publication', () => {
    const issues = validateApplication(template, { email: '', phone: '', comment: '', answers: {} }, TODAY, { complete: true });
    expect(issues.map((i) => i.field).sort()).toEqual(['charter', 'email', 'extract', 'phone', 'staff', 'vat']);
    expect(issues.every((i) => i.code === 'required')).toBe(true);
    expect(validateApplication(template, { email: '', phone: '', comment: '', answers: {} }, TODAY, { complete: false })).toEqual([]);
  });
  it('file: type by content type, size limit', () => {
    expect(checkAnswer(req('charter'), pdf, TODAY)).toBeNull();
    expect(checkAnswer(req('charter'), { ...pdf, contentType: 'image/png' }, TODAY)?.code).toBe('file_type_not_allowed');
    expect(checkAnswer(req('charter'), { ...pdf, size: 1001 }, TODAY)?.code).toBe('file_too_large');
    expect(checkAnswer(req('charter'), 'x.pdf', TODAY)?.code).toBe('wrong_kind');
  });
  it('select: one option, multiple options, unknown option', () => {
    expect(checkAnswer(req('vat'), 'yes', TODAY)).toBeNull();
    expect(checkAnswer(req('vat'), 'maybe', TODAY)?.code).toBe('invalid_option');
    expect(checkAnswer(req('vat'), ['yes', 'no'], TODAY)?.code).toBe('wrong_kind');
    expect(checkAnswer(req('regions'), ['a', 'b'], TODAY)).toBeNull();
    expect(checkAnswer(req('regions'), ['a', 'z'], TODAY)?.code).toBe('invalid_option');
  });
  it('number: min, max with unit, wrong kind', () => {
    expect(checkAnswer(req('staff'), 1, TODAY)).toBeNull();
    expect(checkAnswer(req('staff'), 500, TODAY)).toBeNull();
    expect(checkAnswer(req('staff'), 0, TODAY)).toEqual({ field: 'staff', code: 'below_min', params: { min: 1, unit: 'people' } });
    expect(checkAnswer(req('staff'), 501, TODAY)?.code).toBe('above_max');
    expect(checkAnswer(req('staff'), '5', TODAY)?.code).toBe('wrong_kind');
  });
  it('text: max length counts characters (Kazakh letters are one each)', () => {
    expect(checkAnswer(req('exp'), 'ӘҒҚҢӨҰҮҺІә', TODAY)).toBeNull();
    expect(checkAnswer(req('exp'), 'ӘҒҚҢӨҰҮҺІәx', TODAY)).toEqual({ field: 'exp', code: 'too_long', params: { max: 10 } });
  });
  it('date: real dates, absolute bounds and "not older than N days" by the given clock', () => {
    expect(checkAnswer(req('extract'), '2026-02-30', TODAY)?.code).toBe('invalid_date');
    expect(checkAnswer(req('extract'), addDays(TODAY, -30), TODAY)).toBeNull();
    expect(checkAnswer(req('extract'), addDays(TODAY, -31), TODAY)).toMatchObject({ code: 'date_too_old', params: { days: 30, date: '2026-10-24' } });
    // The same date is fine by a clock 10 days earlier: the deciding clock matters.
    expect(checkAnswer(req('extract'), addDays(TODAY, -31), addDays(TODAY, -10))).toBeNull();
    expect(checkAnswer(req('extract'), '2031-01-01', '2031-01-05')?.code).toBe('date_after');
    expect(checkAnswer(req('extract'), '2019-12-31', '2020-01-02')?.code).toBe('date_before');
  });
  it('contacts: e-mail and phone validated, comment length bounded', () => {
    const issues = validateApplication(template, { email: 'nope', phone: '12', comment: 'x'.repeat(2001), answers: {} }, TODAY, { complete: false });
    expect(issues).toEqual([
      { field: 'email', code: 'invalid_email' },
      { field: 'phone', code: 'invalid_phone' },
      { field: 'comment', code: 'too_long', params: { max: 2000 } },
    ]);
  });
  it('carry-over by requirement id keeps same-type answers, drops removed or retyped ones', () => {
    const next = AkiTemplateSchema.parse({ requirements: [{ type: 'number', key: 'staff', label: L('S') }, { type: 'number', key: 'vat', label: L('V') }, { type: 'text', key: 'new', label: L('N') }] });
    expect(carryOverAnswers(template, next, { staff: 5, vat: 'yes', exp: 'x' })).toEqual({ staff: 5 });
  });
  it('changedKeys ignores key order inside file answers and empty vs missing', () => {
    const a: Answers = { charter: pdf, exp: '' };
    const b: Answers = { charter: { contentType: pdf.contentType, size: pdf.size, name: pdf.name, sha256: pdf.sha256 } };
    expect(changedKeys(a, b)).toEqual([]);
    expect(changedKeys(a, { ...b, staff: 3 })).toEqual(['staff']);
  });
});

describe('status machine', () => {
  const allowed: [AkiStatus, AkiStatus][] = [
    ['draft', 'published'], ['published', 'under_review'], ['under_review', 'revision'], ['revision', 'published'], ['under_review', 'approved'], ['under_review', 'rejected'],
  ];
  for (const from of AKI_STATUSES) {
    for (const to of AKI_STATUSES) {
      const ok = allowed.some(([f, t]) => f === from && t === to);
      it(`${from} → ${to} ${ok ? 'allowed' : 'refused'}`, () => expect(canTransition(from, to)).toBe(ok));
    }
  }
});

describe('mutation rules', () => {
  const SUP_ORG = '00000000-0000-4000-8000-000000000001';
  const CUS_ORG = '00000000-0000-4000-8000-000000000002';
  const CAT = '00000000-0000-4000-8000-000000000003';
  const APP = '00000000-0000-4000-8000-000000000004';
  const record = (over: Partial<AkiApplicationRecord> = {}): AkiApplicationRecord => ({
    applicationId: APP, number: 'AKI-1', supplierOrgId: SUP_ORG, supplierOrgName: null, categoryId: CAT, templateVersion: 1, status: 'draft',
    email: 'a@b.kz', phone: '+7 701 000 00 00', comment: '', answers: { charter: pdf, vat: 'yes', staff: 3, extract: TODAY },
    revision: null, decision: null, createdAt: '2026-11-01T00:00:00Z', createdBy: 'u', submittedAt: null, ...over,
  });
  const state = (over: Partial<AkiState> = {}, rec: AkiApplicationRecord | null = record()): AkiState => ({
    actor: [{ organizationId: SUP_ORG, roles: ['supplier'] }], actorUserId: 'u', today: TODAY,
    application: rec ? { record: rec, version: 1 } : null,
    category: { categoryId: CAT, groupId: 'g', groupCode: 'g', groupName: L('G'), code: 'c', name: L('C'), customerOrgId: CUS_ORG, templateVersion: 1 },
    templates: { 1: template }, openInCategory: [], ...over,
  });
  const customer = [{ organizationId: CUS_ORG, roles: ['customer' as const] }];

  it('create: supplier role needed; one open application per organization and category', () => {
    const args = { applicationId: APP, organizationId: SUP_ORG, categoryId: CAT, templateVersion: 1, createdAt: '2026-11-23T00:00:00Z' };
    expect(akiMutations['aki.create'].check(state({}, null), args)).toBeNull();
    expect(akiMutations['aki.create'].check(state({ actor: customer }, null), args)?.code).toBe('forbidden');
    expect(akiMutations['aki.create'].check(state({ openInCategory: ['x'] }, null), args)?.code).toBe('aki_open_exists');
  });
  it('publish: validates every required field and names each; refuses outdated template for drafts', () => {
    const pub = { applicationId: APP, templateVersion: 1 };
    expect(akiMutations['aki.publish'].check(state(), pub)).toBeNull();
    const bad = akiMutations['aki.publish'].check(state({}, record({ answers: { vat: 'maybe' }, phone: '' })), pub);
    expect(bad?.code).toBe('validation_failed');
    expect((bad?.details?.issues as { field: string }[]).map((i) => i.field).sort()).toEqual(['charter', 'extract', 'phone', 'staff', 'vat']);
    const moved = state({ category: { ...state().category!, templateVersion: 2 } });
    expect(akiMutations['aki.publish'].check(moved, pub)?.code).toBe('template_changed');
    // In revision the pinned version stands even though the category moved on.
    expect(akiMutations['aki.publish'].check({ ...moved, application: { record: record({ status: 'revision', revision: { reason: 'r', keys: ['staff'], at: '' } }), version: 3 } }, pub)).toBeNull();
    expect(akiMutations['aki.publish'].check(state({}, record({ status: 'under_review' })), pub)?.code).toBe('invalid_transition');
  });
  it('save in revision: only flagged answers may change', () => {
    const rec = record({ status: 'revision', revision: { reason: 'r', keys: ['staff'], at: '' } });
    const base = { applicationId: APP, baseVersion: 2, templateVersion: 1, email: rec.email, phone: rec.phone, comment: '', answers: rec.answers };
    expect(akiMutations['aki.save'].check(state({}, rec), { ...base, answers: { ...rec.answers, staff: 9 } })).toBeNull();
    const refused = akiMutations['aki.save'].check(state({}, rec), { ...base, answers: { ...rec.answers, vat: 'no' } });
    expect(refused).toMatchObject({ code: 'aki_locked_field', details: { fields: ['vat'] } });
    expect(lockedChanges(rec, { ...base, email: 'other@b.kz' })).toEqual(['email']);
    expect(akiMutations['aki.save'].check(state({}, record({ status: 'under_review' })), base)?.code).toBe('invalid_transition');
  });
  it('delete: drafts only, own organization only', () => {
    expect(akiMutations['aki.delete'].check(state(), { applicationId: APP, baseVersion: 1 })).toBeNull();
    expect(akiMutations['aki.delete'].check(state({}, record({ status: 'revision' })), { applicationId: APP, baseVersion: 1 })?.code).toBe('invalid_transition');
    // Another organization does not learn that the application exists; a member without the supplier role is refused.
    expect(akiMutations['aki.delete'].check(state({ actor: [{ organizationId: CUS_ORG, roles: ['supplier'] }] }), { applicationId: APP, baseVersion: 1 })?.code).toBe('not_found');
    expect(akiMutations['aki.delete'].check(state({ actor: [{ organizationId: SUP_ORG, roles: ['head'] }] }), { applicationId: APP, baseVersion: 1 })?.code).toBe('forbidden');
  });
  it('decide: the category\'s customer only, never for the own organization, reason and keys required', () => {
    const rec = record({ status: 'under_review' });
    const d = (over: object) => ({ applicationId: APP, baseVersion: 1, decision: 'approve' as const, reason: '', requirementKeys: [], ...over });
    expect(akiMutations['aki.decide'].check(state({ actor: customer }, rec), d({}))).toBeNull();
    expect(akiMutations['aki.decide'].check(state({}, rec), d({}))?.code).toBe('forbidden');
    expect(akiMutations['aki.decide'].check(state({ actor: [{ organizationId: CAT, roles: ['customer'] }] }, rec), d({}))?.code).toBe('not_found');
    expect(akiMutations['aki.decide'].check(state({ actor: [...customer, { organizationId: SUP_ORG, roles: ['head'] }] }, rec), d({}))?.code).toBe('forbidden');
    expect(akiMutations['aki.decide'].check(state({ actor: customer }, rec), d({ decision: 'reject' }))?.code).toBe('validation_failed');
    expect(akiMutations['aki.decide'].check(state({ actor: customer }, rec), d({ decision: 'revision', reason: 'fix' }))?.code).toBe('validation_failed');
    expect(akiMutations['aki.decide'].check(state({ actor: customer }, rec), d({ decision: 'revision', reason: 'fix', requirementKeys: ['nope'] }))?.code).toBe('validation_failed');
    expect(akiMutations['aki.decide'].check(state({ actor: customer }, rec), d({ decision: 'revision', reason: 'fix', requirementKeys: ['staff'] }))).toBeNull();
    expect(akiMutations['aki.decide'].check(state({ actor: customer }, record({ status: 'approved' })), d({}))?.code).toBe('invalid_transition');
  });
});
