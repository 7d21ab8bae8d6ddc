/**
 * A session that ends while the app is offline: the app says so, the user
 * signs in again, and nothing queued in the meantime is lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHostProcess, startPortalProcess, type RunningHost, type RunningPortal } from '../helpers/processes';
import { connectRpc } from '../helpers/rpc-client';
import { TcpProxy } from '../helpers/tcp-proxy';
import { until } from '../helpers/until';

const PASSWORD = 'Seriktes-demo-2026';
let portal: RunningPortal;
let host: RunningHost;
let proxy: TcpProxy;
let rpc: Awaited<ReturnType<typeof connectRpc>>;

beforeAll(async () => {
  portal = await startPortalProcess();
  proxy = new TcpProxy(Number(new URL(portal.url).port));
  await proxy.start();
  host = await startBrowserHostProcess({ portalUrl: `http://127.0.0.1:${proxy.port}`, pullIntervalMs: 0 });
  rpc = await connectRpc(host);
}, 180_000);
afterAll(async () => {
  rpc?.close();
  await host?.stop('SIGKILL');
  await proxy?.close();
  await portal?.stop();
});


describe('session expiry while offline', () => {
  it('the expired session asks for a new sign-in and the outbox survives it', async () => {
    await rpc.call('auth.signIn', { login: 'metal.head@demo.seriktes.kz', password: PASSWORD });
    await rpc.call('sync.now', {});
    const org = (await rpc.call('auth.status', {})).user!.memberships.find((m) => m.bin === '170840000775')!.organizationId;
    const me = (await rpc.call('employees.list', { organizationId: org, offset: 0, limit: 10 })).items.find((e) => e.email === 'metal.head@demo.seriktes.kz')!;

    proxy.cut();
    await rpc.call('employees.setRoles', { organizationId: org, membershipId: me.membershipId, roles: ['head', 'supplier', 'customer'] });
    // Thirteen hours pass on the portal's clock: the 12-hour session is over.
    const moved = await fetch(`${portal.url}/api/demo/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: 13 * 3600_000 }) });
    expect(moved.status).toBe(200);
    proxy.restore();
    await rpc.call('sync.now', {});
    const status = await until(() => rpc.call('sync.status', {}), (s) => s.state === 'session_expired');
    expect(status.pending).toBe(1);
    const auth = await rpc.call('auth.status', {});
    expect(auth).toMatchObject({ signedIn: false, sessionExpired: true });
    // The page shows the sign-in form again; the user signs in as the same person.
    await rpc.call('auth.signIn', { login: 'metal.head@demo.seriktes.kz', password: PASSWORD });
    await until(() => rpc.call('sync.status', {}), (s) => s.state === 'online' && s.pending === 0);
    const after = await rpc.call('employees.list', { organizationId: org, offset: 0, limit: 10 });
    expect(after.items.find((e) => e.membershipId === me.membershipId)).toMatchObject({ roles: ['head', 'customer', 'supplier'], pending: false });
  }, 180_000);

  it('signing out closes the account; its unsent changes wait on disk for the next sign-in', async () => {
    if (!(await rpc.call('auth.status', {})).signedIn) await rpc.call('auth.signIn', { login: 'metal.head@demo.seriktes.kz', password: PASSWORD });
    await rpc.call('sync.now', {});
    const org = (await rpc.call('auth.status', {})).user!.memberships.find((m) => m.bin === '170840000775')!.organizationId;
    const me = (await rpc.call('employees.list', { organizationId: org, offset: 0, limit: 10 })).items.find((e) => e.email === 'metal.head@demo.seriktes.kz')!;
    proxy.cut();
    await rpc.call('employees.setRoles', { organizationId: org, membershipId: me.membershipId, roles: ['head', 'supplier'] });
    expect(await rpc.call('auth.signOut', {})).toEqual({ signedIn: false, sessionExpired: false, user: null });
    expect((await rpc.call('sync.status', {})).state).toBe('signed_out');
    await expect(rpc.call('employees.list', { organizationId: org, offset: 0, limit: 10 })).rejects.toMatchObject({ code: 'unauthorized' });
    proxy.restore();
    await rpc.call('auth.signIn', { login: 'metal.head@demo.seriktes.kz', password: PASSWORD });
    await until(() => rpc.call('sync.status', {}), (st) => st.state === 'online' && st.pending === 0);
    const after = await rpc.call('employees.list', { organizationId: org, offset: 0, limit: 10 });
    expect(after.items.find((e) => e.membershipId === me.membershipId)!.roles).toEqual(['head', 'supplier']);
  }, 180_000);
});
