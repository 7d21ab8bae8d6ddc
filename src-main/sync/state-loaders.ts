import type { LocalStore } from '../../src-shared/sync/mutation-def';
import type { MembershipView } from '../../src-shared/accounts/permissions';
import { EMPLOYEE_ENTITY, type EmployeeRecord, type EmployeeState } from '../../src-shared/accounts/employee-mutations';
import { scopes } from '../../src-shared/sync/protocol';
import { akiStateLoaders } from '../aki/state';
import { COMPETITION_ENTITY, type CompetitionRecord } from '../../src-shared/competition/model';
import { competitionMutations, type CompetitionState } from '../../src-shared/competition/mutations';
import { NOTIFICATION_ENTITY, type MarkReadState, type NotificationRecord } from '../../src-shared/notifications/model';

/** What the app knows about the signed-in user when it checks a rule offline. */
export interface ActorView {
  userId: string;
  memberships: MembershipView[];
}

/**
 * For each mutation, how the app assembles the state its shared `check`
 * needs — from the optimistic view, the same data the user is looking at.
 * (The portal assembles the same shape from its database.)
 */
export type StateLoader = (args: unknown, store: LocalStore, actor: ActorView) => unknown;

const employeeState: StateLoader = (args, store, actor): EmployeeState => {
  const orgId = (args as { organizationId: string }).organizationId;
  return {
    actor: actor.memberships,
    employees: store.list<EmployeeRecord>(EMPLOYEE_ENTITY, scopes.organization(orgId)).map((r) => ({
      membershipId: r.entityId,
      userId: r.data.userId,
      roles: r.data.roles,
      version: r.version,
    })),
  };
};

/** Competitions: the record as the user sees it (optimistic view) and who the user is. */
const competitionState: StateLoader = (args, store, actor): CompetitionState => {
  const r = store.get<CompetitionRecord>(COMPETITION_ENTITY, (args as { competitionId: string }).competitionId);
  return { actor: { userId: actor.userId, memberships: actor.memberships }, competition: r ? { record: r.data, version: r.version } : null };
};

export const stateLoaders: Record<string, StateLoader> = {
  ...Object.fromEntries(Object.keys(competitionMutations).map((name) => [name, competitionState])),
  'employees.register': employeeState,
  'employees.setRoles': employeeState,
  'employees.remove': employeeState,
  ...akiStateLoaders,
  // The actor's own notifications are exactly the ones in the local cache (their scope is the user's).
  'notifications.markRead': (args, store, actor): MarkReadState => ({
    own: (args as { notificationIds: string[] }).notificationIds.filter((id) => store.get<NotificationRecord>(NOTIFICATION_ENTITY, id)?.data.userId === actor.userId),
  }),
};
