/**
 * P1: the initial pull of the seeded feed (100 000 employees; --small 2 000) through the app's
 * SyncEngine over loopback, against a baseline that inserts the same rows into the same tables
 * (records_confirmed + records_view with the list columns, indexes included) with prepared
 * statements in 2 000-row transactions in this process. Goal ≤ 2.0×.
 */
import { join } from 'node:path';
import { openLocalDb } from '../../src-main/db/local-db';
import { row, sideBySide, type BenchDef } from '../harness';
import { seededPortal, signIn } from '../portal-fixture';
import { syncApp } from './sync-app';

interface Row {
  entity_type: string;
  entity_id: string;
  scope: string;
  version: number;
  data_json: string;
  sort_key: string;
  search_text: string;
  tags: string;
}

export const bench: BenchDef = {
  id: 'P1',
  title: 'initial pull through the SyncEngine',
  async run(ctx) {
    const portal = await seededPortal(ctx);
    const session = await signIn(portal.url);
    const pull = async () => {
      const app = syncApp(ctx.tempDir('p1-app'), portal.url, session);
      try {
        const t0 = performance.now();
        await app.engine.syncNow();
        const ms = performance.now() - t0;
        if (app.status() !== 'online') throw new Error(`sync ended ${app.status()}`);
        return { ms, app };
      } catch (e) {
        await app.close();
        throw e;
      }
    };
    // A first pull (untimed) warms both processes up and gives the baseline its rows.
    const first = await pull();
    const rows = first.app.db.sqlite
      .prepare('SELECT c.entity_type, c.entity_id, c.scope, c.version, c.data_json, v.sort_key, v.search_text, v.tags FROM records_confirmed c JOIN records_view v USING (entity_type, entity_id)')
      .all() as Row[];
    await first.app.close();
    if (rows.length < portal.n) throw new Error(`pulled ${rows.length} rows, expected at least ${portal.n}`);
    const filled = rows.filter((r) => r.entity_type === 'membership' && r.sort_key && r.search_text && r.tags).length;
    if (filled < portal.n) throw new Error(`only ${filled} membership rows have their list columns`);

    const baseline = async () => {
      const db = openLocalDb(join(ctx.tempDir('p1-base'), 'base.sqlite'));
      try {
        const ins = db.sqlite.prepare('INSERT INTO records_confirmed (entity_type, entity_id, scope, version, data_json) VALUES (?, ?, ?, ?, ?)');
        const view = db.sqlite.prepare('INSERT INTO records_view (entity_type, entity_id, scope, version, data_json, pending, sort_key, search_text, tags) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)');
        const batch = db.sqlite.transaction((part: Row[]) => {
          for (const r of part) {
            ins.run(r.entity_type, r.entity_id, r.scope, r.version, r.data_json);
            view.run(r.entity_type, r.entity_id, r.scope, r.version, r.data_json, r.sort_key, r.search_text, r.tags);
          }
        });
        const t0 = performance.now();
        for (let i = 0; i < rows.length; i += 2000) batch(rows.slice(i, i + 2000));
        return performance.now() - t0;
      } finally {
        await db.close();
      }
    };
    const measured = async () => {
      const r = await pull();
      await r.app.close();
      return r.ms;
    };
    const r = await sideBySide(ctx.options.runs, baseline, measured);
    return row(bench, 2.0, '≤ 2.0× baseline', r, 'prepared INSERTs, same rows and tables, 2 000-row transactions', [`${rows.length} rows (${portal.n} seeded employees + demo data), list columns filled`]);
  },
};
