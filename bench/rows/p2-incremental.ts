/**
 * P2: one change made by another session (employees.setRoles through the portal's push) until it
 * is in the app's local cache — the clock starts BEFORE the push and stops when the row's new
 * version is in records_confirmed (live channel → pull → apply). Baseline: one loopback pull
 * round-trip of that change by the same app's PortalClient (request + schema parse). Goal ≤ 2×.
 */
import { PortalClient } from '../../src-main/sync/portal-client';
import { PullResponseSchema, SYNC_PROTOCOL_VERSION } from '../../src-shared/sync/protocol';
import { uuidv7 } from '../../src-shared/sync/uuidv7';
import { row, timing, type BenchDef } from '../harness';
import { seededPortal, signIn } from '../portal-fixture';
import { syncApp } from './sync-app';

const ARRIVAL_DEADLINE_MS = 30_000;

export const bench: BenchDef = {
  id: 'P2',
  title: 'incremental change by another session, push → in the local cache',
  async run(ctx) {
    const portal = await seededPortal(ctx);
    const session = await signIn(portal.url);
    const app = syncApp(ctx.tempDir('p2-app'), portal.url, session);
    ctx.defer(() => app.close());
    await app.engine.syncNow(); // the initial pull, untimed
    app.engine.start(); // live channel on
    const other = await signIn(portal.url);
    const otherClient = new PortalClient({ baseUrl: portal.url, token: () => other.token });
    const appClient = new PortalClient({ baseUrl: portal.url, token: () => session.token });
    const target = app.db.sqlite
      .prepare("SELECT entity_id FROM records_view WHERE entity_type = 'membership' AND scope = ? AND data_json LIKE '%organizer.head@%'")
      .get(`org:${portal.org}`) as { entity_id: string } | undefined;
    if (!target) throw new Error("the Head's membership is not in the local cache");
    const versionStmt = app.db.sqlite.prepare('SELECT version FROM records_confirmed WHERE entity_id = ?');
    const version = () => (versionStmt.get(target.entity_id) as { version: number }).version;

    const change = async (i: number): Promise<number> => {
      const before = version();
      const t0 = performance.now();
      const res = (await otherClient.request('POST', '/api/sync/push', {
        protocolVersion: SYNC_PROTOCOL_VERSION,
        clientId: uuidv7(),
        mutations: [{ id: uuidv7(), name: 'employees.setRoles', args: { organizationId: portal.org, membershipId: target.entity_id, roles: i % 2 ? ['head', 'organizer'] : ['head'], baseVersion: before }, createdAt: new Date().toISOString() }],
      })) as { results: { status: string }[] };
      if (res.results[0]?.status !== 'applied') throw new Error(`push: ${JSON.stringify(res)}`);
      while (version() <= before) {
        await new Promise((r) => setImmediate(r));
        if (performance.now() - t0 > ARRIVAL_DEADLINE_MS) throw new Error(`the change did not arrive in ${ARRIVAL_DEADLINE_MS} ms`);
      }
      return performance.now() - t0;
    };
    const pullOnce = async (cursor: number): Promise<number> => {
      const q = new URLSearchParams({ cursor: String(cursor), protocolVersion: String(SYNC_PROTOCOL_VERSION) });
      const t0 = performance.now();
      const page = PullResponseSchema.parse(await appClient.request('GET', `/api/sync/pull?${q.toString()}`));
      const ms = performance.now() - t0;
      if (page.changes.length < 1) throw new Error('the baseline pull missed the change');
      return ms;
    };

    await change(0); // warm-up: proves the live channel delivers, untimed
    const n = ctx.options.small ? 5 : 20;
    const measured: number[] = [];
    const baseline: number[] = [];
    for (let i = 1; i <= n; i++) {
      const cursor = app.local.cursor();
      measured.push(await change(i));
      baseline.push(await pullOnce(cursor)); // the same change, pulled once more from the cursor before it
    }
    return row(bench, 2.0, '≤ 2× baseline', { measured: timing(measured), baseline: timing(baseline) }, 'one loopback pull round-trip of the change', [`${n} changes; clock started before the push`]);
  },
};
