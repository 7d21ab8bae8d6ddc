/**
 * The last line of defence against a double apply: on PostgreSQL several
 * connections can run the same mutation id at once, and one of them may not
 * see the other's stored result when it looks. The portal then hits the
 * unique key on applied_mutations.id and must answer with the stored first
 * result. One SQLite connection (and the data-folder lock) never produces
 * that interleaving, so this test simulates the blind look-up: a kysely
 * plugin hides the stored row from the next K look-ups of one id, as a
 * connection with an older snapshot would see it. Everything else is real.
 * (The re-read after the unique violation is a new statement that runs after
 * the other transaction committed, so it is never blind.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { demoUser, employees, freshIin, mut, ORG, push, signIn, uuid } from './helpers';
import { BACKENDS, startBackendPortal, type TestPortal } from './backends';

class BlindLookups implements KyselyPlugin {
  private target: { id: string; left: number } | null = null;
  private readonly hidden = new WeakSet<object>();
  hiddenCount = 0;
  /** The next `times` SELECTs on applied_mutations for `id` return no rows. */
  hide(id: string, times: number) {
    this.target = { id, left: times };
  }
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const t = this.target;
    if (t && t.left > 0 && args.node.kind === 'SelectQueryNode') {
      const text = JSON.stringify(args.node);
      if (text.includes('"applied_mutations"') && text.includes(t.id)) {
        t.left--;
        this.hidden.add(args.queryId);
      }
    }
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (!this.hidden.has(args.queryId)) return args.result;
    this.hiddenCount++;
    return { ...args.result, rows: [] };
  }
}

const blind = new BlindLookups();
let portal: TestPortal;
let head = '';

const register = () =>
  mut('employees.register', { organizationId: ORG, membershipId: uuid(), iin: freshIin(), fullName: 'Жарыс Сынағы', email: `r${uuid().slice(0, 8)}@example.kz`, roles: ['organizer'] });
const state = async (membershipId: string, mutationId: string) => ({
  membership: await portal.db.selectFrom('memberships').select(['version', 'roles_json']).where('id', '=', membershipId).executeTakeFirst(),
  audit: (await portal.db.selectFrom('audit_log').select('seq').where('entity_id', '=', membershipId).execute()).length,
  results: (await portal.db.selectFrom('applied_mutations').select('id').where('id', '=', mutationId).execute()).length,
});

describe.each(BACKENDS)('a replay that does not see the stored result, on %s', (backend) => {
  beforeAll(async () => {
    portal = await startBackendPortal(backend, { kyselyPlugins: [blind] });
    head = await signIn(portal.url, 'orgHead');
  });
  afterAll(async () => portal.cleanup());

  // 1: only the unlocked fast path is blind (the locked look-up finds it). 2: the locked look-up is blind
  // too; the insert hits the unique key and the re-read (a new statement, after the other commit) answers.
  for (const blindLookups of [1, 2]) {
    it(`registration (${blindLookups} blind look-ups): applied once, the first result is answered`, async () => {
      const m = register();
      const membershipId = (m.args as { membershipId: string }).membershipId;
      const first = await push(portal.url, head, [m]);
      expect(first.json.results[0].status).toBe('applied');
      const before = await state(membershipId, m.id);
      blind.hide(m.id, blindLookups);
      const hiddenBefore = blind.hiddenCount;
      const replay = await push(portal.url, head, [m]);
      expect(blind.hiddenCount - hiddenBefore).toBe(blindLookups);
      expect(replay.status).toBe(200);
      expect(replay.json.results).toEqual(first.json.results);
      expect(await state(membershipId, m.id)).toEqual(before);
    });
  }

  it('role change applied once: a blind replay would be a stale conflict, but the stored first result wins', async () => {
    const sec = (await employees(portal.url, head)).find((e) => e.userId === demoUser('secretary').id)!;
    const m = mut('employees.setRoles', { organizationId: ORG, membershipId: sec.membershipId, roles: ['secretary', 'organizer'], baseVersion: sec.version });
    const first = await push(portal.url, head, [m]);
    expect(first.json.results[0]).toMatchObject({ status: 'applied', result: { version: sec.version + 1 } });
    const before = await state(sec.membershipId, m.id);
    blind.hide(m.id, 2);
    const replay = await push(portal.url, head, [m]);
    expect(replay.json.results).toEqual(first.json.results);
    expect(await state(sec.membershipId, m.id)).toEqual(before);
  });
});
