/**
 * AKI handlers: lists and pages read the local view (what the user sees,
 * offline included); actions run the shared rule and queue a synced mutation
 * (`account.local.mutate`), then poke the engine.
 */
import type { Handlers } from '../../src-shared/rpc/dispatch';
import { AppError } from '../../src-shared/rpc/errors';
import {
  AKI_APPLICATION, AKI_CATEGORY, AKI_REVIEW, type AkiApplicationRecord, type AkiCategoryRecord,
} from '../../src-shared/aki/records';
import { carryOverAnswers } from '../../src-shared/aki/answers';
import { isCustomerOf } from '../../src-shared/aki/mutations';
import type { AkiDetail, AkiRow } from '../../src-shared/aki/rpc';
import { uuidv7 } from '../../src-shared/sync/uuidv7';
import { ViewStore } from '../sync/view-store';
import type { AccountManager } from '../accounts/accounts';
import { templateOf } from './state';

type AkiHandlers<Ctx> = Pick<
  Handlers<Ctx>,
  'aki.reference' | 'aki.list' | 'aki.get' | 'aki.create' | 'aki.save' | 'aki.delete' | 'aki.publish' | 'aki.decide' | 'aki.category.create' | 'aki.template.get' | 'aki.template.save'
>;

type Row = { entity_id: string; version: number; data_json: string; pending: number };

export function akiHandlers<Ctx>(accounts: AccountManager): AkiHandlers<Ctx> {
  const poke = () => accounts.current?.engine.poke();
  const view = () => new ViewStore(accounts.require().db.sqlite, 1);
  const categories = (): AkiCategoryRecord[] =>
    (accounts.require().db.sqlite.prepare('SELECT data_json FROM records_view WHERE entity_type = ?').all(AKI_CATEGORY) as { data_json: string }[])
      .map((r) => JSON.parse(r.data_json) as AkiCategoryRecord);
  const entityFor = (as: 'supplier' | 'customer') => (as === 'customer' ? AKI_REVIEW : AKI_APPLICATION);
  const read = (id: string, as: 'supplier' | 'customer' = 'supplier'): Row | undefined =>
    accounts.require().db.sqlite.prepare('SELECT entity_id, version, data_json, pending FROM records_view WHERE entity_type = ? AND entity_id = ?').get(entityFor(as), id) as Row | undefined;
  const mustRead = (id: string, as: 'supplier' | 'customer' = 'supplier') => {
    const r = read(id, as);
    if (!r) throw new AppError('not_found', 'No such application');
    return { version: r.version, record: JSON.parse(r.data_json) as AkiApplicationRecord, pending: r.pending === 1 };
  };
  /** The outbox rows of this application still waiting, and the last refusal (until dismissed). */
  const outboxFor = (id: string) => {
    const acc = accounts.require();
    const rows = acc.db.sqlite.prepare("SELECT mutation_id, name, status, error_json, args_json FROM outbox WHERE name LIKE 'aki.%' AND status IN ('pending', 'rejected', 'applied') ORDER BY seq").all() as
      { mutation_id: string; name: string; status: string; error_json: string | null; args_json: string }[];
    const mine = rows.filter((r) => (JSON.parse(r.args_json) as { applicationId?: string }).applicationId === id);
    // A refusal matters until the user acts again on this application (a later change, sent or not, supersedes it).
    const last = mine[mine.length - 1];
    const rejected = last?.status === 'rejected' ? last : undefined;
    const pending = mine.filter((r) => r.status === 'pending').map((r) => r.name);
    return { rejected, pending };
  };

  return {
    'aki.reference': () => {
      const groups = new Map<string, { groupId: string; code: string; name: AkiCategoryRecord['groupName']; categories: { categoryId: string; code: string; name: AkiCategoryRecord['name']; customerOrgId: string | null; templateVersion: number }[] }>();
      for (const c of categories().sort((a, b) => a.groupCode.localeCompare(b.groupCode) || a.code.localeCompare(b.code))) {
        const g = groups.get(c.groupId) ?? { groupId: c.groupId, code: c.groupCode, name: c.groupName, categories: [] };
        g.categories.push({ categoryId: c.categoryId, code: c.code, name: c.name, customerOrgId: c.customerOrgId, templateVersion: c.templateVersion });
        groups.set(c.groupId, g);
      }
      return { groups: [...groups.values()] };
    },

    'aki.list': ({ as, status, groupId, categoryId }) => {
      const acc = accounts.require();
      const cats = new Map(categories().map((c) => [c.categoryId, c]));
      let sql = 'SELECT entity_id, version, data_json, pending FROM records_view WHERE entity_type = ?';
      const params: unknown[] = [entityFor(as)];
      if (status) { sql += ' AND tags LIKE ?'; params.push(`%|${status}|%`); }
      if (categoryId) { sql += ' AND tags LIKE ?'; params.push(`%|cat:${categoryId}|%`); }
      sql += ' ORDER BY sort_key DESC, entity_id DESC';
      const rows = acc.db.sqlite.prepare(sql).all(...params) as Row[];
      const me = accounts.actor();
      const items: AkiRow[] = rows
        .map((r) => ({ r, d: JSON.parse(r.data_json) as AkiApplicationRecord }))
        // A supplier lists their organizations' applications; a customer the categories their organization owns.
        .filter(({ d }) => (as === 'supplier' ? me.memberships.some((m) => m.organizationId === d.supplierOrgId) : isCustomerOf(me.memberships, cats.get(d.categoryId)?.customerOrgId ?? null)))
        .filter(({ d }) => !groupId || cats.get(d.categoryId)?.groupId === groupId)
        .map(({ r, d }) => ({
          applicationId: d.applicationId, number: d.number, categoryId: d.categoryId, categoryName: cats.get(d.categoryId)?.name ?? null, groupId: cats.get(d.categoryId)?.groupId ?? null,
          supplierOrgName: d.supplierOrgName, status: d.status, createdAt: d.createdAt, submittedAt: d.submittedAt, version: r.version, pending: r.pending === 1,
        }));
      return { items, total: items.length };
    },

    'aki.get': ({ applicationId, as }) => {
      const a = mustRead(applicationId, as);
      const store = view();
      const cat = store.get<AkiCategoryRecord>(AKI_CATEGORY, a.record.categoryId)?.data ?? null;
      const template = templateOf(store, a.record.categoryId, a.record.templateVersion);
      let newerTemplate: AkiDetail['newerTemplate'] = null;
      if (a.record.status === 'draft' && cat && cat.templateVersion !== a.record.templateVersion) {
        const next = templateOf(store, cat.categoryId, cat.templateVersion);
        if (next) newerTemplate = { version: cat.templateVersion, template: next, answers: template ? carryOverAnswers(template, next, a.record.answers) : {} };
      }
      const { rejected, pending } = outboxFor(applicationId);
      const err = rejected ? (JSON.parse(rejected.error_json ?? '{}') as { code: string; message: string; details?: Record<string, unknown> }) : null;
      const waiting = pending.includes('aki.publish') ? 'publish' : pending.includes('aki.decide') ? 'decide' : pending.length > 0 ? 'save' : null;
      return {
        record: a.record, version: a.version, pending: a.pending,
        category: cat ? { categoryId: cat.categoryId, code: cat.code, name: cat.name, groupName: cat.groupName, customerOrgId: cat.customerOrgId, templateVersion: cat.templateVersion } : null,
        template, newerTemplate,
        refused: rejected && err ? { mutationId: rejected.mutation_id, name: rejected.name, code: err.code ?? 'internal', message: err.message ?? '', ...(err.details ? { details: err.details } : {}) } : null,
        waiting,
      } as AkiDetail;
    },

    'aki.create': ({ organizationId, categoryId }) => {
      const acc = accounts.require();
      const cat = view().get<AkiCategoryRecord>(AKI_CATEGORY, categoryId);
      if (!cat) throw new AppError('not_found', 'No such category');
      const applicationId = uuidv7();
      const { mutationId } = acc.local.mutate('aki.create', { applicationId, organizationId, categoryId, templateVersion: cat.data.templateVersion, createdAt: accounts.now().toISOString() }, accounts.actor());
      poke();
      return { applicationId, mutationId };
    },

    'aki.save': ({ applicationId, templateVersion, email, phone, comment, answers }) => {
      const acc = accounts.require();
      const { version } = mustRead(applicationId);
      const { mutationId } = acc.local.mutate('aki.save', { applicationId, baseVersion: version, templateVersion, email, phone, comment, answers }, accounts.actor());
      poke();
      return { mutationId };
    },

    'aki.delete': ({ applicationId }) => {
      const acc = accounts.require();
      const { version } = mustRead(applicationId);
      acc.local.check('aki.delete', { applicationId, baseVersion: version }, accounts.actor());
      // A draft the portal never saw: cancel its creation (and the saves after it) instead of asking the portal.
      const cancelled = acc.local.amendUnsent('aki.create', (a) => a.applicationId === applicationId, () => null, accounts.actor());
      if (cancelled) {
        while (acc.local.amendUnsent('aki.save', (a) => a.applicationId === applicationId, () => null, accounts.actor()));
        return { mutationId: cancelled };
      }
      const { mutationId } = acc.local.mutate('aki.delete', { applicationId, baseVersion: version }, accounts.actor());
      poke();
      return { mutationId };
    },

    'aki.publish': ({ applicationId }) => {
      const acc = accounts.require();
      const { record } = mustRead(applicationId);
      const { mutationId } = acc.local.mutate('aki.publish', { applicationId, templateVersion: record.templateVersion }, accounts.actor());
      poke();
      return { mutationId };
    },

    'aki.decide': ({ applicationId, decision, reason, requirementKeys }) => {
      const acc = accounts.require();
      const { version } = mustRead(applicationId, 'customer');
      const { mutationId } = acc.local.mutate('aki.decide', { applicationId, baseVersion: version, decision, reason, requirementKeys }, accounts.actor());
      poke();
      return { mutationId };
    },

    'aki.category.create': ({ organizationId, groupId, newGroup, code, name }) => {
      const acc = accounts.require();
      const categoryId = uuidv7();
      const gid = newGroup ? uuidv7() : groupId;
      if (!gid) throw new AppError('invalid_input', 'Choose a group or name a new one', { issues: [{ path: 'groupId', message: 'invalid_input' }] });
      const { mutationId } = acc.local.mutate('aki.category.create', { categoryId, organizationId, groupId: gid, ...(newGroup ? { newGroup } : {}), code, name }, accounts.actor());
      poke();
      return { categoryId, mutationId };
    },

    'aki.template.get': ({ categoryId }) => {
      const store = view();
      const cat = store.get<AkiCategoryRecord>(AKI_CATEGORY, categoryId)?.data;
      if (!cat) throw new AppError('not_found', 'No such category');
      return { templateVersion: cat.templateVersion, template: templateOf(store, categoryId, cat.templateVersion), canEdit: isCustomerOf(accounts.actor().memberships, cat.customerOrgId) };
    },

    'aki.template.save': ({ categoryId, template }) => {
      const acc = accounts.require();
      const cat = view().get<AkiCategoryRecord>(AKI_CATEGORY, categoryId)?.data;
      if (!cat) throw new AppError('not_found', 'No such category');
      const { mutationId } = acc.local.mutate('aki.template.save', { categoryId, baseTemplateVersion: cat.templateVersion, template }, accounts.actor());
      poke();
      return { mutationId };
    },
  };
}
