/**
 * The one status notifier of a competition (SPEC §1.3). Every status change
 * calls it in the transaction that makes the change — publication, the
 * discussion start (also when its job runs after a restart), and later the
 * discussion end, conclusions, contract approval and the finish — so the
 * parties hear of it exactly when it becomes true, and never of a change
 * that was rolled back.
 *
 * Who hears: the state partner's representative, every Head of the state
 * partner organization (as the portal knows its memberships now) and every
 * initiator, plus whoever a later status names (`also`, e.g. chat
 * participants); each person once per change, whatever roles they combine.
 * Each gets an in-app notification (synced to their app, which shows it as a
 * desktop notification) and an e-mail in their own language through the
 * SMTP outbox.
 */
import type { CompetitionRecord, CompetitionStatus } from '../../src-shared/competition/model';
import { namedParties } from '../../src-shared/competition/rules';
import { formatDateTime } from '../../src-shared/time/almaty';
import type { Trx } from '../db/schema';
import { parseRoles } from '../http/auth';
import { notify } from '../notify/outbox';

export interface StatusNotice {
  /** The status the competition has just reached (the record passed already carries it). */
  status: CompetitionStatus;
  /** Further recipients this change concerns besides the standing parties. */
  also?: readonly string[];
}

/** The users a status change of `c` concerns, each once. */
export async function competitionParties(trx: Trx, c: Pick<CompetitionRecord, 'partner' | 'initiators'>, also: readonly string[] = []): Promise<string[]> {
  const heads = c.partner.organizationId
    ? (await trx.selectFrom('memberships').select(['user_id', 'roles_json']).where('organization_id', '=', c.partner.organizationId).execute())
        .filter((m) => parseRoles(m.roles_json).includes('head'))
        .map((m) => m.user_id)
    : [];
  return [...new Set([...namedParties(c), ...heads, ...also])];
}

/** Notifies every party of `notice.status`; returns who was notified. */
export async function notifyStatusChange(trx: Trx, now: string, c: CompetitionRecord, notice: StatusNotice): Promise<string[]> {
  const recipients = await competitionParties(trx, c, notice.also);
  // Dates in Almaty time read the same in kk, ru and en (DD.MM.YYYY HH:mm); names per language (`name_ru`, `name_en`).
  const vars = {
    competitionId: c.competitionId,
    number: c.number ?? '',
    status: notice.status,
    name: c.nameKk,
    name_ru: c.nameRu || c.nameKk,
    name_en: c.nameEn || c.nameRu || c.nameKk,
    discussionStart: c.discussionStart ? formatDateTime(c.discussionStart) : '—',
    discussionEnd: c.discussionEnd ? formatDateTime(c.discussionEnd) : '—',
  };
  for (const userId of recipients) await notify(trx, now, { userId, kind: 'competitionStatus', vars });
  return recipients;
}
