/**
 * P3: the first page (50) of a filtered employee list over 10 000 records (--small 1 000) through
 * the back end's RPC dispatcher (validation, kysely query with the total, row mapping), against a
 * raw indexed SELECT of the same 50 rows with the same filters. The records carry their real list
 * columns (sort_key, search_text, tags from the app's indexer) and every filter matches. Goal ≤ 3×.
 */
import { createBackend } from '../../src-main/backend/backend';
import { listColumns, foldForSearch } from '../../src-main/sync/indexers';
import { VIEW_UPSERT } from '../../src-main/sync/view-store';
import { EMPLOYEE_ENTITY } from '../../src-shared/accounts/employee-mutations';
import { scopes } from '../../src-shared/sync/protocol';
import { uuidv7 } from '../../src-shared/sync/uuidv7';
import { row, sideBySide, type BenchDef } from '../harness';
import { DEMO_PASSWORD, HEAD_LOGIN, seededPortal } from '../portal-fixture';

const FILTERS: { query: string; role?: string }[] = [{ query: 'әлия' }, { query: 'нұрлан', role: 'organizer' }, { query: 'тестова 1' }, { query: 'әлия', role: 'secretary' }];

export const bench: BenchDef = {
  id: 'P3',
  title: 'first page (50) of a filtered list through the RPC',
  async run(ctx) {
    const portal = await seededPortal(ctx);
    const records = ctx.options.small ? 1_000 : 10_000;
    const backend = await createBackend({ dataDir: ctx.tempDir('p3-app'), hostKind: 'browser', portalUrl: portal.url, version: 'bench', periodicPullMs: 0 });
    ctx.defer(() => backend.close());
    const signed = await backend.call('auth.signIn', { login: HEAD_LOGIN, password: DEMO_PASSWORD });
    if (!signed.ok) throw new Error(`sign-in: ${JSON.stringify(signed)}`);
    const acc = backend.accounts.require();
    acc.engine.stop(); // the list reads the cache only; no pull may change it under the clock
    const scope = scopes.organization(portal.org);
    acc.db.sqlite.exec('DELETE FROM records_view; DELETE FROM records_confirmed;');
    const put = acc.db.sqlite.prepare(VIEW_UPSERT);
    acc.db.tx(() => {
      for (let i = 0; i < records; i++) {
        const id = uuidv7();
        const data = { membershipId: id, organizationId: portal.org, userId: id, fullName: `${i % 2 ? 'Әлия' : 'Нұрлан'} Тестова ${i}`, email: `e${i}@example.kz`, roles: i % 3 ? ['organizer'] : ['secretary'] };
        const c = listColumns(EMPLOYEE_ENTITY, data);
        put.run(EMPLOYEE_ENTITY, id, scope, 1, JSON.stringify(data), 0, c.sortKey, c.searchText, c.tags);
      }
    });
    const raw = acc.db.sqlite.prepare(
      `SELECT entity_id, version, data_json, pending FROM records_view
       WHERE entity_type = ? AND scope = ? AND search_text LIKE ? ESCAPE '\\' AND tags LIKE ? ORDER BY sort_key, entity_id LIMIT 50`,
    );
    const rawPage = (f: (typeof FILTERS)[number]) => raw.all(EMPLOYEE_ENTITY, scope, `%${foldForSearch(f.query)}%`, f.role ? `%|${f.role}|%` : '%') as { entity_id: string }[];
    const rpcPage = async (f: (typeof FILTERS)[number]) => {
      const r = await backend.call('employees.list', { organizationId: portal.org, query: f.query, role: f.role, offset: 0, limit: 50 });
      if (!r.ok) throw new Error(JSON.stringify(r));
      return (r.value as { items: { membershipId: string }[] }).items;
    };
    // Honesty check: every filter fills the page, and both sides return the same 50 rows.
    for (const f of FILTERS) {
      const a = (await rpcPage(f)).map((x) => x.membershipId);
      const b = rawPage(f).map((x) => x.entity_id);
      if (a.length !== 50 || JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`filter ${JSON.stringify(f)}: RPC ${a.length} rows, raw ${b.length}, same=${JSON.stringify(a) === JSON.stringify(b)}`);
    }
    const n = ctx.options.small ? 20 : 200;
    const r = await sideBySide(
      n,
      async (i) => {
        const t0 = performance.now();
        rawPage(FILTERS[i % FILTERS.length]!);
        return performance.now() - t0;
      },
      async (i) => {
        const t0 = performance.now();
        await rpcPage(FILTERS[i % FILTERS.length]!);
        return performance.now() - t0;
      },
    );
    return row(bench, 3.0, '≤ 3× baseline', r, 'raw indexed SELECT of the same 50 rows', [`${records} records with list columns; ${n} calls per side over ${FILTERS.length} filters, each filling the page`]);
  },
};
