/**
 * AKI application statuses (seed 002 §2–3) as a pure state machine, run by
 * the app and the portal alike. The only paths:
 *   draft → published → under_review → revision → published → under_review → approved | rejected
 * `published` is momentary: the portal moves it to `under_review` in the same
 * transaction (the seed: «Жарияланды», then «Өтінішті қарау»).
 */
export const AKI_STATUSES = ['draft', 'published', 'under_review', 'revision', 'approved', 'rejected'] as const;
export type AkiStatus = (typeof AKI_STATUSES)[number];

const NEXT: Record<AkiStatus, readonly AkiStatus[]> = {
  draft: ['published'],
  published: ['under_review'],
  under_review: ['revision', 'approved', 'rejected'],
  revision: ['published'],
  approved: [],
  rejected: [],
};

export const canTransition = (from: AkiStatus, to: AkiStatus): boolean => NEXT[from].includes(to);
export const nextStatuses = (from: AkiStatus): readonly AkiStatus[] => NEXT[from];

/** The supplier may change answers (all of them in a draft, the flagged ones in revision). */
export const isEditable = (s: AkiStatus): boolean => s === 'draft' || s === 'revision';
/** Open: counts against "one open application per supplier organization and category". */
export const isOpen = (s: AkiStatus): boolean => s !== 'approved' && s !== 'rejected';
/** Only drafts can be deleted (the bin icon). */
export const isDeletable = (s: AkiStatus): boolean => s === 'draft';
/** Awaiting the customer's decision. */
export const isDecidable = (s: AkiStatus): boolean => s === 'under_review';

export const AKI_DECISIONS = ['approve', 'reject', 'revision'] as const;
export type AkiDecision = (typeof AKI_DECISIONS)[number];
export const DECISION_STATUS: Record<AkiDecision, AkiStatus> = { approve: 'approved', reject: 'rejected', revision: 'revision' };
