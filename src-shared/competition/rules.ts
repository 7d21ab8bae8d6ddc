/**
 * The competition's rules, run by the app instantly and by the portal
 * authoritatively: statuses and transitions (SPEC §1.1), who may do what,
 * and the validation of every wizard step (SPEC §1.2). Problems are keyed by
 * field path with a code the UI translates under `competition.problems.*`,
 * so the app and the portal answer the same invalid data with the same codes.
 */
import { isValidBin, isValidIinBin } from '../domain/identity';
import type { MembershipView } from '../accounts/permissions';
import { almatyParts } from '../time/almaty';
import { MAX_TEXT, type CompetitionRecord, type CompetitionStatus, type Initiator, type Regulation } from './model';

// ---- statuses ---------------------------------------------------------------

const TRANSITIONS: Record<CompetitionStatus, readonly CompetitionStatus[]> = {
  draft: ['published', 'discussion'],
  published: ['discussion', 'completed'],
  discussion: ['contract_approval', 'completed'],
  contract_approval: ['completed'],
  completed: [],
};

export const canTransition = (from: CompetitionStatus, to: CompetitionStatus): boolean => TRANSITIONS[from].includes(to);

/** Lot: draft → published, also when the competition goes straight to `discussion` ([decision] SPEC §1.1). */
export const lotStatusFor = (status: CompetitionStatus): 'draft' | 'published' => (status === 'draft' ? 'draft' : 'published');

/**
 * «Жариялау» by the portal's clock: the start not reached → `published`;
 * reached (and the end still ahead) → `discussion`; the end passed → an error.
 */
export function publicationOutcome(c: Pick<CompetitionRecord, 'discussionStart' | 'discussionEnd'>, nowIso: string):
  | { status: 'published' | 'discussion' }
  | { problem: Problems } {
  const now = Date.parse(nowIso);
  const start = Date.parse(c.discussionStart ?? '');
  const end = Date.parse(c.discussionEnd ?? '');
  if (!Number.isFinite(start) || !Number.isFinite(end)) return { problem: { discussionStart: 'required' } };
  if (end <= now) return { problem: { discussionEnd: 'end_passed' } };
  return { status: start > now ? 'published' : 'discussion' };
}

// ---- permissions ------------------------------------------------------------

export interface Actor {
  userId: string;
  memberships: readonly MembershipView[];
}

const rolesIn = (a: Actor, orgId: string) => a.memberships.find((m) => m.organizationId === orgId)?.roles ?? [];

/** Only users with the Organizer role create competitions, for their own organization. */
export const canCreateCompetition = (a: Actor, organizationId: string): boolean => rolesIn(a, organizationId).includes('organizer');

/** Organizations in which the actor may create competitions. */
export const creatableOrganizations = (a: Actor): string[] => a.memberships.filter((m) => m.roles.includes('organizer')).map((m) => m.organizationId);

/** A draft is visible to its organization's members only; published ones to everybody. */
export const canSeeCompetition = (a: Actor | null, c: Pick<CompetitionRecord, 'status' | 'organizationId'>): boolean =>
  c.status !== 'draft' || (a !== null && a.memberships.some((m) => m.organizationId === c.organizationId));

/** The creator and the secretaries they named (still members of the organization) edit; other organizers only read. */
export const isEditor = (a: Actor, c: Pick<CompetitionRecord, 'createdBy' | 'secretaryIds' | 'organizationId'>): boolean =>
  a.memberships.some((m) => m.organizationId === c.organizationId) && (c.createdBy === a.userId || c.secretaryIds.includes(a.userId));

export const canEditCompetition = (a: Actor, c: CompetitionRecord): boolean => isEditor(a, c) && c.status === 'draft';

/** Only drafts are deleted. */
export const canDeleteCompetition = canEditCompetition;

/**
 * The parties a published competition concerns besides its organizer (SPEC §0, §1.3): the state
 * partner's representative, every Head of the state partner organization and every initiator
 * (later also every chat participant). They find it under "where I take part" and hear of its
 * status changes. A draft concerns nobody outside its organization yet.
 */
export const takesPart = (a: Actor, c: Pick<CompetitionRecord, 'status' | 'partner' | 'initiators'>): boolean =>
  c.status !== 'draft' &&
  (c.partner.representativeUserId === a.userId ||
    c.initiators.some((i) => i.userId === a.userId) ||
    (c.partner.organizationId !== null && rolesIn(a, c.partner.organizationId).includes('head')));

/** The parties named in the record itself (the Heads of the partner organization are looked up by whoever has the memberships). */
export const namedParties = (c: Pick<CompetitionRecord, 'partner' | 'initiators'>): string[] =>
  [...new Set([...(c.partner.representativeUserId ? [c.partner.representativeUserId] : []), ...c.initiators.map((i) => i.userId)])];

/** "Mine": the competitions of organizations where the actor organizes or is a secretary. */
export const organizesCompetition = (a: Actor, c: Pick<CompetitionRecord, 'organizationId'>): boolean =>
  rolesIn(a, c.organizationId).some((r) => r === 'organizer' || r === 'secretary');

// ---- validation -------------------------------------------------------------

/** Field path → problem code (translated under `competition.problems.<code>`). */
export type Problems = Record<string, ProblemCode>;
export const PROBLEM_CODES = [
  'required',
  'too_long',
  'invalid_bin',
  'invalid_iin_bin',
  'invalid_email',
  'invalid_phone',
  'partner_not_found',
  'no_regulation',
  'file_missing',
  'end_before_start',
  'interval_too_short',
  'end_passed',
  'lot_not_saved',
  'no_initiator',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

export const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
/** Kazakhstan numbers as people type them: +7 701 234 56 78, 8 (727) 123-45-67. */
export const PHONE_RE = /^\+?[0-9][0-9 ()-]{6,19}$/;

function text(p: Problems, path: string, value: string, required: boolean) {
  if (value.length > MAX_TEXT) p[path] = 'too_long';
  else if (required && value.trim() === '') p[path] = 'required';
}

/** Step 1 «Конкурс құру». */
export function checkGeneral(c: Pick<CompetitionRecord, 'nameKk' | 'nameRu' | 'nameEn'> & { methodId: string | null }): Problems {
  const p: Problems = {};
  if (!c.methodId) p.method = 'required';
  text(p, 'nameKk', c.nameKk, true);
  text(p, 'nameRu', c.nameRu, true);
  text(p, 'nameEn', c.nameEn, false);
  return p;
}

/** Step 2 «Жобаны құру» («Жалғастыру»). */
export function checkLot(c: Pick<CompetitionRecord, 'lot'>): Problems {
  const p: Problems = {};
  const l = c.lot;
  text(p, 'lot.nameKk', l.nameKk, true);
  text(p, 'lot.nameRu', l.nameRu, true);
  text(p, 'lot.nameEn', l.nameEn, false);
  text(p, 'lot.summary', l.summary, true);
  text(p, 'lot.goals', l.goals, true);
  text(p, 'lot.parameters', l.parameters, true);
  text(p, 'lot.criteria', l.criteria, true);
  text(p, 'lot.timeline', l.timeline, true);
  return p;
}

/** The BIN typed for «Табу»: filled, 12 digits with a valid check digit. */
export function checkPartnerBin(bin: string): ProblemCode | null {
  if (bin.trim() === '') return 'required';
  return isValidBin(bin.trim()) ? null : 'invalid_bin';
}

/** Form «Мемлекеттік серіктес туралы ақпарат» («Сақтау»). */
export function checkPartner(c: Pick<CompetitionRecord, 'partner'>): Problems {
  const p: Problems = {};
  text(p, 'partner.contact', c.partner.contact, true);
  const bin = checkPartnerBin(c.partner.bin);
  if (bin) p['partner.bin'] = bin;
  else if (!c.partner.organizationId) p['partner.bin'] = 'partner_not_found';
  if (!c.partner.representativeUserId) p['partner.representative'] = 'required';
  return p;
}

/** Form «Жоба бастамашысының сипаттамасы». */
export function checkInitiator(i: Omit<Initiator, 'id'>): Problems {
  const p: Problems = {};
  if (!i.userId) p.user = 'required';
  if (i.partnerIinBin.trim() === '') p.partnerIinBin = 'required';
  else if (!isValidIinBin(i.partnerIinBin.trim())) p.partnerIinBin = 'invalid_iin_bin';
  text(p, 'representative', i.representative, false);
  text(p, 'position', i.position, false);
  if (i.phone.trim() !== '' && !PHONE_RE.test(i.phone.trim())) p.phone = 'invalid_phone';
  if (i.email.trim() !== '' && (!EMAIL_RE.test(i.email.trim()) || i.email.length > 200)) p.email = 'invalid_email';
  return p;
}

/** «Құжат қосу» form. */
export function checkRegulationNames(r: Pick<Regulation, 'nameRu' | 'nameKk'>): Problems {
  const p: Problems = {};
  text(p, 'nameRu', r.nameRu, true);
  text(p, 'nameKk', r.nameKk, true);
  return p;
}

/** Step 4 «Келесі»: at least one regulation, each with its file ([decision] SPEC §1.2). */
export function checkRegulations(c: Pick<CompetitionRecord, 'regulations'>): Problems {
  const p: Problems = {};
  if (c.regulations.length === 0) p.regulations = 'no_regulation';
  c.regulations.forEach((r, i) => {
    for (const [k, v] of Object.entries(checkRegulationNames(r))) p[`regulations.${i}.${k}`] = v;
    if (!r.file) p[`regulations.${i}.file`] = 'file_missing';
  });
  return p;
}

/** Calendar days between two instants as dates in Asia/Almaty. */
export function almatyCalendarDays(fromIso: string, toIso: string): number {
  const a = almatyParts(fromIso);
  const b = almatyParts(toIso);
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000);
}

/** Step 5: the planned discussion; end − start ≥ the method's minimum, in calendar days in Almaty. */
export function checkDiscussion(c: Pick<CompetitionRecord, 'discussionStart' | 'discussionEnd'>, minDiscussionDays: number): Problems {
  const p: Problems = {};
  const start = Date.parse(c.discussionStart ?? '');
  const end = Date.parse(c.discussionEnd ?? '');
  if (!Number.isFinite(start)) p.discussionStart = 'required';
  if (!Number.isFinite(end)) p.discussionEnd = 'required';
  if (Object.keys(p).length > 0) return p;
  if (end <= start) p.discussionEnd = 'end_before_start';
  else if (almatyCalendarDays(c.discussionStart!, c.discussionEnd!) < minDiscussionDays) p.discussionEnd = 'interval_too_short';
  return p;
}

/** The whole competition against the chosen method, as «Жариялау» checks it (the clock part is `publicationOutcome`). */
export function checkForPublication(c: CompetitionRecord): Problems {
  const p: Problems = {
    ...checkGeneral({ ...c, methodId: c.method.id }),
    ...checkLot(c),
    ...checkPartner(c),
    ...checkRegulations(c),
    ...checkDiscussion(c, c.method.minDiscussionDays),
  };
  if (!c.lot.saved && !p['lot.nameKk']) p.lot = 'lot_not_saved';
  c.initiators.forEach((i, n) => {
    for (const [k, v] of Object.entries(checkInitiator(i))) p[`initiators.${n}.${k}`] = v;
  });
  return p;
}

export const hasProblems = (p: Problems): boolean => Object.keys(p).length > 0;
