/**
 * Every party finds the competition (issue 17), through real app back ends
 * (createBackend, own SQLite caches) against a real portal behind a loopback
 * proxy: the state partner's representative, another Head of the state
 * partner organization and an initiator see it under "where I take part"; a
 * user of an unrelated organization only under "all published"; nobody
 * outside the organizer's organization ever receives a draft. Signed out, the
 * back end reads the portal's public API (and says when it cannot); the
 * app's "now" follows the portal's demo clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../src-main/backend/backend';
import { MovableClock } from '../../src-portal/clock';
import { TcpProxy } from '../helpers/tcp-proxy';
import { DEMO_PASSWORD, ORGANIZER_ORG, addUser, demoId, isoIn, mut, pushOk, signIn, startTestPortal, upload, uuid, validCompetition } from './helpers';

const silent = { info: () => {}, warn: () => {}, error: () => {} };
const day = 86_400_000;
let portal: Awaited<ReturnType<typeof startTestPortal>>;
let proxy: TcpProxy;
const clock = new MovableClock();
let published = '';
let draft = '';
const backends: Backend[] = [];
const dirs: string[] = [];

async function backend(): Promise<Backend> {
  const dataDir = mkdtempSync(join(tmpdir(), 'seriktes-parties-'));
  dirs.push(dataDir);
  const b = await createBackend({ dataDir, hostKind: 'browser', portalUrl: `http://127.0.0.1:${proxy.port}`, version: 'test', logger: silent as never, periodicPullMs: 0 });
  backends.push(b);
  return b;
}
async function rpc<T = any>(b: Backend, method: string, input: unknown): Promise<T> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const env = await b.call(method, input);
  if (!env.ok) throw Object.assign(new Error(env.error.message), env.error);
  return env.value as T;
}
const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code ?? String(e));
async function signedIn(login: string): Promise<Backend> {
  const b = await backend();
  await rpc(b, 'auth.signIn', { login, password: DEMO_PASSWORD });
  await rpc(b, 'sync.now', {});
  return b;
}
const ids = async (b: Backend, scope: string) => (await rpc<{ items: { competitionId: string }[] }>(b, 'competition.list', { scope })).items.map((r) => r.competitionId);

beforeAll(async () => {
  portal = await startTestPortal({ clock });
  proxy = new TcpProxy(Number(new URL(portal.url).port));
  await proxy.start();
  const organizer = await signIn(portal.url, 'organizer');
  const file = await upload(portal.url, organizer);
  const c = await validCompetition(portal.url, file, { start: isoIn(2 * day, clock.now().getTime()), end: isoIn(30 * day, clock.now().getTime()) });
  published = c.id;
  draft = uuid();
  await pushOk(portal.url, organizer, [
    ...c.mutations,
    mut('competition.publish', { competitionId: published, baseVersion: 0 }),
    mut('competition.create', { competitionId: draft, organizationId: ORGANIZER_ORG, method: c.method, nameKk: 'Жоба', nameRu: 'Черновик', nameEn: '' }),
  ]);
}, 60_000);

afterAll(async () => {
  for (const b of backends) await b.close();
  await proxy?.close();
  await portal?.cleanup();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('who finds a competition', () => {
  it('the state partner\'s representative, another Head of the partner and an initiator: "where I take part"; an unrelated organization: "all published" only; a draft reaches nobody outside its organization', async () => {
    // A second Head of the state partner organization, not named as its representative.
    const secondHead = await addUser(portal.db, portal.url, { orgId: demoId('org', 'state'), roles: ['head'], name: 'Екінші Басшы' });
    const secondHeadLogin = `u${secondHead.id.slice(-12)}@example.kz`;
    for (const login of ['state.head@demo.seriktes.kz', secondHeadLogin, 'green.head@demo.seriktes.kz']) {
      const b = await signedIn(login);
      expect(await ids(b, 'participating'), login).toEqual([published]);
      expect(await ids(b, 'published'), login).toEqual([published]);
      expect(await ids(b, 'mine'), login).toEqual([]);
      expect(await codeOf(rpc(b, 'competition.get', { competitionId: draft })), login).toBe('not_found');
    }
    const outsider = await signedIn('qarmet.head@demo.seriktes.kz');
    expect(await ids(outsider, 'participating')).toEqual([]);
    expect(await ids(outsider, 'published')).toEqual([published]);
    expect(await codeOf(rpc(outsider, 'competition.get', { competitionId: draft }))).toBe('not_found');
    // Filters work in every scope: the status column's values and the search box.
    expect((await rpc(outsider, 'competition.list', { scope: 'published', status: 'published', query: 'жылу' })).items).toHaveLength(1);
    expect((await rpc(outsider, 'competition.list', { scope: 'published', status: 'discussion' })).items).toHaveLength(0);
    // The organizer's own list still holds both, the draft with its edit and delete.
    const organizer = await signedIn('organizer@demo.seriktes.kz');
    expect((await ids(organizer, 'mine')).sort()).toEqual([published, draft].sort());
    expect(await ids(organizer, 'published')).toEqual([published]);
  });

  it('signed out: the published competitions come from the portal\'s public API, never a draft; down → portal_unreachable', async () => {
    const visitor = await backend();
    expect((await rpc(visitor, 'auth.status', {})).signedIn).toBe(false);
    const list = await rpc<{ items: { competitionId: string; status: string; canEdit: boolean }[] }>(visitor, 'competition.public.list', {});
    expect(list.items.map((r) => [r.competitionId, r.status, r.canEdit])).toEqual([[published, 'published', false]]);
    expect((await rpc(visitor, 'competition.public.list', { query: 'Тепловые' })).items).toHaveLength(1);
    expect((await rpc(visitor, 'competition.public.list', { query: 'жоқ-мұндай' })).items).toHaveLength(0);
    expect((await rpc(visitor, 'competition.public.get', { competitionId: published })).record).toMatchObject({ competitionId: published, status: 'published' });
    expect(await codeOf(rpc(visitor, 'competition.public.get', { competitionId: draft }))).toBe('not_found');
    // Not a valid id: refused by the contract's zod schema before anything is asked.
    expect(await codeOf(rpc(visitor, 'competition.public.get', { competitionId: '../admin' }))).toBe('invalid_input');
    proxy.cut();
    try {
      expect(await codeOf(rpc(visitor, 'competition.public.list', {}))).toBe('portal_unreachable');
      expect(await codeOf(rpc(visitor, 'competition.public.get', { competitionId: published }))).toBe('portal_unreachable');
    } finally {
      proxy.restore();
    }
  });

  it('"now" in the app is the portal\'s: its demo clock moved 40 days ahead is what sync status reports, signed in or out', async () => {
    clock.advance(40 * day);
    const app = await signedIn('state.head@demo.seriktes.kz');
    const visitor = await backend();
    await rpc(visitor, 'competition.public.list', {});
    for (const b of [app, visitor]) {
      const { portalOffsetMs } = await rpc<{ portalOffsetMs: number }>(b, 'sync.status', {});
      // The offset is the portal's clock minus the PC's: 40 days, give or take the request's own time.
      expect(Math.abs(portalOffsetMs - clock.offset)).toBeLessThan(60_000);
    }
  });
});
