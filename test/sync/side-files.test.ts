/**
 * Crash-safe side files (issue 15): a damaged me.json, last-account.json or client-id — truncated,
 * empty, garbage, missing — must not sign the user out while changes wait in the outbox. The real
 * back end (createBackend) opens real files against the real portal over a loopback proxy; the
 * kill -9 trials run the browser host as a child process (dist/, built by `npm test`).
 */
import { existsSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createBackend, type Backend } from '../../src-main/backend/backend';
import { startTestPortal } from '../portal/helpers';
import { repoRoot, tempDir } from '../helpers/processes';
import { TcpProxy } from '../helpers/tcp-proxy';
import { meJsonKillTrial } from '../helpers/me-json-kill';
import { until } from '../helpers/until';

vi.setConfig({ testTimeout: 60_000 });

const PASSWORD = 'Seriktes-demo-2026';
const METAL = '170840000775';
const ROLES = ['head', 'supplier', 'customer'];
const silent = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };

let portal: Awaited<ReturnType<typeof startTestPortal>>;
let proxy: TcpProxy;
let portalUrl: string;
let dataDir: string;
let userId: string;
let clientId: string;
let orgId: string;
let membershipId: string;
let mutationId: string;

const open = () => createBackend({ dataDir, hostKind: 'browser', portalUrl, version: 'test', logger: silent as never, periodicPullMs: 0 });
async function rpc<T>(b: Backend, method: string, input: unknown): Promise<T> {
  const env = await b.call(method, input);
  if (!env.ok) throw Object.assign(new Error(env.error.message), env.error);
  return env.value as T;
}
const file = (...p: string[]) => join(dataDir, ...p);
const meJson = () => file('accounts', userId, 'me.json');

beforeAll(async () => {
  portal = await startTestPortal();
  proxy = new TcpProxy(Number(new URL(portal.url).port));
  portalUrl = await proxy.start();
  dataDir = tempDir('side-files');
  const b = await open();
  try {
    const auth = await rpc<{ user: { id: string; memberships: { organizationId: string; bin: string }[] } }>(b, 'auth.signIn', { login: 'metal.head@demo.seriktes.kz', password: PASSWORD });
    userId = auth.user.id;
    orgId = auth.user.memberships.find((m) => m.bin === METAL)!.organizationId;
    await rpc(b, 'sync.now', {});
    const list = await rpc<{ items: { membershipId: string; userId: string }[] }>(b, 'employees.list', { organizationId: orgId, offset: 0, limit: 20 });
    membershipId = list.items.find((e) => e.userId === userId)!.membershipId;
    // Offline from here: the change waits in the outbox through every damaged start below.
    proxy.cut();
    ({ mutationId } = await rpc<{ mutationId: string }>(b, 'employees.setRoles', { organizationId: orgId, membershipId, roles: ROLES }));
    expect((await rpc<{ pending: number }>(b, 'sync.status', {})).pending).toBe(1);
  } finally {
    await b.close();
  }
  clientId = readFileSync(file('client-id'), 'utf8');
}, 60_000);

afterAll(async () => {
  await proxy?.close();
  await portal?.cleanup();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const half = (p: string) => truncateSync(p, Math.floor(readFileSync(p).length / 2));
const DAMAGE: [string, () => void][] = [
  ['me.json cut in half', () => half(meJson())],
  ['me.json empty', () => writeFileSync(meJson(), '')],
  ['me.json garbage', () => writeFileSync(meJson(), '\u0000\u00ff{"id":')],
  ['me.json another user’s', () => writeFileSync(meJson(), readFileSync(meJson(), 'utf8').replace(userId, '00000000-0000-4000-8000-000000000000'))],
  ['last-account.json empty', () => writeFileSync(file('last-account.json'), '')],
  ['last-account.json garbage', () => writeFileSync(file('last-account.json'), '{"userId": 42')],
  ['last-account.json missing', () => rmSync(file('last-account.json'))],
  ['client-id empty', () => writeFileSync(file('client-id'), '')],
  ['client-id garbage', () => writeFileSync(file('client-id'), 'x'.repeat(36))],
  ['client-id missing', () => rmSync(file('client-id'))],
  ['all three at once', () => (half(meJson()), half(file('last-account.json')), half(file('client-id')))],
];

describe('a damaged side file does not sign the user out', () => {
  it.each(DAMAGE)('%s: the back end starts signed in with its outbox intact, and the file is whole again', async (_name, damage) => {
    damage();
    const b = await open();
    try {
      const auth = await rpc<{ signedIn: boolean; user: { id: string } | null }>(b, 'auth.status', {});
      expect(auth).toMatchObject({ signedIn: true, user: { id: userId } });
      expect((await rpc<{ pending: number }>(b, 'sync.status', {})).pending).toBe(1);
      const list = await rpc<{ items: { membershipId: string; roles: string[]; pending: boolean }[] }>(b, 'employees.list', { organizationId: orgId, offset: 0, limit: 20 });
      expect(list.items.find((e) => e.membershipId === membershipId)).toMatchObject({ roles: ['head', 'customer', 'supplier'], pending: true });
    } finally {
      await b.close();
    }
    expect(JSON.parse(readFileSync(meJson(), 'utf8'))).toMatchObject({ id: userId });
    expect(JSON.parse(readFileSync(file('last-account.json'), 'utf8'))).toMatchObject({ userId });
    // The same device id as before: the portal keeps telling this device's pushes from the user's other devices.
    expect(readFileSync(file('client-id'), 'utf8')).toBe(clientId);
  });

  it('a signed-out account is not reopened by the recovery; its change reaches the portal from this device after sign-in', async () => {
    let b = await open();
    await rpc(b, 'auth.signOut', {});
    await b.close();
    expect(existsSync(file('last-account.json'))).toBe(false);
    b = await open();
    try {
      expect(await rpc(b, 'auth.status', {})).toEqual({ signedIn: false, sessionExpired: false, user: null });
      proxy.restore();
      await rpc(b, 'auth.signIn', { login: 'metal.head@demo.seriktes.kz', password: PASSWORD });
      await until(() => rpc<{ state: string; pending: number }>(b, 'sync.status', {}), (s) => s.state === 'online' && s.pending === 0);
    } finally {
      await b.close();
    }
    const applied = await portal.db.selectFrom('applied_mutations').select(['status', 'client_id']).where('id', '=', mutationId).executeTakeFirstOrThrow();
    expect(applied).toEqual({ status: 'applied', client_id: clientId });
  });
});

describe('kill -9 of the back end while it rewrites me.json', () => {
  it('after each kill me.json is whole and the back end reopens signed in (3 trials)', async () => {
    if (!existsSync(join(repoRoot, 'dist', 'main', 'browser-host.cjs'))) throw new Error('dist/ is missing: run node scripts/build.mjs');
    proxy.restore();
    for (const killAfterCycles of [2, 5, 9]) {
      const t = await meJsonKillTrial({ dataDir, portalUrl, userId, killAfterCycles });
      expect(t.cycles).toBeGreaterThanOrEqual(killAfterCycles);
      expect(t).toMatchObject({ meJson: 'valid', signedInAs: userId, pending: 0 });
    }
  });
});
