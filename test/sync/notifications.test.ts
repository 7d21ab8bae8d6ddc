/**
 * Notifications through real processes: the portal writes one when the Head changes an
 * employee's roles; it reaches the employee's app by sync (cached offline), is announced once as
 * a `notification` event (rendered in the app's language), and marking it read offline is queued
 * and confirmed by the portal. Nobody can mark another user's notification.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHostProcess, startPortalProcess, tempDir, type RunningHost, type RunningPortal } from '../helpers/processes';
import { connectRpc } from '../helpers/rpc-client';
import { TcpProxy } from '../helpers/tcp-proxy';
import { until } from '../helpers/until';
import { uuidv7 } from '../../src-shared/sync/uuidv7';

const PASSWORD = 'Seriktes-demo-2026';
const DALA = '160340000666';

let portal: RunningPortal;
const running: { host: RunningHost; rpc: Awaited<ReturnType<typeof connectRpc>>; proxy: TcpProxy }[] = [];

async function app(login: string) {
  const proxy = new TcpProxy(Number(new URL(portal.url).port));
  const portalUrl = await proxy.start();
  const host = await startBrowserHostProcess({ dataDir: tempDir('app'), portalUrl, pullIntervalMs: 0 });
  const rpc = await connectRpc(host);
  running.push({ host, rpc, proxy });
  await rpc.call('auth.signIn', { login, password: PASSWORD });
  await rpc.call('sync.now', {});
  return { rpc, proxy };
}

async function portalToken(login: string): Promise<string> {
  const r = await fetch(`${portal.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login, password: PASSWORD }) });
  return ((await r.json()) as { token: string }).token;
}

beforeAll(async () => {
  portal = await startPortalProcess();
}, 180_000);

afterAll(async () => {
  for (const a of running) {
    a.rpc.close();
    await a.host.stop('SIGKILL');
    await a.proxy.close();
  }
  await portal?.stop();
});

describe('notifications', () => {
  it('arrive by sync, are announced once, and are marked read offline then confirmed', async () => {
    const head = await app('dala.head@demo.seriktes.kz');
    const employee = await app('supplier@demo.seriktes.kz');
    await employee.rpc.call('settings.setLanguage', { language: 'ru' });
    const before = await employee.rpc.call('notifications.list', {});

    const org = (await head.rpc.call('auth.status', {})).user!.memberships.find((m) => m.bin === DALA)!.organizationId;
    const petrov = (await head.rpc.call('employees.list', { organizationId: org, offset: 0, limit: 50 })).items.find((e) => e.email === 'supplier@demo.seriktes.kz')!;
    await head.rpc.call('employees.setRoles', { organizationId: org, membershipId: petrov.membershipId, roles: ['customer', 'supplier'] });

    const after = await until(
      async () => {
        await employee.rpc.call('sync.now', {});
        return employee.rpc.call('notifications.list', {});
      },
      (l) => l.items.length > before.items.length,
      15_000,
    );
    const fresh = after.items[0]!;
    expect(fresh.kind).toBe('rolesChanged');
    expect(fresh.readAt).toBeNull();
    expect(after.unread).toBe(before.unread + 1);

    // Announced once, in the app's language (ru), with the role names translated.
    await until(async () => employee.rpc.events.filter((e) => e.event === 'notification'), (ev) => ev.length >= 1, 15_000);
    const announced = employee.rpc.events.filter((e) => e.event === 'notification').map((e) => e.payload as { id: string; title: string; body: string });
    expect(announced.map((a) => a.id)).toEqual([fresh.notificationId]);
    expect(announced[0]!.title).toContain('Ваши роли');
    expect(announced[0]!.body).toContain('Заказчик');
    await employee.rpc.call('sync.now', {});
    expect(employee.rpc.events.filter((e) => e.event === 'notification')).toHaveLength(1);

    // Offline: read at once locally, queued.
    employee.proxy.cut();
    const marked = await employee.rpc.call('notifications.markRead', { ids: [fresh.notificationId] });
    expect(marked.marked).toBe(1);
    const offline = await employee.rpc.call('notifications.list', {});
    expect(offline.items[0]!.readAt).not.toBeNull();
    expect(offline.items[0]!.pending).toBe(true);
    expect(offline.unread).toBe(after.unread - 1);
    expect((await employee.rpc.call('sync.status', {})).pending).toBeGreaterThan(0);

    // Back online: the portal records it; the confirmed record is no longer pending.
    employee.proxy.restore();
    const confirmed = await until(
      async () => {
        await employee.rpc.call('sync.now', {});
        return employee.rpc.call('notifications.list', {});
      },
      (l) => l.items[0]?.pending === false && l.items[0]?.readAt !== null,
      15_000,
    );
    expect(confirmed.unread).toBe(after.unread - 1);
    const token = await portalToken('supplier@demo.seriktes.kz');
    const fromPortal = (await (await fetch(`${portal.url}/api/notifications`, { headers: { authorization: `Bearer ${token}` } })).json()) as { notifications: { id: string; readAt: string | null }[] };
    expect(fromPortal.notifications.find((n) => n.id === fresh.notificationId)?.readAt).not.toBeNull();
  }, 180_000);

  it("refuses to mark someone else's notification read (the same not_found as a missing one)", async () => {
    const employeeToken = await portalToken('supplier@demo.seriktes.kz');
    const mine = (await (await fetch(`${portal.url}/api/notifications`, { headers: { authorization: `Bearer ${employeeToken}` } })).json()) as { notifications: { id: string }[] };
    expect(mine.notifications.length).toBeGreaterThan(0);
    const other = await portalToken('dala.head@demo.seriktes.kz');
    const res = await fetch(`${portal.url}/api/sync/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${other}` },
      body: JSON.stringify({ protocolVersion: 1, clientId: uuidv7(), mutations: [{ id: uuidv7(), name: 'notifications.markRead', args: { notificationIds: [mine.notifications[0]!.id], readAt: new Date().toISOString() }, createdAt: new Date().toISOString() }] }),
    });
    const body = (await res.json()) as { results: { status: string; error?: { code: string } }[] };
    expect(body.results[0]).toMatchObject({ status: 'rejected', error: { code: 'not_found' } });
    const direct = await fetch(`${portal.url}/api/notifications/${mine.notifications[0]!.id}/read`, { method: 'POST', headers: { authorization: `Bearer ${other}` } });
    expect(direct.status).toBe(404);
  }, 180_000);
});
