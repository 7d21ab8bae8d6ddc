/** How the app builds the AKI rules' state from its local view (the portal builds the same shape from its database). */
import type { LocalStore } from '../../src-shared/sync/mutation-def';
import { scopes } from '../../src-shared/sync/protocol';
import type { AkiState } from '../../src-shared/aki/mutations';
import {
  AKI_APPLICATION, AKI_CATEGORY, AKI_REVIEW, AKI_TEMPLATE, templateEntityId,
  type AkiApplicationRecord, type AkiCategoryRecord, type AkiTemplateRecord,
} from '../../src-shared/aki/records';
import { isOpen } from '../../src-shared/aki/status';
import { almatyDate } from '../../src-shared/time/almaty';
import type { AkiTemplate } from '../../src-shared/aki/template';
import type { ActorView, StateLoader } from '../sync/state-loaders';

export function templateOf(store: LocalStore, categoryId: string, version: number): AkiTemplate | null {
  return store.get<AkiTemplateRecord>(AKI_TEMPLATE, templateEntityId(categoryId, version))?.data.template ?? null;
}

function build(store: LocalStore, actor: ActorView, o: { applicationId?: string; categoryId?: string; organizationId?: string; reviewer?: boolean }): AkiState {
  const rec = o.applicationId
    ? (o.reviewer ? store.get<AkiApplicationRecord>(AKI_REVIEW, o.applicationId) : store.get<AkiApplicationRecord>(AKI_APPLICATION, o.applicationId))
    : null;
  const categoryId = rec?.data.categoryId ?? o.categoryId;
  const category = categoryId ? store.get<AkiCategoryRecord>(AKI_CATEGORY, categoryId)?.data ?? null : null;
  const templates: Record<number, AkiTemplate> = {};
  if (categoryId) {
    for (const v of [category?.templateVersion, rec?.data.templateVersion]) {
      const t = v ? templateOf(store, categoryId, v) : null;
      if (v && t) templates[v] = t;
    }
  }
  const openInCategory = o.organizationId && categoryId
    ? store.list<AkiApplicationRecord>(AKI_APPLICATION, scopes.organization(o.organizationId))
      .filter((r) => r.data.categoryId === categoryId && isOpen(r.data.status) && r.entityId !== o.applicationId)
      .map((r) => r.entityId)
    : [];
  return {
    actor: actor.memberships, actorUserId: actor.userId, today: almatyDate(),
    application: rec ? { record: rec.data, version: rec.version } : null, category, templates, openInCategory,
  };
}

type A = { applicationId?: string; categoryId?: string; organizationId?: string };
const supplierSide: StateLoader = (args, store, actor) => build(store, actor, args as A);
const reviewerSide: StateLoader = (args, store, actor) => build(store, actor, { ...(args as A), reviewer: true });

const categoryCreation: StateLoader = (args, store, actor) => {
  const cats = store.list<AkiCategoryRecord>(AKI_CATEGORY, scopes.public).map((c) => c.data);
  const groups = [...new Map(cats.map((c) => [c.groupId, { groupId: c.groupId, code: c.groupCode }])).values()];
  return { ...build(store, actor, args as A), groups, categoryCodes: cats.map((c) => c.code) };
};

export const akiStateLoaders: Record<string, StateLoader> = {
  'aki.category.create': categoryCreation,
  'aki.create': supplierSide,
  'aki.save': supplierSide,
  'aki.delete': supplierSide,
  'aki.publish': supplierSide,
  'aki.decide': reviewerSide,
  'aki.template.save': supplierSide,
};
