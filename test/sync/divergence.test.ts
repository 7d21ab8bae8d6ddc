/**
 * Issue 15 §5: a portal restored from a backup. A real portal (in this process, on one fixed
 * loopback port across its restarts; on SQLite its data folder copied as the backup, on PostgreSQL
 * the data folder and a copy of its database) and the app back
 * end (browser-host process, its own cache). After the restore and 15 new writes the portal's feed
 * is past the app's cursor, so only the audit check can notice; the app must say so, keep its
 * unsent change, list what changed, offer its lost change again and end equal to the portal.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startBrowserHostProcess, tempDir, type RunningHost } from '../helpers/processes';
import { connectRpc } from '../helpers/rpc-client';
import { ORG, employees, freshIin, mut, push, signIn, startTestPortal, uuid } from '../portal-sync/helpers';
import { BACKENDS, freshStore, openStore, type Store } from '../portal-sync/backends';
import { sharedPostgres } from '../portal/postgres';
import { feedHead } from '../../src-portal/sync/feed';
import { runVerifyAudit } from '../../src-portal/cli';
import crypto from 'node:crypto';
import { AuditHeadSigner, DEFAULT_KEY_FILE } from '../../src-portal/audit/head-signing';
import { openLocalDb } from '../../src-main/db/local-db';
import { LocalSync } from '../../src-main/sync/local-sync';
import { Divergence } from '../../src-main/sync/divergence';
import { PortalClient } from '../../src-main/sync/portal-client';

type Portal = Awaited<ReturnType<typeof startTestPortal>>;
const HEAD = 'orgHead';

let port = 0;
let portal: Portal | null = null;
let store: Store;
let dataDir: string;
let host: RunningHost;
let rpc: Awaited<ReturnType<typeof connectRpc>>;

const start = async (on = port) => (portal = await startTestPortal({ dataDir, port: on, ...(store.postgresUrl ? { postgresUrl: store.postgresUrl } : {}) }));
/** Signs in on a just-restarted portal: fetch may first reuse a kept-alive socket the stopped one closed. */
async function headToken(): Promise<string> {
  try {
    return await signIn(base(), HEAD);
  } catch (e) {
    if ((e as { cause?: { code?: string } }).cause?.code !== 'UND_ERR_SOCKET') throw e;
    return signIn(base(), HEAD);
  }
}
const stop = async () => {
  await portal?.close();
  portal = null;
};
const base = () => portal!.url;

interface Backup { dir: string; postgresUrl?: string }
/** A backup of the stopped portal: its data folder (the SQLite files, the signing key) and on PostgreSQL a copy of its database. */
async function backUp(): Promise<Backup> {
  const dir = tempDir('divergence-backup');
  fs.cpSync(dataDir, dir, { recursive: true });
  if (!store.postgresUrl) return { dir };
  return { dir, postgresUrl: await (await sharedPostgres()).copyDb(store.postgresUrl, 'backup') };
}
/** Puts the backup back in place of the stopped portal's data folder and database. */
async function restore(b: Backup): Promise<void> {
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.cpSync(b.dir, dataDir, { recursive: true });
  if (store.postgresUrl) await (await sharedPostgres()).replaceDb(store.postgresUrl, b.postgresUrl!);
}

const register = (fullName: string) =>
  mut('employees.register', { organizationId: ORG, membershipId: uuid(), iin: freshIin(), fullName, email: `d${uuid().slice(0, 8)}@example.kz`, roles: ['organizer'] });

async function pushAll(token: string, ms: ReturnType<typeof mut>[]) {
  const r = await push(base(), token, ms);
  expect(r.status).toBe(200);
  expect(r.json.results.map((x: { status: string }) => x.status)).toEqual(ms.map(() => 'applied'));
}

const appNames = async () =>
  (await rpc.call('employees.list', { organizationId: ORG, offset: 0, limit: 200 })).items.map((e) => e.fullName).sort();

describe.each(BACKENDS)('a portal restored from a backup, on %s', (backend) => {
  beforeAll(async () => {
    store = await freshStore(backend);
    dataDir = tempDir('divergence-portal');
    port = await freePort();
    await start();
    host = await startBrowserHostProcess({ dataDir: tempDir('divergence-app'), portalUrl: base(), pullIntervalMs: 0 });
    rpc = await connectRpc(host);
    await rpc.call('auth.signIn', { login: 'organizer.head@demo.seriktes.kz', password: 'Seriktes-demo-2026' });
    await rpc.call('sync.now', {});
  }, 120_000);

  afterAll(async () => {
    rpc?.close();
    await host?.stop('SIGKILL');
    await stop();
  });

    it('the app notices, keeps its unsent change, lists what changed, re-sends what the portal lost, and ends equal to the portal', async () => {
      // The backup, of the stopped portal (so the SQLite files are consistent and no one uses the database).
      await stop();
      const backup = await backUp();
      await start();

      // After the backup: 5 employees registered elsewhere, and one the app registers (acknowledged).
      let token = await headToken();
      const gone = ['Жоғалған Бір', 'Жоғалған Екі', 'Жоғалған Үш', 'Жоғалған Төрт', 'Жоғалған Бес'];
      await pushAll(token, gone.map(register));
      await rpc.call('employees.register', { organizationId: ORG, iin: freshIin(), fullName: 'Қолданба Тіркеген', email: `app${uuid().slice(0, 6)}@example.kz`, roles: ['secretary'] });
      const acked = await rpc.call('sync.now', {});
      expect(acked).toMatchObject({ state: 'online', pending: 0 });
      expect(await appNames()).toEqual(expect.arrayContaining([...gone, 'Қолданба Тіркеген']));
      const feedBefore = await feedHead(portal!.db);

      // The portal goes down; meanwhile the app records a change it cannot send.
      await stop();
      await rpc.call('employees.register', { organizationId: ORG, iin: freshIin(), fullName: 'Жіберілмеген Өзгеріс', email: `u${uuid().slice(0, 6)}@example.kz`, roles: ['organizer'] });
      expect((await rpc.call('sync.now', {})).pending).toBe(1);

      // Restore the backup, then 15 new writes: 5 new employees and 10 role changes (on another port, so the
      // app's live channel does not catch the portal halfway through them and the lists below are exact).
      await restore(backup);
      await start(await freePort());
      token = await headToken();
      const fresh = ['Жаңа Бір', 'Жаңа Екі', 'Жаңа Үш', 'Жаңа Төрт', 'Жаңа Бес'];
      await pushAll(token, fresh.map(register));
      for (let i = 0; i < 2; i++) {
        const list = (await employees(base(), token)).filter((e) => fresh.includes(e.fullName));
        await pushAll(token, list.map((e) => mut('employees.setRoles', { organizationId: ORG, membershipId: e.membershipId, roles: i === 0 ? ['organizer', 'secretary'] : ['organizer'], baseVersion: e.version })));
      }
      // The feed is past where it was: the cursor check alone would not notice the restore.
      expect(await feedHead(portal!.db)).toBeGreaterThan(feedBefore);
      await stop();
      await start();

      const st = await rpc.call('sync.now', {});
      expect(st).toMatchObject({ state: 'online', pending: 0, diverged: true });
      const { report } = await rpc.call('sync.divergence', {});
      expect(report).toMatchObject({ complete: true });
      const employeesIn = (xs: { entityType: string; label: string }[]) => xs.filter((r) => r.entityType === 'membership').map((r) => r.label).sort();
      expect(employeesIn(report!.removed)).toEqual([...gone, 'Қолданба Тіркеген'].sort());
      // Added: the five new ones, and the unsent change: this cycle pushed it to the restored portal before
      // the pull (in the old view it was pending, never confirmed).
      expect(employeesIn(report!.added)).toEqual([...fresh, 'Жіберілмеген Өзгеріс'].sort());
      expect(report!.counts.removed).toBe(report!.removed.length);
      expect(report!.lost).toEqual([expect.objectContaining({ name: 'employees.register', args: expect.objectContaining({ fullName: 'Қолданба Тіркеген' }) })]);

      // The unsent change was kept and sent; the app's list equals the portal's.
      const portalNames = async () => (await employees(base(), token)).map((e) => e.fullName).sort();
      expect(await portalNames()).toContain('Жіберілмеген Өзгеріс');
      expect(await appNames()).toEqual(await portalNames());
      for (const n of gone) expect(await appNames()).not.toContain(n);

      // Re-send what the portal lost: the same mutation id, applied once.
      expect(await rpc.call('sync.resendLost', {})).toEqual({ resent: 1 });
      const after = await rpc.call('sync.now', {});
      expect(after).toMatchObject({ state: 'online', pending: 0, rejected: 0 });
      expect(await portalNames()).toContain('Қолданба Тіркеген');
      expect(await appNames()).toEqual(await portalNames());
      expect((await rpc.call('sync.divergence', {})).report!.lost).toEqual([]);
      expect(await rpc.call('sync.dismissDivergence', {})).toEqual({ dismissed: true });
      expect(await rpc.call('sync.now', {})).toMatchObject({ state: 'online', diverged: false });
    }, 120_000);

    it('verify-audit checks the signed heads and names a tampered signature', async () => {
      await stop();
      const out: string[] = [];
      expect(await runVerifyAudit(dataDir, (s) => out.push(s), store.postgresUrl)).toBe(0);
      expect(out.join('')).toMatch(/audit log OK: \d+ entries, head [0-9a-f]{64}; [1-9]\d* signed heads verified/);
      const db = await openStore(store, dataDir);
      const row = await db.selectFrom('audit_head_signatures').select(['seq', 'signature']).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
      const sig = Buffer.from(row.signature, 'base64');
      sig[5]! ^= 1;
      await db.updateTable('audit_head_signatures').set({ signature: sig.toString('base64') }).where('seq', '=', row.seq).execute();
      await db.destroy();
      out.length = 0;
      expect(await runVerifyAudit(dataDir, (s) => out.push(s), store.postgresUrl)).toBe(1);
      expect(out.join('')).toContain(`audit head signatures BROKEN at head ${row.seq}: the signature of head ${row.seq} is invalid`);
      await start();
    }, 60_000);

    it('a head signed by another key is refused, with nothing applied, until the pinned key is back', async () => {
      await stop();
      const keyFile = path.join(dataDir, DEFAULT_KEY_FILE);
      const original = fs.readFileSync(keyFile);
      expect(fs.statSync(keyFile).mode & 0o077).toBe(0);
      fs.rmSync(keyFile); // the next start makes a new key
      await start();
      const token = await headToken();
      await pushAll(token, [register('Басқа Кілт')]);
      const st = await rpc.call('sync.now', {});
      expect(st).toMatchObject({ state: 'untrusted', trustError: 'audit_key_changed' });
      expect(await appNames()).not.toContain('Басқа Кілт');

      await stop();
      fs.writeFileSync(keyFile, original, { mode: 0o600 });
      await start();
      expect(await rpc.call('sync.now', {})).toMatchObject({ state: 'online', trustError: null });
      expect(await appNames()).toContain('Басқа Кілт');
    }, 60_000);

    it('an acknowledgement whose pull never came is checked with the portal: lost or still there', async () => {
      const db = openLocalDb(path.join(tempDir('divergence-acks'), 'cache.sqlite'));
      try {
        const d = new Divergence(db, new LocalSync(db));
        const token = await headToken();
        const client = new PortalClient({ baseUrl: base(), token: () => token });
        const kept = register('Сақталған');
        await pushAll(token, [kept]);
        const ack = db.sqlite.prepare(
          "INSERT INTO outbox (mutation_id, name, args_json, touches_json, status, applied_seq, created_at, updated_at) VALUES (?, 'employees.register', ?, '[]', 'applied', 100000, ?, ?)",
        );
        const earlier = new Date(Date.now() - 60_000).toISOString();
        ack.run(kept.id, JSON.stringify(kept.args), earlier, earlier);
        const now = new Date().toISOString();
        expect(await d.lostUnpulled(client, now)).toBe(false);
        ack.run(uuid(), JSON.stringify(register('Жоғалған').args), earlier, earlier); // acknowledged, then lost in a restore
        expect(await d.lostUnpulled(client, now)).toBe(true);
        // Acknowledged in this very cycle: its pull is about to come, nothing to ask.
        db.sqlite.exec("DELETE FROM outbox WHERE mutation_id <> '" + kept.id + "'");
        ack.run(uuid(), '{}', now, now);
        expect(await d.lostUnpulled(client, earlier)).toBe(false);
      } finally {
        void db.close();
      }
    });
});

describe('the app checks the portal\'s signed heads', () => {
  it('a forged head signature is refused before the key is pinned or anything applied', () => {
    const db = openLocalDb(path.join(tempDir('divergence-cache'), 'cache.sqlite'));
    try {
      const d = new Divergence(db, new LocalSync(db));
      const signer = new AuditHeadSigner(crypto.generateKeyPairSync('ed25519').privateKey);
      const head = signer.sign(42, 'a'.repeat(64));
      const forged = { ...head, hash: 'b'.repeat(64) }; // another head under the genuine signature
      expect(() => d.checkHead(forged)).toThrow(expect.objectContaining({ code: 'audit_signature_invalid' }));
      expect(() => d.checkHead({ ...head, signature: Buffer.alloc(64).toString('base64') })).toThrow(expect.objectContaining({ code: 'audit_signature_invalid' }));
      expect(new LocalSync(db).getState('auditKey')).toBeNull();
      d.checkHead(head);
      expect(new LocalSync(db).getState('auditKey')).toBe(signer.publicKey);
      // A correctly signed head of another key, once a key is pinned.
      const other = new AuditHeadSigner(crypto.generateKeyPairSync('ed25519').privateKey).sign(43, 'c'.repeat(64));
      expect(() => d.checkHead(other)).toThrow(expect.objectContaining({ code: 'audit_key_changed' }));
    } finally {
      void db.close();
    }
  });
});
