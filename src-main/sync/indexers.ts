import { EMPLOYEE_ENTITY, type EmployeeRecord } from '../../src-shared/accounts/employee-mutations';
import { akiIndexers } from '../aki/indexers';
import { COMPETITION_ENTITY, type CompetitionRecord } from '../../src-shared/competition/model';
import { NOTIFICATION_ENTITY, type NotificationRecord } from '../../src-shared/notifications/model';

export interface ListColumns {
  /** Lower-cased, what lists sort by. */
  sortKey: string;
  /** Lower-cased text a search box matches (SQLite's LOWER() folds ASCII only, so we fold here). */
  searchText: string;
  /** `|a|b|` — exact-value filters (roles, statuses) as LIKE '%|a|%'. */
  tags: string;
}

const fold = (s: string) => s.toLocaleLowerCase('ru');

/** What a competition search matches (the cached list and the signed-out view alike). */
export const competitionSearchText = (c: CompetitionRecord): string => fold(`${c.number ?? ''} ${c.nameKk} ${c.nameRu} ${c.nameEn} ${c.lot.nameKk} ${c.lot.nameRu}`);
const EMPTY: ListColumns = { sortKey: '', searchText: '', tags: '' };

/** Per entity type: the columns its lists filter and sort on. Features add theirs. */
const indexers: Record<string, (data: unknown) => ListColumns> = {
  [EMPLOYEE_ENTITY]: (d) => {
    const e = d as EmployeeRecord;
    return { sortKey: fold(e.fullName), searchText: fold(`${e.fullName} ${e.email}`), tags: `|${e.roles.join('|')}|` };
  },
  // Newest first is `ORDER BY sort_key DESC`; tags carry the status and the organization for the list filters.
  [COMPETITION_ENTITY]: (d) => {
    const c = d as CompetitionRecord;
    return {
      sortKey: c.createdAt,
      searchText: competitionSearchText(c),
      tags: `|${c.status}|org:${c.organizationId}|`,
    };
  },
  ...akiIndexers,
  // Newest first; `|unread|` / `|read|` for the unread count and the bell.
  [NOTIFICATION_ENTITY]: (d) => {
    const n = d as NotificationRecord;
    return { sortKey: `${n.createdAt}|${n.notificationId}`, searchText: '', tags: n.readAt ? '|read|' : '|unread|' };
  },
};

export function listColumns(entityType: string, data: unknown): ListColumns {
  const fn = indexers[entityType];
  if (!fn || data === null || typeof data !== 'object') return EMPTY;
  try {
    return fn(data);
  } catch {
    return EMPTY;
  }
}

export const foldForSearch = fold;
