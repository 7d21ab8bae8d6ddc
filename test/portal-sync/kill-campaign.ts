/**
 * Kill campaign (issue 15): two clients push batches to a real portal while
 * something dies at a random point of the push stream, then everything sent
 * is replayed. Outcome counted, never sampled: 0 lost (every acknowledged
 * mutation's replay answers its first result and its effect is stored once),
 * 0 duplicated (one membership, one feed row, one audit entry per applied
 * mutation), and the audit chain verifies.
 *
 * What dies:
 * - `portal`: the portal process, SIGKILL, restarted on the same store (SQLite or PostgreSQL);
 * - `connections`: PostgreSQL terminates every server process of the portal's database
 *   mid-transaction (a lost commit answer looks like this); the portal keeps running;
 * - `server`: PostgreSQL itself stops immediately (a crash) and restarts from its WAL;
 *   only where the campaign owns the cluster (npm run soak).
 *
 * Shared by the vitest suite (a few trials) and `npm run soak` (the full campaign); no vitest here.
 */
import fs from 'node:fs';
import pg from 'pg';
import { verifyAuditChain } from '../../src-portal/audit/audit';
import type { PushResult } from '../../src-shared/sync/protocol';
import { crashServer, sharedPostgres, startServer } from '../portal/postgres';
import { freshIin, mut, ORG, push, signIn, spawnPortal, startTestPortal, tmpDir, uuid, demoId, type Mut } from './helpers';
import { freshStore, openStore, storeEnv, type Backend, type Store } from './backends';

export type Victim = 'portal' | 'connections' | 'server';

export interface CampaignReport {
  backend: Backend;
  victim: Victim;
  trials: number;
  /** Replays the same kill points: runKillCampaign({ ..., seed }). */
  seed: number;
  sent: number;
  acknowledged: number;
  /** Pushes whose answer never came (the kill hit them in flight). */
  unanswered: number;
  lost: string[];
  duplicated: string[];
  /** Acknowledged mutations whose replay answered something else. */
  changedAnswers: string[];
  auditOk: boolean;
}

interface Sent { m: Mut; membershipId: string; first?: PushResult }

/** A small deterministic generator, so a failing seed can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 2 ** 32;
  };
}

const CLIENTS = [{ login: 'orgHead', org: ORG }, { login: 'private1Head', org: demoId('org', 'private1') }] as const;

function registration(org: string): Sent {
  const membershipId = uuid();
  const m = mut('employees.register', { organizationId: org, membershipId, iin: freshIin(), fullName: 'Өлтіру Сынағы', email: `k${uuid().slice(0, 8)}@example.kz`, roles: ['organizer'] });
  return { m, membershipId };
}

/** A role change of the client's own acknowledged registration, on the version its answer gave. */
function roleChange(org: string, of: Sent): Sent | null {
  const r = of.first?.result as { version?: number } | undefined;
  if (of.first?.status !== 'applied' || !r?.version) return null;
  const m = mut('employees.setRoles', { organizationId: org, membershipId: of.membershipId, roles: ['secretary'], baseVersion: r.version });
  return { m, membershipId: of.membershipId };
}

interface Running { url: string; kill(): Promise<void>; stop(): Promise<void> }

/** The portal: a process when it is the victim, else in this process (cheaper; the database is what fails). */
async function startRunning(victim: Victim, store: Store, dataDir: string): Promise<Running> {
  if (victim === 'portal') {
    const p = await spawnPortal(dataDir, storeEnv(store));
    const end = async (sig: NodeJS.Signals) => { p.child.kill(sig); await p.exited; };
    return { url: p.url, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') };
  }
  const p = await startTestPortal({ dataDir, ...(store.postgresUrl ? { postgresUrl: store.postgresUrl } : {}) });
  return { url: p.url, kill: () => Promise.resolve(), stop: () => p.cleanup() };
}

export async function runKillCampaign(o: { backend: Backend; victim: Victim; trials: number; batchesPerTrial?: number; seed?: number; log?: (s: string) => void }): Promise<CampaignReport> {
  if (o.victim !== 'portal' && o.backend !== 'postgres') throw new Error(`${o.victim} kills need PostgreSQL`);
  const seed = o.seed ?? Math.floor(Math.random() * 2 ** 31);
  const rand = rng(seed);
  const log = o.log ?? (() => {});
  log(`kill campaign ${o.backend}/${o.victim}: ${o.trials} trials, seed ${seed}`);
  const store: Store = await freshStore(o.backend);
  const dataDir = tmpDir('portal-kill-');
  const sent: Sent[][] = CLIENTS.map(() => []);
  const changed = new Set<string>();
  const report: CampaignReport = { backend: o.backend, victim: o.victim, trials: o.trials, seed, sent: 0, acknowledged: 0, unanswered: 0, lost: [], duplicated: [], changedAnswers: [], auditOk: false };
  let portal = await startRunning(o.victim, store, dataDir);
  const pgAdmin = o.victim === 'connections' ? new pg.Client({ connectionString: (await sharedPostgres()).url('postgres') }) : null;
  pgAdmin?.on('error', () => {});
  await pgAdmin?.connect();
  const dbName = store.postgresUrl ? new URL(store.postgresUrl).pathname.slice(1) : '';
  try {
    for (let trial = 0; trial < o.trials; trial++) {
      const tokens = await Promise.all(CLIENTS.map((c) => signIn(portal.url, c.login)));
      // The victim dies right after the k-th request of this trial left, k random among the first ones every trial sends.
      const batches = o.batchesPerTrial ?? 4;
      const killAt = 1 + Math.floor(rand() * CLIENTS.length * batches);
      let requests = 0;
      let killed: Promise<void> | null = null;
      const kill = async () => {
        await new Promise((r) => setTimeout(r, rand() * 30));
        if (o.victim === 'portal') await portal.kill();
        else if (o.victim === 'connections') {
          await pgAdmin!.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [dbName]);
        } else {
          const { info } = await sharedPostgres();
          crashServer(info);
          startServer(info);
        }
      };
      await Promise.all(CLIENTS.map(async (c, ci) => {
        for (let b = 0; b < batches; b++) {
          const mine = sent[ci]!;
          const batch: Sent[] = [];
          for (let i = 1 + Math.floor(rand() * 3); i > 0; i--) {
            // At most one role change per registration, so its base version is the one the registration answered.
            const earlier = mine.length ? mine[Math.floor(rand() * mine.length)]! : null;
            const change = earlier && rand() < 0.3 && earlier.m.name === 'employees.register' && !changed.has(earlier.membershipId) ? roleChange(c.org, earlier) : null;
            if (change) changed.add(change.membershipId);
            batch.push(change ?? registration(c.org));
          }
          mine.push(...batch);
          report.sent += batch.length;
          // Until answered: a portal that is gone ends the client's trial; a failed database answers 5xx and is retried.
          for (;;) {
            const answer = push(portal.url, tokens[ci]!, batch.map((s) => s.m));
            if (++requests === killAt) killed = kill();
            let r: Awaited<typeof answer>;
            try {
              r = await answer;
            } catch {
              report.unanswered++;
              return; // the portal died with this request in flight
            }
            if (r.status >= 500) { report.unanswered++; continue; }
            if (r.status !== 200) throw new Error(`push answered ${r.status}: ${r.bytes.toString('utf8').slice(0, 300)}`);
            (r.json.results as PushResult[]).forEach((res, i) => { batch[i]!.first ??= res; });
            break;
          }
        }
      }));
      await killed;
      if (o.victim === 'portal') portal = await startRunning(o.victim, store, dataDir);
    }
    // Everything sent is replayed, each client in its own order: the unanswered get applied now, the answered repeat.
    const tokens = await Promise.all(CLIENTS.map((c) => signIn(portal.url, c.login)));
    for (const [ci, mine] of sent.entries()) {
      for (let i = 0; i < mine.length; i += 50) {
        const part = mine.slice(i, i + 50);
        const r = await push(portal.url, tokens[ci]!, part.map((s) => s.m));
        if (r.status !== 200) throw new Error(`replay answered ${r.status}`);
        (r.json.results as PushResult[]).forEach((res, j) => {
          const s = part[j]!;
          if (s.first) {
            report.acknowledged++;
            if (JSON.stringify(res) !== JSON.stringify(s.first)) report.changedAnswers.push(`${s.m.name} ${s.m.id}: first ${JSON.stringify(s.first)}, replay ${JSON.stringify(res)}`);
          }
          s.first ??= res;
        });
      }
    }
    await verify(store, dataDir, sent.flat(), report);
  } finally {
    await pgAdmin?.end();
    await portal.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  log(`kill campaign ${o.backend}/${o.victim}: ${JSON.stringify({ ...report, lost: report.lost.length, duplicated: report.duplicated.length, changedAnswers: report.changedAnswers.length })}`);
  return report;
}

/** Reads the store as it is: every applied mutation's effect once, nothing twice. */
async function verify(store: Store, dataDir: string, all: Sent[], report: CampaignReport): Promise<void> {
  const db = await openStore(store, dataDir);
  try {
    const byEntity = new Map<string, Sent[]>();
    for (const s of all) byEntity.set(s.membershipId, [...(byEntity.get(s.membershipId) ?? []), s]);
    const ids = [...byEntity.keys()];
    const memberships = await db.selectFrom('memberships').select(['id', 'version']).where('id', 'in', ids).execute();
    const audit = await db.selectFrom('audit_log').select('entity_id').where('entity_id', 'in', ids).execute();
    const feed = await db.selectFrom('change_feed').select('entity_id').where('entity_id', 'in', ids).execute();
    const stored = await db.selectFrom('applied_mutations').select(['id', 'status']).where('id', 'in', all.map((s) => s.m.id)).execute();
    const count = (rows: { entity_id: string }[], id: string) => rows.filter((r) => r.entity_id === id).length;
    for (const [id, list] of byEntity) {
      const applied = list.filter((s) => s.first?.status === 'applied').length;
      const rows = memberships.filter((r) => r.id === id);
      if (rows.length !== 1 || rows[0]!.version !== applied) report.lost.push(`membership ${id}: ${rows.length} row(s) at version ${rows[0]?.version}, ${applied} applied mutation(s)`);
      const a = count(audit, id);
      if (a > applied) report.duplicated.push(`membership ${id}: ${a} audit entries for ${applied} applied mutation(s)`);
      else if (a < applied) report.lost.push(`membership ${id}: ${a} audit entries for ${applied} applied mutation(s)`);
      if (count(feed, id) !== 1) report.duplicated.push(`membership ${id}: ${count(feed, id)} feed rows`);
    }
    for (const s of all) {
      const n = stored.filter((r) => r.id === s.m.id).length;
      if (n !== 1) (n ? report.duplicated : report.lost).push(`mutation ${s.m.id}: stored ${n} time(s)`);
      if (s.first?.status !== 'applied') report.lost.push(`mutation ${s.m.name} ${s.m.id} ended ${JSON.stringify(s.first)}`);
    }
    report.auditOk = (await verifyAuditChain(db)).ok;
  } finally {
    await db.destroy();
  }
}
