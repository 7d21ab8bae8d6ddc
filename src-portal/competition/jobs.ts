/**
 * The portal moves a `published` competition to `discussion` when its
 * discussion start arrives ([decision] SPEC §1.2). The job row is written in
 * the publication's transaction and the scheduler reads due jobs from the
 * database each tick, so a portal that was down at the start catches up on
 * its first tick after the restart.
 */
import { COMPETITION_ENTITY } from '../../src-shared/competition/model';
import { canTransition } from '../../src-shared/competition/rules';
import type { JobHandler } from '../scheduler/scheduler';
import { recordChange } from '../audit/audit';
import { loadCompetition, saveCompetition } from './store';
import { START_DISCUSSION_JOB } from './mutations';
import { notifyStatusChange } from './notifier';

const startDiscussion: JobHandler = async (trx, _ctx, payload, now) => {
  const id = String(payload.competitionId ?? '');
  const cur = await loadCompetition(trx, id);
  // Deleted, already moved on, or finished early («Конкурсты аяқтау»): nothing to do.
  if (!cur || cur.record.status !== 'published' || !canTransition('published', 'discussion')) return;
  if (!cur.record.discussionStart || cur.record.discussionStart > now) return;
  const version = cur.version + 1;
  const record = { ...cur.record, status: 'discussion' as const, updatedAt: now };
  await recordChange(trx, now, {
    actorUserId: null, entityType: COMPETITION_ENTITY, entityId: id, recordType: 'competition', recordId: id,
    action: 'competition.discussion_started', fromStatus: 'published', toStatus: 'discussion', data: { discussionStart: record.discussionStart },
  });
  await saveCompetition(trx, now, { record, version, fieldVersions: cur.fieldVersions });
  // Same transaction as the move: a job retried after a failure or a restart notifies once.
  await notifyStatusChange(trx, now, record, { status: 'discussion' });
};

export const competitionJobs: Record<string, JobHandler> = {
  [START_DISCUSSION_JOB]: startDiscussion,
};
