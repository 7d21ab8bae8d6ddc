/**
 * Your own edits never conflict with themselves; your other device's edits do (issue 15). The real
 * back end (createBackend, each with its own data folder and so its own client id) against the
 * real portal over loopback proxies: the author's rapid second edit, built while the first is still
 * unacknowledged, wins without a conflict; one user's two devices editing the same field offline
 * get the conflict two users would get, and nothing is lost. On each database the portal supports.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createBackend, type Backend } from '../../src-main/backend/backend';
import { mut, pushOk, pushOne, signIn, upload, uuid, validCompetition } from '../competition/helpers';
import { BACKENDS, startBackendPortal, type TestPortal } from '../portal-sync/backends';
import { push } from '../portal-sync/helpers';
import { tempDir } from '../helpers/processes';
import { TcpProxy } from '../helpers/tcp-proxy';
import { until } from '../helpers/until';

vi.setConfig({ testTimeout: 60_000 });

const PASSWORD = 'Seriktes-demo-2026';
const DALA = '160340000666';
const silent = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };

interface Device {
  backend: Backend;
  proxy: TcpProxy;
  dataDir: string;
}

let portal: TestPortal;
const devices: Device[] = [];
let orgId: string;
let membershipId: string;

async function rpc<T>(d: Device, method: string, input: unknown): Promise<T> {
  const env = await d.backend.call(method, input);
  if (!env.ok) throw Object.assign(new Error(env.error.message), env.error);
  return env.value as T;
}

async function device(): Promise<Device> {
  const proxy = new TcpProxy(Number(new URL(portal.url).port));
  const portalUrl = await proxy.start();
  const dataDir = tempDir('own-edits');
  const backend = await createBackend({ dataDir, hostKind: 'browser', portalUrl, version: 'test', logger: silent as never, periodicPullMs: 0 });
  const d = { backend, proxy, dataDir };
  devices.push(d);
  const auth = await rpc<{ user: { memberships: { organizationId: string; bin: string }[] } }>(d, 'auth.signIn', { login: 'dala.head@demo.seriktes.kz', password: PASSWORD });
  orgId = auth.user.memberships.find((m) => m.bin === DALA)!.organizationId;
  await rpc(d, 'sync.now', {});
  return d;
}

const settled = (d: Device) => until(() => rpc<{ state: string; pending: number }>(d, 'sync.status', {}), (s) => s.state === 'online' && s.pending === 0);
const rejected = (d: Device) => rpc<{ items: { mutationId: string; name: string; args: { roles?: string[] }; error: { code: string; details?: Record<string, unknown> } }[] }>(d, 'sync.rejected', {});
const setRoles = (d: Device, roles: string[]) => rpc<{ mutationId: string }>(d, 'employees.setRoles', { organizationId: orgId, membershipId, roles });
/** Waits, checking on every event-loop turn (setImmediate), until `cond` holds; 15 s deadline. */
async function sentButUnanswered(cond: () => boolean): Promise<void> {
  const end = Date.now() + 15_000;
  while (!cond()) {
    if (Date.now() > end) throw new Error('the push was never sent');
    await new Promise((r) => setImmediate(r));
  }
}
async function portalRoles(): Promise<string[]> {
  const row = await portal.db.selectFrom('memberships').select('roles_json').where('id', '=', membershipId).executeTakeFirstOrThrow();
  return JSON.parse(row.roles_json) as string[];
}
async function viewRoles(d: Device): Promise<{ roles: string[]; pending: boolean }> {
  const list = await rpc<{ items: { membershipId: string; roles: string[]; pending: boolean }[] }>(d, 'employees.list', { organizationId: orgId, offset: 0, limit: 50 });
  return list.items.find((e) => e.membershipId === membershipId)!;
}

describe.each(BACKENDS)('own edits on %s', (store) => {
  beforeAll(async () => {
    portal = await startBackendPortal(store);
    const a = await device();
    const list = await rpc<{ items: { membershipId: string; email: string }[] }>(a, 'employees.list', { organizationId: orgId, offset: 0, limit: 50 });
    membershipId = list.items.find((e) => e.email === 'supplier@demo.seriktes.kz')!.membershipId;
  }, 120_000);

  afterAll(async () => {
    for (const d of devices) {
      await d.backend.close();
      await d.proxy.close();
      rmSync(d.dataDir, { recursive: true, force: true });
    }
    devices.length = 0;
    await portal?.cleanup();
  });

  describe('your own edits never conflict with themselves', () => {
    it('setRoles X then, while X is on its way and unacknowledged, setRoles Y: final Y, no conflict (three rounds)', async () => {
      const a = devices[0]!;
      const attempts = (id: string) => (a.backend.accounts.current!.db.sqlite.prepare('SELECT attempts FROM outbox WHERE mutation_id = ?').get(id) as { attempts: number }).attempts;
      for (const [X, Y] of [[['customer', 'supplier'], ['supplier']], [['organizer', 'supplier'], ['customer']], [['supplier'], ['organizer', 'supplier']]] as const) {
        const x = await setRoles(a, [...X]);
        // The engine marks X attempted just before it sends the push. Checking on every turn of the event
        // loop sees that before the answer can arrive (the portal in this process needs several turns of
        // I/O to answer), so Y is made while X is on its way, unacknowledged — and cannot be folded into X.
        await sentButUnanswered(() => attempts(x.mutationId) > 0);
        const y = await setRoles(a, [...Y]);
        expect(y.mutationId).not.toBe(x.mutationId);
        await settled(a);
        expect((await rejected(a)).items).toEqual([]);
        expect(await portalRoles()).toEqual(Y);
        await rpc(a, 'sync.now', {});
        expect(await viewRoles(a)).toEqual(expect.objectContaining({ roles: Y, pending: false }));
      }
    });
  });

  describe('one user on two devices gets the report two users would get', () => {
    it('both offline edit the same roles; the first to sync wins, the second gets a conflict and keeps its change', async () => {
      const a = devices[0]!;
      const b = await device();
      await rpc(a, 'sync.now', {});
      a.proxy.cut();
      b.proxy.cut();
      await setRoles(a, ['customer', 'supplier']);
      const { mutationId } = await setRoles(b, ['supplier', 'organizer']);
      a.proxy.restore();
      await rpc(a, 'sync.now', {});
      await settled(a);
      b.proxy.restore();
      await rpc(b, 'sync.now', {});
      await settled(b);

      expect(await portalRoles()).toEqual(['customer', 'supplier']);
      expect((await rejected(a)).items).toEqual([]);
      // Nothing lost: B's edit is kept in its «could not be sent» list with the roles it asked for.
      const refused = (await rejected(b)).items;
      expect(refused).toHaveLength(1);
      expect(refused[0]).toMatchObject({ mutationId, name: 'employees.setRoles', args: { roles: ['organizer', 'supplier'] }, error: { code: 'conflict', details: { current: ['customer', 'supplier'] } } });
      expect(await viewRoles(b)).toEqual(expect.objectContaining({ roles: ['customer', 'supplier'], pending: false }));
    });

    it('competition fields: the same organizer on another device conflicts, on the same device does not', async () => {
      const organizer = await signIn(portal.url, 'organizer');
      const { mutations, id } = await validCompetition(portal.url, await upload(portal.url, organizer));
      await pushOk(portal.url, organizer, mutations.slice(0, 1));
      const laptop = uuid();
      const phone = uuid();
      const edit = (value: string) => mut('competition.setField', { competitionId: id, field: 'lot.summary', value, baseVersion: 1 });
      const first = await push(portal.url, organizer, [edit('Ноутбуктен')], { clientId: laptop });
      expect(first.json.results[0].status).toBe('applied');
      const other = await push(portal.url, organizer, [edit('Телефоннан')], { clientId: phone });
      expect(other.json.results[0]).toMatchObject({ status: 'rejected', error: { code: 'conflict', details: { field: 'lot.summary' } } });
      const again = await push(portal.url, organizer, [edit('Ноутбуктен тағы')], { clientId: laptop });
      expect(again.json.results[0].status).toBe('applied');
      expect((await pushOne(portal.url, organizer, mut('competition.setField', { competitionId: id, field: 'lot.goals', value: 'Мақсат', baseVersion: 1 }))).status).toBe('applied');
    });
  });
});
