/** List columns of AKI records in the local view: newest first, status and category as tags. */
import { AKI_APPLICATION, AKI_REVIEW, type AkiApplicationRecord } from '../../src-shared/aki/records';
import type { ListColumns } from '../sync/indexers';

const columns = (d: unknown): ListColumns => {
  const a = d as AkiApplicationRecord;
  return { sortKey: a.createdAt, searchText: (a.number ?? '').toLowerCase(), tags: `|${a.status}|cat:${a.categoryId}|` };
};

export const akiIndexers: Record<string, (data: unknown) => ListColumns> = {
  [AKI_APPLICATION]: columns,
  [AKI_REVIEW]: columns,
};
