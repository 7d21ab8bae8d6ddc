import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { rmSync, readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { openLocalDb, migrate, type LocalDb } from '../../src-main/db/local-db';
import { LOCAL_MIGRATIONS } from '../../src-main/db/migrations';
import { acquireAccountLock } from '../../src-main/db/account-lock';
import { LocalSync } from '../../src-main/sync/local-sync';
import type { ActorView } from '../../src-main/sync/state-loaders';
import { uuidv7 } from '../../src-shared/sync/uuidv7';
import { MAX_FAILED_ATTEMPTS, MAX_FAILING_MS } from '../../src-shared/sync/failures';
import type { PullResponse } from '../../src-shared/sync/protocol';
import { tempDir, waitForLine } from '../helpers/processes';
import { grepSources } from '../helpers/source-files';

const ORG = uuidv7();
const HEAD_M = uuidv7();
const EMP_M = uuidv7();
const head: ActorView = { userId: 'u-head', memberships: [{ organizationId: ORG, roles: ['head'] }] };
const clerk: ActorView = { userId: 'u-clerk', memberships: [{ organizationId: ORG, roles: ['supplier'] }] };

let dir: string;
let db: LocalDb;
let local: LocalSync;

const page = (changes: PullResponse['changes'], cursor: number, scopes = [`org:${ORG}`]): PullResponse => ({
  changes,
  cursor,
  hasMore: false,
  scopes,
  auditHead: { seq: cursor, hash: 'h'.repeat(64), signature: '', publicKey: '' },
});
const employee = (membershipId: string, fullName: string, roles: string[], version: number, seq: number) => ({
  seq,
  entityType: 'membership',
  entityId: membershipId,
  scope: `org:${ORG}`,
  op: 'put' as const,
  version,
  data: { membershipId, organizationId: ORG, userId: uuidv7(), fullName, email: `${version}@x.kz`, roles },
});
const view = () =>
  db.sqlite.prepare('SELECT entity_id, version, pending, data_json FROM records_view ORDER BY entity_id').all() as {
    entity_id: string;
    version: number;
    pending: number;
    data_json: string;
  }[];
const outbox = () => db.sqlite.prepare('SELECT name, status, args_json FROM outbox ORDER BY seq').all() as { name: string; status: string; args_json: string }[];

beforeEach(() => {
  dir = tempDir('local');
  db = openLocalDb(join(dir, 'cache.sqlite'));
  local = new LocalSync(db);
  local.applyPullPage(page([employee(HEAD_M, 'Әсел Басшы', ['head'], 3, 1), employee(EMP_M, 'Нұрлан Қызметкер', ['supplier'], 1, 2)], 2), head);
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('local cache', () => {
  it('opens with WAL, synchronous=FULL, foreign keys and STRICT tables', () => {
    expect(db.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.sqlite.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    const ddl = (db.sqlite.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { sql: string }[]).map((r) => r.sql);
    expect(ddl.length).toBeGreaterThan(3);
    for (const sql of ddl) expect(sql).toMatch(/STRICT\s*$/);
    expect(db.sqlite.pragma('user_version', { simple: true })).toBe(LOCAL_MIGRATIONS.at(-1)!.version);
  });

  it('a migration that fails halfway leaves the database unchanged', () => {
    const file = join(dir, 'm.sqlite');
    const raw = new Database(file);
    migrate(raw, LOCAL_MIGRATIONS);
    const before = raw.prepare("SELECT name FROM sqlite_master ORDER BY name").all();
    const broken = [...LOCAL_MIGRATIONS, { version: 99, name: 'broken', sql: 'CREATE TABLE extra (a TEXT) STRICT; INSERT INTO nope VALUES (1);' }];
    expect(() => migrate(raw, broken)).toThrow();
    expect(raw.prepare("SELECT name FROM sqlite_master ORDER BY name").all()).toEqual(before);
    expect(raw.pragma('user_version', { simple: true })).toBe(LOCAL_MIGRATIONS.at(-1)!.version);
    raw.close();
  });

  it('refuses a cache written by a newer version', () => {
    const file = join(dir, 'future.sqlite');
    const raw = new Database(file);
    raw.pragma('user_version = 999');
    raw.close();
    expect(() => openLocalDb(file)).toThrow(expect.objectContaining({ code: 'upgrade_required' }));
  });

  it('refuses asynchronous transaction callbacks, and no source file writes one', () => {
    expect(() => db.tx((async () => 1) as unknown as () => number)).toThrow(/must be synchronous/);
    expect(grepSources(['src-main'], /\.(tx|transaction)\(\s*async\b/)).toEqual([]);
  });

  it('one process per account: a live owner keeps the lock, a dead one loses it', async () => {
    const lockFile = join(dir, 'cache.lock');
    // The child says when its lock is written (a loaded machine may take seconds to start it), then waits to be killed.
    const child = spawn(process.execPath, ['-e', `require('fs').writeFileSync(${JSON.stringify(lockFile)}, String(process.pid)); console.log('locked'); setInterval(() => {}, 1000)`]);
    await waitForLine(child, /locked/, 60_000);
    expect(() => acquireAccountLock(lockFile)).toThrow(expect.objectContaining({ code: 'account_locked' }));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const lock = acquireAccountLock(lockFile);
    expect(readFileSync(lockFile, 'utf8')).toBe(String(process.pid));
    lock.release();
  });
});

describe('optimistic mutations and the outbox', () => {
  it('writes the change and its outbox row together; the shared rule refuses before anything is written', () => {
    local.mutate('employees.setRoles', { organizationId: ORG, membershipId: EMP_M, roles: ['supplier', 'organizer'], baseVersion: 1 }, head);
    expect(outbox()).toHaveLength(1);
    const emp = view().find((r) => r.entity_id === EMP_M)!;
    expect(JSON.parse(emp.data_json).roles).toEqual(['organizer', 'supplier']);
    expect(emp.pending).toBe(1);
    // The only Head cannot be demoted, and a non-Head cannot change roles: nothing queued.
    expect(() => local.mutate('employees.setRoles', { organizationId: ORG, membershipId: HEAD_M, roles: ['supplier'], baseVersion: 3 }, head)).toThrow(
      expect.objectContaining({ code: 'last_head' }),
    );
    expect(() => local.mutate('employees.remove', { organizationId: ORG, membershipId: EMP_M, baseVersion: 1 }, clerk)).toThrow(
      expect.objectContaining({ code: 'forbidden' }),
    );
    expect(outbox()).toHaveLength(1);
  });

  it('repeated edits of one field coalesce into one unsent outbox row', () => {
    const a = local.mutate('employees.setRoles', { organizationId: ORG, membershipId: EMP_M, roles: ['organizer'], baseVersion: 1 }, head);
    const b = local.mutate('employees.setRoles', { organizationId: ORG, membershipId: EMP_M, roles: ['customer'], baseVersion: 1 }, head);
    expect(b.mutationId).toBe(a.mutationId);
    expect(outbox()).toHaveLength(1);
    expect(JSON.parse(outbox()[0]!.args_json).roles).toEqual(['customer']);
    // Once sent, a row is never rewritten: the portal may hold a result under its id.
    local.markAttempt([1]);
    const c = local.mutate('employees.setRoles', { organizationId: ORG, membershipId: EMP_M, roles: ['secretary'], baseVersion: 1 }, head);
    expect(c.mutationId).not.toBe(a.mutationId);
    expect(outbox()).toHaveLength(2);
  });

  it('a rejected mutation is marked, explained, and its optimistic state dropped; later ones stay', () => {
    const bad = local.mutate('employees.setRoles', { organizationId: ORG, membershipId: EMP_M, roles: ['organizer'], baseVersion: 1 }, head);
    const newcomer = uuidv7();
    local.mutate('employees.register', { organizationId: ORG, membershipId: newcomer, iin: '850722400563', fullName: 'Жаңа Адам', email: 'new@x.kz', roles: ['supplier'] }, head);
    local.recordResults([{ id: bad.mutationId, status: 'rejected', seq: 2, error: { code: 'conflict', message: 'changed', details: { changedBy: 'Әсел Басшы' } } }], head);
    expect(JSON.parse(view().find((r) => r.entity_id === EMP_M)!.data_json).roles).toEqual(['supplier']);
    expect(view().find((r) => r.entity_id === newcomer)?.pending).toBe(1);
    expect(local.rejected()).toEqual([expect.objectContaining({ mutationId: bad.mutationId, error: expect.objectContaining({ code: 'conflict' }) })]);
    expect(local.counts()).toEqual({ pending: 1, rejected: 1 });
    expect(local.dismiss(bad.mutationId)).toBe(true);
    expect(local.counts()).toEqual({ pending: 1, rejected: 0 });
  });

  it('a mutation the portal fails to apply goes last and holds back only its record; after N answered attempts it is listed as could-not-be-sent', () => {
    let clock = '2026-12-06T10:00:00.000Z';
    const l = new LocalSync(db, () => clock);
    const args = { organizationId: ORG, membershipId: EMP_M, roles: ['organizer'], baseVersion: 1 };
    const failing = l.mutate('employees.setRoles', args, head);
    l.markAttempt([1]);
    const follower = l.mutate('employees.remove', { organizationId: ORG, membershipId: EMP_M, baseVersion: 1 }, head);
    const other = l.mutate('employees.register', { organizationId: ORG, membershipId: uuidv7(), iin: '850722400563', fullName: 'Жаңа Адам', email: 'new@x.kz', roles: ['supplier'] }, head);
    const ids = (rows: { mutation_id: string }[]) => rows.map((r) => r.mutation_id);
    expect(ids(l.pendingBatch(100))).toEqual([failing.mutationId, follower.mutationId, other.mutationId]);
    const retry = () => l.recordResults([{ id: failing.mutationId, status: 'retry', seq: 2, error: { code: 'mutation_failed', message: 'failed' } }], head);
    expect(retry()).toEqual([failing.mutationId]);
    // Same cycle: not again; its record's later change waits; the others go.
    expect(ids(l.pendingBatch(100, { skip: new Set([failing.mutationId]) }))).toEqual([other.mutationId]);
    // A later cycle: not before the spacing has passed, then last.
    expect(ids(l.pendingBatch(100, { spacingMs: 15_000 }))).toEqual([other.mutationId]);
    clock = '2026-12-06T10:00:15.000Z';
    expect(ids(l.pendingBatch(100, { spacingMs: 15_000 }))).toEqual([other.mutationId, failing.mutationId]);
    for (let i = 2; i <= MAX_FAILED_ATTEMPTS; i++) retry();
    expect(l.rejected()).toEqual([expect.objectContaining({ mutationId: failing.mutationId, couldNotSend: true, attempts: MAX_FAILED_ATTEMPTS, error: expect.objectContaining({ code: 'mutation_failed' }) })]);
    // Given up: its record's change goes now.
    expect(ids(l.pendingBatch(100))).toEqual([follower.mutationId, other.mutationId]);
  });

  it('after M hours of answered failures it gives up at the next one; edit and retry queues a checked new change', () => {
    let clock = '2026-12-06T10:00:00.000Z';
    const l = new LocalSync(db, () => clock);
    const failing = l.mutate('employees.setRoles', { organizationId: ORG, membershipId: EMP_M, roles: ['organizer'], baseVersion: 1 }, head);
    const retry = () => l.recordResults([{ id: failing.mutationId, status: 'retry', seq: 2, error: { code: 'mutation_failed', message: 'failed' } }], head);
    retry();
    expect(l.counts()).toEqual({ pending: 1, rejected: 0 });
    clock = new Date(Date.parse(clock) + MAX_FAILING_MS).toISOString();
    retry();
    expect(l.rejected()).toEqual([expect.objectContaining({ couldNotSend: true, attempts: 2 })]);
    // The shared rule still decides: an edit it refuses leaves the listed change as it was.
    expect(() => l.retry(failing.mutationId, { organizationId: ORG, membershipId: EMP_M, roles: [], baseVersion: 1 }, head)).toThrow();
    expect(l.counts()).toEqual({ pending: 0, rejected: 1 });
    const again = l.retry(failing.mutationId, { organizationId: ORG, membershipId: EMP_M, roles: ['customer'], baseVersion: 1 }, head);
    expect(again.mutationId).not.toBe(failing.mutationId);
    expect(l.counts()).toEqual({ pending: 1, rejected: 0 });
    expect(JSON.parse(view().find((r) => r.entity_id === EMP_M)!.data_json).roles).toEqual(['customer']);
  });

  it('pending changes stay on top of every pull until the portal confirms them', () => {
    local.mutate('employees.setRoles', { organizationId: ORG, membershipId: EMP_M, roles: ['organizer'], baseVersion: 1 }, head);
    // Someone else renamed the employee meanwhile: confirmed state changes, our pending roles stay.
    local.applyPullPage(page([employee(EMP_M, 'Нұрлан Жаңа', ['supplier'], 2, 3)], 3), head);
    const emp = view().find((r) => r.entity_id === EMP_M)!;
    expect(JSON.parse(emp.data_json)).toMatchObject({ fullName: 'Нұрлан Жаңа', roles: ['organizer'] });
    expect(emp.pending).toBe(1);
  });

  it('an applied mutation keeps its effect until the pull reaches it, then the portal state rules', () => {
    const m = local.mutate('employees.setRoles', { organizationId: ORG, membershipId: EMP_M, roles: ['organizer'], baseVersion: 1 }, head);
    local.recordResults([{ id: m.mutationId, status: 'applied', seq: 5 }], head);
    expect(JSON.parse(view().find((r) => r.entity_id === EMP_M)!.data_json).roles).toEqual(['organizer']);
    local.applyPullPage(page([employee(EMP_M, 'Нұрлан Қызметкер', ['organizer'], 2, 5)], 5), head);
    const emp = view().find((r) => r.entity_id === EMP_M)!;
    expect(emp).toMatchObject({ version: 2, pending: 0 });
  });

  it('losing a scope purges its records; gaining one is reported for back-fill', () => {
    local.markScopeKnown(`org:${ORG}`);
    expect(local.reconcileScopes([`org:${ORG}`, 'org:other'], head).gained).toEqual(['org:other']);
    local.reconcileScopes([], head);
    expect(view()).toEqual([]);
    expect(db.sqlite.prepare('SELECT COUNT(*) AS n FROM records_confirmed').get()).toEqual({ n: 0 });
  });

  it('editing a registration the portal has not seen folds into it; removing it cancels it', () => {
    const m = uuidv7();
    local.mutate('employees.register', { organizationId: ORG, membershipId: m, iin: '850722400563', fullName: 'Жаңа', email: 'n@x.kz', roles: ['supplier'] }, head);
    expect(local.amendUnsent('employees.register', (a) => a.membershipId === m, (a) => ({ ...a, roles: ['customer'] }), head)).not.toBeNull();
    expect(JSON.parse(outbox()[0]!.args_json).roles).toEqual(['customer']);
    expect(JSON.parse(view().find((r) => r.entity_id === m)!.data_json).roles).toEqual(['customer']);
    local.amendUnsent('employees.register', (a) => a.membershipId === m, () => null, head);
    expect(outbox()).toEqual([]);
    expect(view().find((r) => r.entity_id === m)).toBeUndefined();
  });
});
