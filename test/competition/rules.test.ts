/**
 * The shared competition rules (src-shared/competition/rules.ts): every
 * validation of the wizard, the status machine, both publication outcomes
 * and the minimum interval in Almaty calendar days.
 */
import { describe, expect, it } from 'vitest';
import { isValidIinBin } from '../../src-shared/domain/identity';
import { COMPETITION_STATUSES, MAX_TEXT, emptyLot, emptyPartner, writeField, type CompetitionRecord } from '../../src-shared/competition/model';
import {
  almatyCalendarDays, canCreateCompetition, canDeleteCompetition, canEditCompetition, canSeeCompetition, canTransition, checkDiscussion, checkForPublication,
  checkGeneral, checkInitiator, checkLot, checkPartner, checkPartnerBin, checkRegulations, lotStatusFor, publicationOutcome,
} from '../../src-shared/competition/rules';
import { competitionMutations, type CompetitionState } from '../../src-shared/competition/mutations';
import type { AppErrorShape } from '../../src-shared/rpc/errors';

const checkOf = (name: keyof typeof competitionMutations) => competitionMutations[name].check as (s: CompetitionState, a: unknown) => AppErrorShape | null;

const ORG = '0190a000-0000-7000-8000-000000000001';
const OTHER = '0190a000-0000-7000-8000-000000000002';
const CREATOR = '0190a000-0000-7000-8000-0000000000c1';
const SECRETARY = '0190a000-0000-7000-8000-0000000000c2';
const COLLEAGUE = '0190a000-0000-7000-8000-0000000000c3';
const BIN = '120640000114';
const badBin = BIN.slice(0, 11) + String((Number(BIN[11]) + 1) % 10);

export function sample(over: Partial<CompetitionRecord> = {}): CompetitionRecord {
  return {
    competitionId: '0190a000-0000-7000-8000-0000000000aa', organizationId: ORG, createdBy: CREATOR, secretaryIds: [SECRETARY], number: null,
    status: 'draft', lotStatus: 'draft',
    method: { id: '0190a000-0000-7000-8000-0000000000ee', code: 'direct_negotiations', name: { kk: 'Тікелей келіссөздер', ru: 'Прямые переговоры', en: 'Direct negotiations' }, minDiscussionDays: 15 },
    nameKk: 'Атауы', nameRu: 'Название', nameEn: '',
    lot: { nameKk: 'Лот', nameRu: 'Лот', nameEn: '', summary: 'С', goals: 'М', parameters: 'П', criteria: 'К', timeline: 'Т', saved: true },
    partner: { contact: 'Байланыс', bin: BIN, organizationId: OTHER, organizationName: 'Энергетика', representativeUserId: COLLEAGUE, representativeName: 'Басшы' },
    initiators: [{ id: '0190a000-0000-7000-8000-0000000000b1', userId: COLLEAGUE, userName: 'И', partnerIinBin: '181040000334', representative: '', position: '', phone: '', email: '' }],
    regulations: [{ id: '0190a000-0000-7000-8000-0000000000b2', nameRu: 'Регламент', nameKk: 'Регламент', file: { sha256: 'a'.repeat(64), name: 'r.pdf', size: 10, contentType: 'application/pdf' }, attachmentId: null }],
    discussionStart: '2026-12-01T05:00:00.000Z', discussionEnd: '2026-12-16T05:00:00.000Z',
    publishRequested: false, publishedAt: null, createdAt: '2026-11-23T00:00:00.000Z', updatedAt: '2026-11-23T00:00:00.000Z',
    ...over,
  };
}

const actor = (userId: string, roles: ('organizer' | 'secretary' | 'head' | 'supplier')[], org = ORG) => ({ userId, memberships: [{ organizationId: org, roles }] });

describe('statuses', () => {
  it('allows exactly the SPEC §1.1 transitions', () => {
    const allowed = new Set(['draft>published', 'draft>discussion', 'published>discussion', 'published>completed', 'discussion>contract_approval', 'discussion>completed', 'contract_approval>completed']);
    for (const from of COMPETITION_STATUSES) for (const to of COMPETITION_STATUSES) expect(canTransition(from, to), `${from}>${to}`).toBe(allowed.has(`${from}>${to}`));
  });
  it('the lot is published with the competition, also when it goes straight to discussion', () => {
    expect(lotStatusFor('draft')).toBe('draft');
    expect(lotStatusFor('published')).toBe('published');
    expect(lotStatusFor('discussion')).toBe('published');
  });
  it('publication by the clock: start ahead → published; start reached → discussion; end passed → error', () => {
    const c = sample();
    expect(publicationOutcome(c, '2026-11-30T00:00:00.000Z')).toEqual({ status: 'published' });
    expect(publicationOutcome(c, '2026-12-01T05:00:00.000Z')).toEqual({ status: 'discussion' });
    expect(publicationOutcome(c, '2026-12-10T00:00:00.000Z')).toEqual({ status: 'discussion' });
    expect(publicationOutcome(c, '2026-12-16T05:00:00.000Z')).toEqual({ problem: { discussionEnd: 'end_passed' } });
    expect(publicationOutcome(sample({ discussionStart: null }), '2026-11-30T00:00:00.000Z')).toEqual({ problem: { discussionStart: 'required' } });
  });
});

describe('permissions', () => {
  const c = sample();
  it('only organizers create, in their own organization', () => {
    expect(canCreateCompetition(actor(CREATOR, ['organizer']), ORG)).toBe(true);
    expect(canCreateCompetition(actor(CREATOR, ['secretary']), ORG)).toBe(false);
    expect(canCreateCompetition(actor(CREATOR, ['supplier']), ORG)).toBe(false);
    expect(canCreateCompetition(actor(CREATOR, ['organizer'], OTHER), ORG)).toBe(false);
  });
  it('creator and named secretaries edit drafts; colleagues read; outsiders see nothing of a draft', () => {
    expect(canEditCompetition(actor(CREATOR, ['organizer']), c)).toBe(true);
    expect(canEditCompetition(actor(SECRETARY, ['secretary']), c)).toBe(true);
    expect(canEditCompetition(actor(COLLEAGUE, ['organizer']), c)).toBe(false);
    expect(canSeeCompetition(actor(COLLEAGUE, ['organizer']), c)).toBe(true);
    expect(canSeeCompetition(actor(COLLEAGUE, ['head'], OTHER), c)).toBe(false);
    expect(canSeeCompetition(null, c)).toBe(false);
    // A named secretary who left the organization no longer edits.
    expect(canEditCompetition(actor(SECRETARY, ['secretary'], OTHER), c)).toBe(false);
  });
  it('nobody edits or deletes a published competition; everyone sees it', () => {
    const p = sample({ status: 'published' });
    expect(canEditCompetition(actor(CREATOR, ['organizer']), p)).toBe(false);
    expect(canDeleteCompetition(actor(CREATOR, ['organizer']), p)).toBe(false);
    expect(canSeeCompetition(null, p)).toBe(true);
  });
  it('mutation checks answer not_found / forbidden / competition_not_draft in that order', () => {
    const def = { check: checkOf('competition.setField') };
    const args = { competitionId: c.competitionId, field: 'nameRu' as const, value: 'x', baseVersion: 1 };
    expect(def.check({ actor: actor(COLLEAGUE, ['head'], OTHER), competition: { record: c, version: 1 } }, args)?.code).toBe('not_found');
    expect(def.check({ actor: actor(COLLEAGUE, ['organizer']), competition: { record: c, version: 1 } }, args)?.code).toBe('forbidden');
    expect(def.check({ actor: actor(CREATOR, ['organizer']), competition: { record: sample({ status: 'discussion' }), version: 1 } }, args)?.code).toBe('competition_not_draft');
    expect(def.check({ actor: actor(CREATOR, ['organizer']), competition: { record: c, version: 1 } }, args)).toBeNull();
    expect(checkOf('competition.setSecretaries')({ actor: actor(SECRETARY, ['secretary']), competition: { record: c, version: 1 } }, { competitionId: c.competitionId, secretaryIds: [], baseVersion: 1 })?.code).toBe('forbidden');
  });
});

describe('step validation', () => {
  it('step 1: method, kk and ru names required, en optional, 1000 characters at most', () => {
    expect(checkGeneral({ methodId: null, nameKk: ' ', nameRu: '', nameEn: '' })).toEqual({ method: 'required', nameKk: 'required', nameRu: 'required' });
    expect(checkGeneral({ methodId: 'm', nameKk: 'a', nameRu: 'b', nameEn: '' })).toEqual({});
    expect(checkGeneral({ methodId: 'm', nameKk: 'a'.repeat(MAX_TEXT), nameRu: 'b', nameEn: 'c'.repeat(MAX_TEXT + 1) })).toEqual({ nameEn: 'too_long' });
  });
  it('step 2: every starred lot field is required and each is limited to 1000 characters', () => {
    const p = checkLot({ lot: emptyLot() });
    expect(p).toEqual({ 'lot.nameKk': 'required', 'lot.nameRu': 'required', 'lot.summary': 'required', 'lot.goals': 'required', 'lot.parameters': 'required', 'lot.criteria': 'required', 'lot.timeline': 'required' });
    expect(checkLot({ lot: { ...sample().lot, goals: 'ы'.repeat(1001), nameEn: 'x'.repeat(1001) } })).toEqual({ 'lot.goals': 'too_long', 'lot.nameEn': 'too_long' });
  });
  it('state partner: BIN filled and with a valid check digit, organization found, representative chosen, contact required', () => {
    expect(checkPartnerBin('')).toBe('required');
    expect(checkPartnerBin('12345')).toBe('invalid_bin');
    expect(checkPartnerBin(badBin)).toBe('invalid_bin');
    expect(checkPartnerBin(BIN)).toBeNull();
    expect(checkPartner({ partner: emptyPartner() })).toEqual({ 'partner.contact': 'required', 'partner.bin': 'required', 'partner.representative': 'required' });
    expect(checkPartner({ partner: { ...emptyPartner(), contact: 'c', bin: BIN } })).toEqual({ 'partner.bin': 'partner_not_found', 'partner.representative': 'required' });
    expect(checkPartner(sample())).toEqual({});
  });
  it('a different BIN forgets the organization and representative found for the old one', () => {
    const c = writeField(sample(), 'partner.bin', '130540000221');
    expect(c.partner).toMatchObject({ bin: '130540000221', organizationId: null, representativeUserId: null });
    expect(writeField(sample(), 'partner.bin', BIN).partner.organizationId).toBe(OTHER);
  });
  it('initiator: IIN/BIN required with a check digit; phone and e-mail formats when filled', () => {
    const base = sample().initiators[0]!;
    expect(checkInitiator(base)).toEqual({});
    expect(isValidIinBin('181040000335')).toBe(false);
    expect(checkInitiator({ ...base, partnerIinBin: '' })).toEqual({ partnerIinBin: 'required' });
    expect(checkInitiator({ ...base, partnerIinBin: '181040000335' })).toEqual({ partnerIinBin: 'invalid_iin_bin' });
    expect(checkInitiator({ ...base, phone: 'abc', email: 'not-an-email' })).toEqual({ phone: 'invalid_phone', email: 'invalid_email' });
    expect(checkInitiator({ ...base, phone: '+7 (701) 234-56-78', email: 'a.b@mail.kz' })).toEqual({});
    expect(checkInitiator({ ...base, position: 'x'.repeat(1001) })).toEqual({ position: 'too_long' });
  });
  it('regulations: at least one, both names, each with its file', () => {
    expect(checkRegulations({ regulations: [] })).toEqual({ regulations: 'no_regulation' });
    const r = sample().regulations[0]!;
    expect(checkRegulations({ regulations: [{ ...r, file: null }, { ...r, nameKk: '' }] })).toEqual({ 'regulations.0.file': 'file_missing', 'regulations.1.nameKk': 'required' });
    expect(checkRegulations(sample())).toEqual({});
  });
});

describe('discussion interval', () => {
  it('counts calendar days in Asia/Almaty (UTC+5), not 24-hour periods in UTC', () => {
    // 2026-12-01 23:30 Almaty = 18:30Z; 2026-12-02 00:30 Almaty = 19:30Z: one calendar day apart, one hour of time.
    expect(almatyCalendarDays('2026-12-01T18:30:00.000Z', '2026-12-01T19:30:00.000Z')).toBe(1);
    expect(almatyCalendarDays('2026-12-01T05:00:00.000Z', '2026-12-16T04:00:00.000Z')).toBe(15);
  });
  it('end − start must reach the method\'s minimum; end before start and missing dates are named', () => {
    expect(checkDiscussion(sample(), 15)).toEqual({});
    expect(checkDiscussion({ discussionStart: '2026-12-01T05:00:00.000Z', discussionEnd: '2026-12-15T18:59:00.000Z' }, 15)).toEqual({ discussionEnd: 'interval_too_short' });
    expect(checkDiscussion({ discussionStart: '2026-12-01T05:00:00.000Z', discussionEnd: '2026-12-15T19:00:00.000Z' }, 15)).toEqual({});
    expect(checkDiscussion({ discussionStart: '2026-12-01T05:00:00.000Z', discussionEnd: '2026-12-01T04:00:00.000Z' }, 0)).toEqual({ discussionEnd: 'end_before_start' });
    expect(checkDiscussion({ discussionStart: null, discussionEnd: null }, 15)).toEqual({ discussionStart: 'required', discussionEnd: 'required' });
  });
  it('the whole competition for publication collects every problem with its path', () => {
    expect(checkForPublication(sample())).toEqual({});
    const p = checkForPublication(sample({ nameRu: '', regulations: [], lot: { ...sample().lot, saved: false }, discussionEnd: '2026-12-05T05:00:00.000Z' }));
    expect(p).toEqual({ nameRu: 'required', regulations: 'no_regulation', lot: 'lot_not_saved', discussionEnd: 'interval_too_short' });
  });
});
