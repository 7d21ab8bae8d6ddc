import type { CompetitionRecord } from '../../src-shared/competition/model';
import type { CompetitionRow } from '../../src-shared/competition/rpc';
import { canDeleteCompetition, canEditCompetition, type Actor } from '../../src-shared/competition/rules';

/** One row of a competition list; `actor` null for the signed-out view (nothing to edit there). */
export function competitionRow(c: CompetitionRecord, pending: boolean, actor: Actor | null): CompetitionRow {
  return {
    competitionId: c.competitionId, organizationId: c.organizationId, number: c.number, status: c.status, methodName: c.method.name,
    nameKk: c.nameKk, nameRu: c.nameRu, nameEn: c.nameEn, createdAt: c.createdAt, discussionStart: c.discussionStart, discussionEnd: c.discussionEnd,
    publishRequested: c.publishRequested, pending, canEdit: actor ? canEditCompetition(actor, c) : false, canDelete: actor ? canDeleteCompetition(actor, c) : false,
  };
}
