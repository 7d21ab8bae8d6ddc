/**
 * A real portal process (`src-portal/cli.ts --demo`), killed (SIGKILL, by
 * the test-only fault switch) after committing a push and before answering;
 * restarted on the same data folder; the replay returns the first result.
 *
 * (Two processes on one data folder are refused by the portal's data-folder
 * lock, so "the same id from two connections at once" is tested in
 * push.test.ts as two HTTP connections to one portal.)
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { freshIin, mut, ORG, pullAll, push, signIn, spawnPortal, tmpDir, uuid } from './helpers';
import { BACKENDS, freshStore, openStore, storeEnv, type Store } from './backends';

const dirs: string[] = [];
const children: { kill(sig?: NodeJS.Signals): boolean; exitCode: number | null; signalCode: NodeJS.Signals | null }[] = [];

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const register = () =>
  mut('employees.register', { organizationId: ORG, membershipId: uuid(), iin: freshIin(), fullName: 'Процесс Сынағы', email: `x${uuid().slice(0, 8)}@example.kz`, roles: ['organizer'] });

async function counts(store: Store, dataDir: string, membershipId: string, mutationId: string) {
  const db = await openStore(store, dataDir);
  try {
    const n = async (q: Promise<{ n: number | string | bigint }>) => Number((await q).n);
    return {
      memberships: await n(db.selectFrom('memberships').select((eb) => eb.fn.countAll<number>().as('n')).where('id', '=', membershipId).executeTakeFirstOrThrow()),
      audit: await n(db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('entity_id', '=', membershipId).executeTakeFirstOrThrow()),
      results: await n(db.selectFrom('applied_mutations').select((eb) => eb.fn.countAll<number>().as('n')).where('id', '=', mutationId).executeTakeFirstOrThrow()),
      feed: await n(db.selectFrom('change_feed').select((eb) => eb.fn.countAll<number>().as('n')).where('entity_id', '=', membershipId).executeTakeFirstOrThrow()),
    };
  } finally {
    await db.destroy();
  }
}

describe.each(BACKENDS)('portal processes on %s', (backend) => {
  it('killed after commit, before answering: after a restart the replay returns the first result, applied once', async () => {
    const dataDir = tmpDir('portal-sync-crash-');
    dirs.push(dataDir);
    const store = await freshStore(backend);
    const crashing = await spawnPortal(dataDir, { SERIKTES_PORTAL_FAULT: 'crash-after-commit', ...storeEnv(store) });
    children.push(crashing.child);
    const token = await signIn(crashing.url, 'orgHead');
    const m = register();
    const membershipId = (m.args as { membershipId: string }).membershipId;
    // The answer never comes: the connection dies with the process.
    await expect(push(crashing.url, token, [m])).rejects.toThrow();
    expect(await crashing.exited).toEqual({ code: null, signal: 'SIGKILL' });
    // Committed before the kill.
    expect(await counts(store, dataDir, membershipId, m.id)).toEqual({ memberships: 1, audit: 1, results: 1, feed: 1 });

    const restarted = await spawnPortal(dataDir, { SERIKTES_PORTAL_FAULT: undefined, ...storeEnv(store) });
    children.push(restarted.child);
    const token2 = await signIn(restarted.url, 'orgHead');
    const replay = await push(restarted.url, token2, [m]);
    expect(replay.status).toBe(200);
    expect(replay.json.results[0]).toMatchObject({ id: m.id, status: 'applied', result: { version: 1, record: { membershipId } } });
    const again = await push(restarted.url, token2, [m]);
    expect(again.json.results).toEqual(replay.json.results);
    expect(await counts(store, dataDir, membershipId, m.id)).toEqual({ memberships: 1, audit: 1, results: 1, feed: 1 });
    const { changes } = await pullAll(restarted.url, token2);
    expect(changes.filter((c) => c.entityId === membershipId)).toHaveLength(1);
    restarted.child.kill('SIGTERM');
    await restarted.exited;
  }, 180_000);
});

describe('portal fault switch', () => {
  it('the fault switch is ignored without --demo or the test runner', async () => {
    const { portalFault } = await import('../../src-portal/sync/fault');
    const saved = { f: process.env.SERIKTES_PORTAL_FAULT, v: process.env.VITEST, n: process.env.NODE_ENV };
    try {
      process.env.SERIKTES_PORTAL_FAULT = 'crash-after-commit';
      delete process.env.VITEST;
      delete process.env.NODE_ENV;
      expect(portalFault(false)).toBeNull();
      expect(portalFault(true)).toBe('crash-after-commit');
      process.env.SERIKTES_PORTAL_FAULT = 'something-else';
      expect(portalFault(true)).toBeNull();
    } finally {
      for (const [k, v] of [['SERIKTES_PORTAL_FAULT', saved.f], ['VITEST', saved.v], ['NODE_ENV', saved.n]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
