/**
 * Portal sync bench (not a test): numbers for the notes.
 *  - feed write rate (publishChange, 10 000 per transaction)
 *  - initial pull of 100 000 changes over HTTP in pages of MAX_PULL_PAGE:
 *    wall time, pages, bytes on the wire gzip vs raw, slowest page, largest
 *    event-loop delay (server and client share this process, so it is an
 *    upper bound for the server)
 *  - baseline in the same run: one SELECT of the same rows straight from SQLite
 *  - incremental: one change by another user, push → pull of it (p50/p95)
 * Run: npx tsx bench/portal-sync.ts  (or through `npm run bench`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { gunzipSync } from 'node:zlib';
import { startPortal } from '../../src-portal/server';
import { publishChange } from '../../src-portal/sync/feed';
import { demoId } from '../../src-portal/seed/seed';
import { DEMO_PASSWORD } from '../../src-portal/seed/demo-data';
import { MAX_PULL_PAGE, SYNC_PROTOCOL_VERSION } from '../../src-shared/sync/protocol';
import { withCheckDigit, isValidIin } from '../../src-shared/domain/identity';

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const ms = (n: number) => `${n.toFixed(1)} ms`;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MiB`;

function get(url: string, token: string, gzip: boolean): Promise<{ wire: number; body: Buffer; ms: number }> {
  const t = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { authorization: `Bearer ${token}`, ...(gzip ? { 'accept-encoding': 'gzip' } : {}) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          const body = res.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
          resolve({ wire: raw.length, body, ms: performance.now() - t });
        });
      })
      .on('error', reject);
  });
}

async function pullAll(base: string, token: string, gzip: boolean) {
  let cursor = 0;
  let wire = 0;
  let raw = 0;
  let pages = 0;
  let rows = 0;
  const pageMs: number[] = [];
  for (;;) {
    const r = await get(`${base}/api/sync/pull?protocolVersion=${SYNC_PROTOCOL_VERSION}&limit=${MAX_PULL_PAGE}&cursor=${cursor}`, token, gzip);
    const page = JSON.parse(r.body.toString('utf8')) as { changes: unknown[]; cursor: number; hasMore: boolean };
    wire += r.wire;
    raw += r.body.length;
    pages++;
    rows += page.changes.length;
    pageMs.push(r.ms);
    cursor = page.cursor;
    if (!page.hasMore) break;
  }
  return { wire, raw, pages, rows, pageMs, cursor };
}

export async function run(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-sync-bench-'));
  const portal = await startPortal({ dataDir, port: 0, demo: true, tickMs: 0, smtp: null, log: () => {} });
  try {
    const ORG = demoId('org', 'organizer');
    const N = 100_000;
    let t = performance.now();
    const at = portal.ctx.nowIso();
    for (let start = 0; start < N; start += 10_000) {
      await portal.db.transaction().execute(async (trx) => {
        for (let i = start; i < start + 10_000; i++) {
          const id = `0190f0e2-${String(Math.floor(i / 1e8)).padStart(4, '0')}-7${String(i % 1000).padStart(3, '0')}-8000-${String(i).padStart(12, '0')}`;
          await publishChange(trx, at, {
            entityType: 'membership', entityId: id, scope: `org:${ORG}`, op: 'put', version: 1 + (i % 7),
            data: { membershipId: id, organizationId: ORG, userId: id, fullName: `Қызметкер Тестов ${i}`, email: `employee${i}@example.kz`, roles: i % 3 ? ['organizer'] : ['secretary', 'customer'] },
          });
        }
      });
    }
    const writeMs = performance.now() - t;
    console.log(`portal sync: feed write ${N} changes in ${ms(writeMs)} (${(N / (writeMs / 1000)).toFixed(0)}/s, 10k per transaction)`);

    const signIn = async (login: string) => {
      const r = await fetch(`${portal.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login, password: DEMO_PASSWORD }) });
      return ((await r.json()) as { token: string }).token;
    };
    const head = await signIn('organizer.head@demo.seriktes.kz');
    const secretary = await signIn('secretary@demo.seriktes.kz');

    // Baseline: the same rows in one SELECT, no HTTP, no paging.
    t = performance.now();
    const all = await portal.db.selectFrom('change_feed').selectAll().where('scope', '=', `org:${ORG}`).orderBy('seq').execute();
    const baseMs = performance.now() - t;

    for (const gzip of [true, false]) {
      const h = monitorEventLoopDelay({ resolution: 5 });
      h.enable();
      t = performance.now();
      const r = await pullAll(portal.url, secretary, gzip);
      const total = performance.now() - t;
      h.disable();
      console.log(
        `portal sync: initial pull (${gzip ? 'gzip' : 'identity'}) ${r.rows} changes in ${r.pages} pages: ${ms(total)} ` +
          `(${(total / baseMs).toFixed(1)}× one SELECT of the rows = ${ms(baseMs)} for ${all.length}); page p50 ${ms(pct(r.pageMs, 50))}, p95 ${ms(pct(r.pageMs, 95))}, max ${ms(Math.max(...r.pageMs))}; ` +
          `wire ${mb(r.wire)} (JSON ${mb(r.raw)}, ratio ${(r.raw / r.wire).toFixed(1)}×); max event-loop delay ${ms(h.max / 1e6)}`,
      );
    }

    // Incremental: the Head pushes one change; the secretary pulls it from her cursor.
    let cursor = (await pullAll(portal.url, secretary, true)).cursor;
    const lat: number[] = [];
    const pullMs: number[] = [];
    for (let i = 0; i < 50; i++) {
      let iin = '';
      for (let k = i * 10; !iin; k++) {
        const v = withCheckDigit(`900101${String(30000 + k * 7).padStart(5, '0')}`);
        if (v && isValidIin(v)) iin = v;
      }
      const t0 = performance.now();
      const body = {
        protocolVersion: SYNC_PROTOCOL_VERSION, clientId: crypto.randomUUID(),
        mutations: [{ id: crypto.randomUUID(), name: 'employees.register', createdAt: new Date().toISOString(), args: { organizationId: ORG, membershipId: crypto.randomUUID(), iin: `${iin}`, fullName: 'Жаңа Адам', email: `n${i}${Date.now()}@example.kz`, roles: ['organizer'] } }],
      };
      const pr = await fetch(`${portal.url}/api/sync/push`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${head}` }, body: JSON.stringify(body) });
      const pushed = (await pr.json()) as { results: { status: string; error?: unknown }[] };
      if (pushed.results[0]?.status !== 'applied') throw new Error(`push: ${JSON.stringify(pushed)}`);
      const t1 = performance.now();
      const r = await get(`${portal.url}/api/sync/pull?protocolVersion=${SYNC_PROTOCOL_VERSION}&cursor=${cursor}`, secretary, true);
      const page = JSON.parse(r.body.toString('utf8')) as { changes: unknown[]; cursor: number };
      if (page.changes.length < 1) throw new Error('incremental pull missed the change');
      cursor = page.cursor;
      pullMs.push(performance.now() - t1);
      lat.push(performance.now() - t0);
    }
    console.log(`portal sync: incremental (push of one registration incl. scrypt + pull of it by another user): p50 ${ms(pct(lat, 50))}, p95 ${ms(pct(lat, 95))}; the pull alone p50 ${ms(pct(pullMs, 50))}, p95 ${ms(pct(pullMs, 95))}`);
  } finally {
    await portal.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) void run();
