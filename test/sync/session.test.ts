/**
 * A session that ends while the app is offline: the app says so, the user
 * signs in again, and nothing queued in the meantime is lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHostProcess, startPortalProcess, type RunningHost, type RunningPortal } from '../helpers/processes';
import { connectRpc } from '../helpers/rpc-client';
import { TcpProxy } from '../helpers/tcp-proxy';

const PASSWORD = 'Seriktes-demo-2026';
let portal: RunningPortal;
let host: RunningHost;
let proxy: TcpProxy;

beforeAll(async () => {
  portal = await startPortalProcess();
  proxy = new TcpProxy(Number(new URL(portal.url).port));
  await proxy.start();
  host = await startBrowserHostProcess({ portalUrl: `http://127.0.0.1:${proxy.port}`, pullIntervalMs: 0 });
}, 60_000);
afterAll(async () => {
  await host?.stop('SIGKILL');
  await proxy?.close();
  await portal?.stop();
});

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`condition not met; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('session expiry while offline', () => {
  it('the expired session asks for a new sign-in and the outbox survives it', async () => {
    const rpc = await connectRpc(host);
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
    rpc.close();
  }, 60_000);
});
