/**
 * App-side sync bench (issue 4), numbers for the notes — not a test.
 * The portal runs in a child process (bench/sync-portal-child.ts) with
 * 100 000 employees in one organization's feed; the app's LocalSync and
 * SyncEngine run here, so the event-loop delay measured is the app's.
 *
 *  1. initial pull of 100 000 changes vs the baseline: a prepared INSERT of
 *     the same rows into the same schema (indexes included), one transaction;
 *     bytes on the wire through a counting proxy; largest event-loop delay;
 *  2. incremental sync of one change made by another user (live channel → pull), p50/p95;
 *  3. first page of a filtered list over 10 000 records through the RPC dispatcher, p50/p95.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openLocalDb } from '../src-main/db/local-db';
import { LocalSync } from '../src-main/sync/local-sync';
import { SyncEngine } from '../src-main/sync/engine';
import { PortalClient } from '../src-main/sync/portal-client';
import { createBackend } from '../src-main/backend/backend';
import { SessionSchema } from '../src-shared/portal-api/schemas';
import { uuidv7 } from '../src-shared/sync/uuidv7';
import type { ActorView } from '../src-main/sync/state-loaders';

const DEMO_PASSWORD = 'Seriktes-demo-2026';
const N = Number(process.env.SYNC_BENCH_N ?? 100_000);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const f = (n: number) => n.toFixed(1);

async function startPortalChild(): Promise<{ url: string; org: string; stop(): void }> {
  const child = spawn(process.execPath, [join(__dirname, '..', 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(__dirname, 'sync-portal-child.ts'), String(N)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((ok, fail) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = buf.match(/portal url: (\S+) org: (\S+)/);
      if (m) ok(m[0]);
    });
    child.once('exit', (c) => fail(new Error(`portal child exited ${c}`)));
  });
  const [, url, org] = line.match(/portal url: (\S+) org: (\S+)/)!;
  return { url: url!, org: org!, stop: () => child.kill('SIGTERM') };
}

/** Counts bytes crossing the wire between app and portal. */
async function countingProxy(target: string): Promise<{ url: string; bytes: () => number; reset(): void }> {
  const port = Number(new URL(target).port);
  let received = 0;
  const server = createServer((client) => {
    const up = connect(port, '127.0.0.1');
    up.on('data', (d: Buffer) => {
      received += d.length;
    });
    client.pipe(up);
    up.pipe(client);
    client.on('error', () => undefined);
    up.on('error', () => undefined);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  server.unref();
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bytes: () => received, reset: () => (received = 0) };
}

async function signIn(url: string, login: string) {
  const client = new PortalClient({ baseUrl: url });
  return SessionSchema.parse(await client.request('POST', '/api/auth/sign-in', { login, password: DEMO_PASSWORD }, { auth: false }));
}

export async function run(): Promise<void> {
  const portal = await startPortalChild();
  const dir = mkdtempSync(join(tmpdir(), 'sync-bench-app-'));
  try {
    const proxy = await countingProxy(portal.url);
    // ---- 1. initial pull ---------------------------------------------------
    const session = await signIn(proxy.url, 'organizer.head@demo.seriktes.kz');
    const actor: ActorView = { userId: session.user.id, memberships: session.user.memberships.map((m) => ({ organizationId: m.organizationId, roles: m.roles })) };
    const db = openLocalDb(join(dir, 'app.sqlite'));
    const local = new LocalSync(db);
    let status = '';
    const engine = new SyncEngine({
      client: new PortalClient({ baseUrl: proxy.url, token: () => session.token }),
      local,
      clientId: uuidv7(),
      actor: () => actor,
      token: () => session.token,
      onStatus: (s) => (status = s.state),
      periodicPullMs: 0,
      pageSize: 2000,
    });
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    proxy.reset();
    let t = performance.now();
    await engine.syncNow();
    const pullMs = performance.now() - t;
    loop.disable();
    const wire = proxy.bytes();
    const rows = (db.sqlite.prepare('SELECT COUNT(*) AS n FROM records_confirmed').get() as { n: number }).n;
    if (status !== 'online') throw new Error(`sync ended ${status}`);

    // Baseline: the same rows with one prepared INSERT each, same schema and indexes, one transaction.
    const base = openLocalDb(join(dir, 'base.sqlite'));
    const src = db.sqlite.prepare('SELECT * FROM records_confirmed').all() as { entity_type: string; entity_id: string; scope: string; version: number; data_json: string }[];
    t = performance.now();
    const ins = base.sqlite.prepare('INSERT INTO records_confirmed (entity_type, entity_id, scope, version, data_json) VALUES (?, ?, ?, ?, ?)');
    const insView = base.sqlite.prepare(
      'INSERT INTO records_view (entity_type, entity_id, scope, version, data_json, pending, sort_key, search_text, tags) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)',
    );
    // The same rows, list columns included (taken as they are, so their computing is not charged to the baseline).
    const cols = db.sqlite.prepare('SELECT sort_key, search_text, tags FROM records_view WHERE entity_type = ? AND entity_id = ?');
    const rowsWithCols = src.map((r) => ({ ...r, ...(cols.get(r.entity_type, r.entity_id) as { sort_key: string; search_text: string; tags: string }) }));
    t = performance.now();
    base.sqlite.transaction(() => {
      for (const r of rowsWithCols) {
        ins.run(r.entity_type, r.entity_id, r.scope, r.version, r.data_json);
        insView.run(r.entity_type, r.entity_id, r.scope, r.version, r.data_json, r.sort_key, r.search_text, r.tags);
      }
    })();
    const baseMs = performance.now() - t;
    console.log(`sync: initial pull of ${rows} changes in ${f(pullMs)} ms; baseline prepared INSERT (confirmed + view tables, one transaction) ${f(baseMs)} ms; ratio ${(pullMs / baseMs).toFixed(2)}×`);
    console.log(`sync: bytes on the wire ${(wire / 1024 / 1024).toFixed(2)} MiB (${(wire / rows).toFixed(1)} B/change, gzip); largest event-loop delay during the pull ${f(loop.max / 1e6)} ms (p99 ${f(loop.percentile(99) / 1e6)} ms)`);
    await base.close();

    // ---- 2. incremental sync of one change by another user -----------------
    engine.start(); // live channel on
    await new Promise((r) => setTimeout(r, 300));
    const other = await signIn(portal.url, 'organizer.head@demo.seriktes.kz');
    const otherClient = new PortalClient({ baseUrl: portal.url, token: () => other.token });
    const org = portal.org;
    const target = db.sqlite.prepare("SELECT entity_id FROM records_view WHERE entity_type = 'membership' AND scope = ? AND data_json LIKE '%organizer.head@%'").get(`org:${org}`) as { entity_id: string } | undefined;
    const lat: number[] = [];
    const wireInc: number[] = [];
    if (target) {
      let version = (db.sqlite.prepare('SELECT version FROM records_confirmed WHERE entity_id = ?').get(target.entity_id) as { version: number }).version;
      for (let i = 0; i < 40; i++) {
        const roles = i % 2 ? ['head', 'organizer'] : ['head'];
        proxy.reset();
        const res = (await otherClient.request('POST', '/api/sync/push', {
          protocolVersion: 1,
          clientId: uuidv7(),
          mutations: [{ id: uuidv7(), name: 'employees.setRoles', args: { organizationId: org, membershipId: target.entity_id, roles, baseVersion: version }, createdAt: new Date().toISOString() }],
        })) as { results: { status: string }[] };
        if (res.results[0]?.status !== 'applied') throw new Error(`push ${JSON.stringify(res)}`);
        const pushed = performance.now();
        for (;;) {
          const v = (db.sqlite.prepare('SELECT version FROM records_confirmed WHERE entity_id = ?').get(target.entity_id) as { version: number }).version;
          if (v > version) {
            version = v;
            break;
          }
          await new Promise((r) => setImmediate(r));
          if (performance.now() - pushed > 5000) throw new Error('incremental change did not arrive in 5 s');
        }
        lat.push(performance.now() - pushed);
        wireInc.push(proxy.bytes());
      }
      console.log(`sync: incremental change by another user, push returned → in the local cache: p50 ${f(pct(lat, 50))} ms, p95 ${f(pct(lat, 95))} ms (n=${lat.length}, ${Math.round(pct(wireInc, 50))} B on the wire incl. live message)`);
    }
    engine.stop();
    await db.close();

    // ---- 3. first page of a filtered list over 10 000 records through the RPC --
    const appDir = join(dir, 'backend');
    const backend = await createBackend({ dataDir: appDir, hostKind: 'browser', portalUrl: 'http://127.0.0.1:9', version: 'bench', periodicPullMs: 0 });
    const fake = await signIn(portal.url, 'organizer.head@demo.seriktes.kz');
    // Sign in through the real path, then stop syncing and fill the cache with 10 000 records.
    const realBackend = await createBackend({ dataDir: join(dir, 'backend2'), hostKind: 'browser', portalUrl: portal.url, version: 'bench', periodicPullMs: 0 });
    await realBackend.call('auth.signIn', { login: 'organizer.head@demo.seriktes.kz', password: DEMO_PASSWORD });
    const acc = realBackend.accounts.require();
    acc.engine.stop();
    acc.db.sqlite.exec('DELETE FROM records_view; DELETE FROM records_confirmed;');
    const put = acc.db.sqlite.prepare('INSERT INTO records_view (entity_type, entity_id, scope, version, data_json, pending) VALUES (?, ?, ?, ?, ?, 0)');
    acc.db.tx(() => {
      for (let i = 0; i < 10_000; i++) {
        const id = uuidv7();
        put.run('membership', id, `org:${org}`, 1, JSON.stringify({ membershipId: id, organizationId: org, userId: id, fullName: `${i % 2 ? 'Әлия' : 'Нұрлан'} Тестова ${i}`, email: `e${i}@example.kz`, roles: i % 3 ? ['organizer'] : ['secretary'] }));
      }
    });
    const times: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t0 = performance.now();
      const r = await realBackend.call('employees.list', { organizationId: org, query: i % 2 ? 'әлия' : 'нұрлан', role: i % 4 ? undefined : 'organizer', offset: 0, limit: 50 });
      times.push(performance.now() - t0);
      if (!r.ok) throw new Error(JSON.stringify(r));
    }
    console.log(`sync: first page (50) of a filtered list over 10 000 records through the RPC dispatcher: p50 ${f(pct(times, 50))} ms, p95 ${f(pct(times, 95))} ms (target p95 < 16 ms)`);
    void fake;
    await realBackend.close();
    await backend.close();
  } finally {
    portal.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void run().then(() => process.exit(0));
