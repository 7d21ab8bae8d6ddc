/**
 * Offline sync through real processes: the reference portal (tsx child
 * process on a temporary folder) and app back ends (browser-host child
 * processes, each its own data folder), talking through a loopback proxy
 * that plays the network.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RpcClient } from '../../src-shared/rpc/client';
import { startBrowserHostProcess, startPortalProcess, tempDir, type RunningHost, type RunningPortal } from '../helpers/processes';
import { connectRpc } from '../helpers/rpc-client';
import { TcpProxy } from '../helpers/tcp-proxy';
import { withCheckDigit } from '../../src-shared/domain/identity';
import { until } from '../helpers/until';

const PASSWORD = 'Seriktes-demo-2026';
type Client = Awaited<ReturnType<typeof connectRpc>>;

interface App {
  host: RunningHost;
  rpc: Client;
  proxy: TcpProxy;
  dataDir: string;
}

let portal: RunningPortal;
const apps: App[] = [];

async function startApp(opts: { dataDir?: string; proxy?: TcpProxy } = {}): Promise<App> {
  const proxy = opts.proxy ?? new TcpProxy(Number(new URL(portal.url).port));
  const portalUrl = proxy.port ? `http://127.0.0.1:${proxy.port}` : await proxy.start();
  const dataDir = opts.dataDir ?? tempDir('app');
  const host = await startBrowserHostProcess({ dataDir, portalUrl, pullIntervalMs: 0 });
  const rpc = await connectRpc(host);
  const app = { host, rpc, proxy, dataDir };
  apps.push(app);
  return app;
}

async function signedIn(login: string): Promise<App> {
  const app = await startApp();
  await app.rpc.call('auth.signIn', { login, password: PASSWORD });
  await app.rpc.call('sync.now', {});
  return app;
}

const orgOf = async (rpc: RpcClient, bin: string) => {
  const s = await rpc.call('auth.status', {});
  const m = s.user!.memberships.find((x) => x.bin === bin);
  if (!m) throw new Error(`no membership in ${bin}`);
  return m.organizationId;
};


const DALA = '160340000666';

beforeAll(async () => {
  portal = await startPortalProcess();
}, 60_000);

afterAll(async () => {
  for (const a of apps) {
    a.rpc.close();
    await a.host.stop('SIGKILL');
    await a.proxy.close();
  }
  await portal?.stop();
});

describe('two app back ends as two users', () => {
  // With periodic pulls off only the live channel can bring the change; how fast is bench row P2.
  it("B sees A's change through the live channel, with periodic pulls off", async () => {
    const a = await signedIn('dala.head@demo.seriktes.kz');
    const b = await signedIn('supplier@demo.seriktes.kz');
    const org = await orgOf(a.rpc, DALA);
    const list = await a.rpc.call('employees.list', { organizationId: org, offset: 0, limit: 50 });
    const petrov = list.items.find((e) => e.email === 'supplier@demo.seriktes.kz')!;
    expect(petrov.roles).toEqual(['supplier']);

    await a.rpc.call('employees.setRoles', { organizationId: org, membershipId: petrov.membershipId, roles: ['customer', 'supplier'] });
    // A's push has returned once A's status shows nothing pending.
    await until(() => a.rpc.call('sync.status', {}), (s) => s.pending === 0 && s.state === 'online');
    await until(
      () => b.rpc.call('employees.list', { organizationId: org, offset: 0, limit: 50 }),
      (l) => l.items.some((e) => e.membershipId === petrov.membershipId && e.roles.includes('customer')),
      30_000,
    );
  }, 60_000);

  it("B's live socket drops while three changes land; B catches up with no gap", async () => {
    const a = await signedIn('dala.head@demo.seriktes.kz');
    const b = await signedIn('supplier@demo.seriktes.kz');
    const org = await orgOf(a.rpc, DALA);
    b.proxy.cut();
    const names = ['Бірінші Тест', 'Екінші Тест', 'Үшінші Тест'];
    const iins = ['85072240056', '90011530123', '02030450001'].map((p) => withCheckDigit(p) ?? withCheckDigit(p.slice(0, 10) + '2')!);
    for (let i = 0; i < 3; i++) {
      await a.rpc.call('employees.register', { organizationId: org, iin: iins[i]!, fullName: names[i]!, email: `gap${i}@example.kz`, preferredLanguage: 'kk', roles: ['supplier'] });
    }
    await until(() => a.rpc.call('sync.status', {}), (s) => s.pending === 0 && s.state === 'online');
    b.proxy.restore();
    const list = await until(
      () => b.rpc.call('employees.list', { organizationId: org, offset: 0, limit: 100 }),
      (l) => names.every((n) => l.items.some((e) => e.fullName === n && !e.pending)),
      15_000,
    );
    expect(list.items.filter((e) => names.includes(e.fullName))).toHaveLength(3);
  }, 60_000);

  it('offline changes survive kill -9 of the app back end right after the RPC returned ok, and reach the portal later', async () => {
    const a = await signedIn('dala.head@demo.seriktes.kz');
    const org = await orgOf(a.rpc, DALA);
    a.proxy.cut();
    const iin = withCheckDigit('88010130012')!;
    const { membershipId } = await a.rpc.call('employees.register', { organizationId: org, iin, fullName: 'Офлайн Қызметкер', email: 'offline@example.kz', preferredLanguage: 'ru', roles: ['supplier'] });
    await a.host.stop('SIGKILL');
    a.rpc.close();

    // The same data folder opens offline: still signed in, the change still pending.
    const host = await startBrowserHostProcess({ dataDir: a.dataDir, portalUrl: `http://127.0.0.1:${a.proxy.port}`, pullIntervalMs: 0 });
    const rpc = await connectRpc(host);
    apps.push({ host, rpc, proxy: a.proxy, dataDir: a.dataDir });
    expect((await rpc.call('auth.status', {})).signedIn).toBe(true);
    const offline = await rpc.call('employees.list', { organizationId: org, offset: 0, limit: 100 });
    expect(offline.items.find((e) => e.membershipId === membershipId)).toMatchObject({ pending: true, fullName: 'Офлайн Қызметкер' });
    expect((await rpc.call('sync.status', {})).pending).toBe(1);

    a.proxy.restore();
    await rpc.call('sync.now', {});
    await until(() => rpc.call('sync.status', {}), (st) => st.pending === 0 && st.state === 'online');
    // Another user reads it from the portal.
    const b = await signedIn('supplier@demo.seriktes.kz');
    const seen = await until(
      () => b.rpc.call('employees.list', { organizationId: org, offset: 0, limit: 100 }),
      (l) => l.items.some((e) => e.membershipId === membershipId),
    );
    expect(seen.items.filter((e) => e.membershipId === membershipId)).toHaveLength(1);
    expect(seen.items.find((e) => e.membershipId === membershipId)!.pending).toBe(false);
  }, 60_000);

  it('a stale edit is rejected with conflict naming who changed what, and its optimistic state is dropped', async () => {
    const a1 = await signedIn('dala.head@demo.seriktes.kz');
    const a2 = await signedIn('dala.head@demo.seriktes.kz');
    const org = await orgOf(a1.rpc, DALA);
    const target = (await a1.rpc.call('employees.list', { organizationId: org, offset: 0, limit: 100 })).items.find((e) => e.email === 'supplier@demo.seriktes.kz')!;
    a2.proxy.cut(); // a2 does not hear about a1's edit
    await a1.rpc.call('employees.setRoles', { organizationId: org, membershipId: target.membershipId, roles: ['secretary'] });
    await until(() => a1.rpc.call('sync.status', {}), (st) => st.pending === 0 && st.state === 'online');
    await a2.rpc.call('employees.setRoles', { organizationId: org, membershipId: target.membershipId, roles: ['organizer'] });
    a2.proxy.restore();
    await a2.rpc.call('sync.now', {});
    const rejected = await until(() => a2.rpc.call('sync.rejected', {}), (r) => r.items.length > 0);
    expect(rejected.items[0]!.error.code).toBe('conflict');
    expect(rejected.items[0]!.error.details).toMatchObject({ changedBy: 'Омаров Бауыржан Қайратұлы' });
    const after = await until(
      () => a2.rpc.call('employees.list', { organizationId: org, offset: 0, limit: 100 }),
      (l) => l.items.find((e) => e.membershipId === target.membershipId)?.roles.join() === 'secretary',
    );
    expect(after.items.find((e) => e.membershipId === target.membershipId)!.pending).toBe(false);
    expect((await a2.rpc.call('sync.status', {})).rejected).toBe(1);
    // Put things back for the other tests.
    await a1.rpc.call('employees.setRoles', { organizationId: org, membershipId: target.membershipId, roles: ['supplier'] });
    await until(() => a1.rpc.call('sync.status', {}), (st) => st.pending === 0);
  }, 60_000);

  it('a change the portal forbids is rolled back and explained; access gained back-fills, access lost purges', async () => {
    const head = await signedIn('dala.head@demo.seriktes.kz');
    const org = await orgOf(head.rpc, DALA);
    const outsider = await signedIn('infra.head@demo.seriktes.kz');
    // Not a member of Dala yet: nothing of Dala in the outsider's cache.
    await expect(orgOf(outsider.rpc, DALA)).rejects.toThrow();

    // The Head adds the outsider (an existing account, by IIN) as a Head of Dala: access gained → back-fill.
    const { membershipId } = await head.rpc.call('employees.register', {
      organizationId: org, iin: '831226400060', fullName: 'Smith John', email: 'infra.head@demo.seriktes.kz', preferredLanguage: 'en', roles: ['head'],
    });
    await until(() => head.rpc.call('sync.status', {}), (st) => st.pending === 0 && st.state === 'online');
    await outsider.rpc.call('sync.now', {});
    const gained = await until(
      async () => {
        await outsider.rpc.call('sync.now', {});
        return outsider.rpc.call('employees.list', { organizationId: org, offset: 0, limit: 100 });
      },
      (l) => l.items.some((e) => e.email === 'dala.head@demo.seriktes.kz'),
    );
    expect(gained.total).toBeGreaterThan(1);

    // The outsider, as a Head of Dala, edits offline; meanwhile the real Head demotes them.
    const supplierRow = gained.items.find((e) => e.email === 'supplier@demo.seriktes.kz')!;
    outsider.proxy.cut();
    await outsider.rpc.call('employees.setRoles', { organizationId: org, membershipId: supplierRow.membershipId, roles: ['supplier', 'customer'] });
    await head.rpc.call('employees.setRoles', { organizationId: org, membershipId, roles: ['supplier'] });
    await until(() => head.rpc.call('sync.status', {}), (st) => st.pending === 0 && st.state === 'online');
    outsider.proxy.restore();
    await outsider.rpc.call('sync.now', {});
    const rejected = await until(() => outsider.rpc.call('sync.rejected', {}), (r) => r.items.length > 0);
    expect(rejected.items[0]!.error.code).toBe('forbidden');
    const rolledBack = await outsider.rpc.call('employees.list', { organizationId: org, offset: 0, limit: 100 });
    expect(rolledBack.items.find((e) => e.membershipId === supplierRow.membershipId)!.roles).toEqual(['supplier']);

    // Removed from Dala: access lost → everything of Dala purged from the outsider's cache.
    await head.rpc.call('employees.remove', { organizationId: org, membershipId });
    await until(() => head.rpc.call('sync.status', {}), (st) => st.pending === 0 && st.state === 'online');
    await until(
      async () => {
        await outsider.rpc.call('sync.now', {});
        return outsider.rpc.call('employees.list', { organizationId: org, offset: 0, limit: 100 });
      },
      (l) => l.total === 0,
    );
  }, 90_000);
});
