/**
 * Portal bench (not a test): numbers for the notes.
 *  - sign-in latency (scrypt N=16384) over HTTP
 *  - audit append rate (one recordChange per transaction) and verify-audit speed
 *  - resumable upload throughput (8 MiB chunks over loopback) and finalize (hash + sniff)
 *  - p50/p95 of a public reference read
 * Run: npx tsx bench/portal.ts  (or through `npm run bench`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { startPortal } from '../../src-portal/server';
import { recordChange, verifyAuditChain } from '../../src-portal/audit/audit';
import { DEMO_PASSWORD } from '../../src-portal/seed/demo-data';

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const ms = (n: number) => `${n.toFixed(2)} ms`;

export async function run(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-bench-'));
  const portal = await startPortal({ dataDir, port: 0, demo: true, tickMs: 0, smtp: null, log: () => {} });
  try {
    const post = (url: string, body: unknown, token?: string) =>
      fetch(portal.url + url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });

    // Sign-in.
    const signIns: number[] = [];
    let token = '';
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      const r = await post('/api/auth/sign-in', { login: 'organizer.head@demo.seriktes.kz', password: DEMO_PASSWORD });
      token = ((await r.json()) as { token: string }).token;
      signIns.push(performance.now() - t);
    }
    console.log(`portal sign-in: p50 ${ms(pct(signIns, 50))}, p95 ${ms(pct(signIns, 95))} (scrypt N=16384 r=8)`);

    // Audit append + verify.
    const N = 5000;
    let t = performance.now();
    for (let i = 0; i < N; i++) {
      await portal.db.transaction().execute((trx) =>
        recordChange(trx, portal.ctx.nowIso(), { actorUserId: null, entityType: 'bench', entityId: String(i), recordType: 'bench', recordId: 'b', action: 'bench.append', data: { i, text: 'Тікелей келіссөздер' } }),
      );
    }
    const appendMs = performance.now() - t;
    t = performance.now();
    const v = await verifyAuditChain(portal.db);
    const verifyMs = performance.now() - t;
    console.log(`portal audit: ${(N / (appendMs / 1000)).toFixed(0)} appends/s (1 per transaction, synchronous=FULL); verify ${v.entries} entries in ${ms(verifyMs)} (${(v.entries / (verifyMs / 1000)).toFixed(0)}/s), ok=${v.ok}`);

    // Upload.
    const size = 32 * 1024 * 1024;
    const file = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(size - 9)]);
    const sha = createHash('sha256').update(file).digest('hex');
    t = performance.now();
    const created = (await (await post('/api/uploads', { size, sha256: sha }, token)).json()) as { uploadId: string; maxChunkBytes: number };
    for (let off = 0; off < size; off += created.maxChunkBytes) {
      const r = await fetch(`${portal.url}/api/uploads/${created.uploadId}?offset=${off}`, {
        method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' }, body: file.subarray(off, off + created.maxChunkBytes),
      });
      if (r.status !== 200) throw new Error(`chunk ${off}: ${r.status}`);
    }
    const upMs = performance.now() - t;
    t = performance.now();
    const fin = await fetch(`${portal.url}/api/uploads/${created.uploadId}/finalize`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    const finMs = performance.now() - t;
    console.log(`portal upload: 32 MiB in ${ms(upMs)} (${(32 / (upMs / 1000)).toFixed(1)} MiB/s, 8 MiB chunks, fsync per chunk); finalize ${ms(finMs)} (status ${fin.status})`);

    // Reference read.
    const reads: number[] = [];
    for (let i = 0; i < 300; i++) {
      const s = performance.now();
      await (await fetch(`${portal.url}/api/reference/aki-groups`)).arrayBuffer();
      reads.push(performance.now() - s);
    }
    console.log(`portal GET /api/reference/aki-groups: p50 ${ms(pct(reads, 50))}, p95 ${ms(pct(reads, 95))}`);
  } finally {
    await portal.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) void run();
