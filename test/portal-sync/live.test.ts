/**
 * Live channel: a real WebSocket per user. `changed` reaches another user
 * within a second of a push returning, only for scopes they read, and a
 * socket dropped while changes land loses nothing: the next pull from the
 * old cursor has every change.
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNC_PROTOCOL_VERSION } from '../../src-shared/sync/protocol';
import { demoIin } from '../../src-portal/seed/seed';
import { feedHead } from '../../src-portal/sync/feed';
import { call, demoId, freshIin, mut, openLive, ORG, pullAll, push, signIn, startTestPortal, uuid, type LiveClient } from './helpers';
import { BACKENDS, startBackendPortal, type TestPortal } from './backends';

let portal: TestPortal;
const tokens: Record<string, string> = {};
const open: LiveClient[] = [];
const P1 = demoId('org', 'private1');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterAll(async () => {
  await Promise.all(open.map((c) => c.close()));
});

const live = async (who: string) => {
  const c = await openLive(portal.url, tokens[who]!);
  open.push(c);
  return c;
};
const register = (organizationId = ORG, o: { iin?: string } = {}) =>
  mut('employees.register', { organizationId, membershipId: uuid(), iin: o.iin ?? freshIin(), fullName: 'Жанды Арна', email: `l${uuid().slice(0, 8)}@example.kz`, roles: ['organizer'] });

/** Status of a refused upgrade; resolves once the portal has closed the connection (the client never does). */
function upgradeStatus(headers: Record<string, string>, query = `protocolVersion=${SYNC_PROTOCOL_VERSION}`): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${portal.url.replace('http', 'ws')}/api/sync/live?${query}`, { headers });
    ws.once('unexpected-response', (_req, res) => {
      const timer = setTimeout(() => reject(new Error('the portal left a refused upgrade open')), 2000);
      res.socket.once('close', () => { clearTimeout(timer); resolve(res.statusCode ?? 0); });
      res.resume();
    });
    ws.once('open', () => { ws.close(); reject(new Error('upgrade was accepted')); });
    ws.once('error', () => {});
  });
}

// Announcements follow commits, so they run on both databases; the socket's own keepalive below does not touch one.
describe.each(BACKENDS)('live on %s', (backend) => {
  beforeAll(async () => {
    portal = await startBackendPortal(backend);
    for (const k of ['orgHead', 'secretary', 'private1Head', 'private2Head']) tokens[k] = await signIn(portal.url, k);
  });
  afterAll(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
    await portal.cleanup();
  });

  it('says hello with the feed head; refuses anonymous, bad tokens, old protocols and plain GETs', async () => {
    const c = await live('secretary');
    const hello = await c.next((m) => m.type === 'hello');
    expect(hello.seq).toBe(await feedHead(portal.db));
    expect(await upgradeStatus({})).toBe(401);
    expect(await upgradeStatus({ authorization: 'Bearer nonsense' })).toBe(401);
    expect(await upgradeStatus({ authorization: `Bearer ${tokens.secretary}` }, `protocolVersion=${SYNC_PROTOCOL_VERSION - 2}`)).toBe(426);
    const plain = await call(portal.url, 'GET', '/api/sync/live', { token: tokens.secretary! });
    expect(plain.status).toBe(400);
    expect(plain.json.code).toBe('invalid_input');
  });

  // How fast a change travels is bench row P2; here only who hears it.
  it('another user\'s push reaches a reader of the scope; a non-reader hears nothing', async () => {
    const reader = await live('secretary');
    const outsider = await live('private2Head');
    await reader.next((m) => m.type === 'hello');
    await outsider.next((m) => m.type === 'hello');
    for (let i = 0; i < 5; i++) {
      const r = await push(portal.url, tokens.orgHead!, [register()]);
      const seq = r.json.results[0].seq as number;
      await reader.next((m) => m.type === 'changed' && m.seq >= seq, 15_000);
    }
    await sleep(300);
    expect(outsider.messages.filter((m) => m.type === 'changed')).toEqual([]);
  });

  it('REST writes are announced too (after commit)', async () => {
    const reader = await live('secretary');
    await reader.next((m) => m.type === 'hello');
    const r = await call(portal.url, 'POST', `/api/orgs/${ORG}/employees`, { token: tokens.orgHead!, body: { iin: freshIin(), fullName: 'Рест Арқылы', email: `r${uuid().slice(0, 8)}@example.kz`, roles: ['customer'] } });
    expect(r.status).toBe(200);
    const head = await feedHead(portal.db);
    await reader.next((m) => m.type === 'changed' && m.seq >= head, 15_000);
  });

  it('a socket dropped while 3 changes land: after reconnecting, a pull from the old cursor has all of them, no gap', async () => {
    const first = await pullAll(portal.url, tokens.secretary!);
    const c = await live('secretary');
    await c.next((m) => m.type === 'hello');
    await c.close();
    const pushed: string[] = [];
    for (let i = 0; i < 3; i++) {
      const m = register();
      pushed.push((m.args as { membershipId: string }).membershipId);
      expect((await push(portal.url, tokens.orgHead!, [m])).json.results[0].status).toBe('applied');
    }
    const again = await live('secretary');
    const hello = await again.next((m) => m.type === 'hello');
    const next = await pullAll(portal.url, tokens.secretary!, { cursor: first.cursor });
    expect(next.changes.map((x) => x.entityId)).toEqual(expect.arrayContaining(pushed));
    expect(next.cursor).toBeGreaterThanOrEqual(hello.seq);
    // No gap: the incremental pull equals the tail of a fresh full pull.
    const full = await pullAll(portal.url, tokens.secretary!);
    expect(next.changes).toEqual(full.changes.filter((x) => x.seq > first.cursor));
  });

  it('a user removed from an organization hears about the removal, then nothing more from it', async () => {
    const add = register(P1, { iin: demoIin('secretary') });
    await push(portal.url, tokens.private1Head!, [add]);
    const c = await live('secretary');
    await c.next((m) => m.type === 'hello');
    const membershipId = (add.args as { membershipId: string }).membershipId;
    const rm = await push(portal.url, tokens.private1Head!, [mut('employees.remove', { organizationId: P1, membershipId, baseVersion: 1 })]);
    expect(rm.json.results[0].status).toBe('applied');
    await c.next((m) => m.type === 'changed' && m.seq >= rm.json.results[0].seq, 15_000);
    const count = c.messages.length;
    await push(portal.url, tokens.private1Head!, [register(P1)]);
    await sleep(1300); // past the safety-net poll too
    expect(c.messages.slice(count)).toEqual([]);
  });
});

describe('live socket', () => {
  it('keepalive: pings every period, drops a socket that stops answering, closes a signed-out session\'s socket', async () => {
    const fast = await startTestPortal({ syncLive: { pingMs: 150 } });
    try {
      const t1 = await signIn(fast.url, 'secretary');
      const t2 = await signIn(fast.url, 'secretary');
      const healthy = await openLive(fast.url, t1);
      let pings = 0;
      healthy.ws.on('ping', () => pings++);
      const silent = new WebSocket(`${fast.url.replace('http', 'ws')}/api/sync/live`, { headers: { authorization: `Bearer ${t1}` }, autoPong: false });
      const silentClosed = new Promise<number>((resolve) => silent.once('close', (code) => resolve(code)));
      const leaving = await openLive(fast.url, t2);
      const leftCode = new Promise<number>((resolve) => leaving.ws.once('close', (code) => resolve(code)));
      expect((await call(fast.url, 'POST', '/api/auth/sign-out', { token: t2 })).status).toBe(200);
      expect(await leftCode).toBe(4401);
      expect(await silentClosed).toBe(1006); // terminated, no closing handshake
      await sleep(400);
      expect(pings).toBeGreaterThanOrEqual(3);
      expect(healthy.ws.readyState).toBe(WebSocket.OPEN);
      await healthy.close();
    } finally {
      await fast.cleanup();
    }
  });

  it('closes its sockets when the portal stops', async () => {
    const other = await startTestPortal();
    const token = await signIn(other.url, 'secretary');
    const c = await openLive(other.url, token);
    await c.next((m) => m.type === 'hello');
    const closed = new Promise<number>((resolve) => c.ws.once('close', (code) => resolve(code)));
    await other.cleanup();
    expect(await closed).toBeGreaterThan(0);
  });
});
