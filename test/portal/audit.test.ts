/** The audit hash chain: written with every change, verifiable, tamper-evident, readable per record. */
import path from 'node:path';
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, demoId, freshIin, signIn, startTestPortal } from './helpers';
import { runVerifyAudit } from '../../src-portal/cli';
import { canonicalJson } from '../../src-shared/portal-api/canonical-json';

const ROOT = path.resolve(__dirname, '../..');
const PORTAL = path.join(ROOT, 'dist/portal/cli.cjs');
const ORG = demoId('org', 'organizer');

function runCli(dataDir: string) {
  return spawnSync(process.execPath, [PORTAL, 'verify-audit', '--data', dataDir], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
}

let dataDir = '';
beforeAll(async () => {
  const portal = await startTestPortal({ dataDir: fs.mkdtempSync(path.join((await import('node:os')).tmpdir(), 'portal-audit-')) });
  dataDir = portal.dataDir;
  const head = await signIn(portal.url, 'orgHead');
  const r = await call(portal.url, 'POST', `/api/orgs/${ORG}/employees`, { token: head, body: { iin: freshIin(), fullName: 'Аудит Тексеруші', email: 'audit@example.kz', roles: ['secretary'] } });
  expect(r.status).toBe(200);
  await call(portal.url, 'PUT', `/api/orgs/${ORG}/employees/${r.json.userId}/roles`, { token: head, body: { roles: ['organizer', 'secretary'], version: 1 } });
  await portal.close();
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('audit chain', () => {
  it('canonical JSON follows RFC 8785 ordering and number forms', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], '€': 1e21, é: 0.000001, '\u0080': -0 })).toBe('{"a":[true,null,"x"],"b":1,"\u0080":0,"é":0.000001,"€":1e+21}');
    expect(() => canonicalJson({ x: Number.NaN })).toThrow();
  });

  it('a member reads the log of their organization; entries chain by hash', async () => {
    const portal = await startTestPortal({ dataDir });
    try {
      const staff = await signIn(portal.url, 'secretary');
      const r = await call(portal.url, 'GET', `/api/records/organization/${ORG}/audit`, { token: staff });
      expect(r.status).toBe(200);
      const actions = r.json.entries.map((e: { action: string }) => e.action);
      expect(actions).toContain('membership.created');
      expect(actions).toContain('membership.roles_changed');
      const change = r.json.entries.find((e: { action: string }) => e.action === 'membership.roles_changed');
      expect(change.data).toMatchObject({ from: ['secretary'], to: ['organizer', 'secretary'] });
      expect(change.actorUserId).toBe(demoId('user', 'orgHead'));
      expect(r.json.nextAfterSeq).toBeNull();
      const later = await call(portal.url, 'GET', `/api/records/organization/${ORG}/audit`, { token: staff, query: { afterSeq: change.seq } });
      expect(later.json.entries.every((e: { seq: number }) => e.seq > change.seq)).toBe(true);
      const head = await call(portal.url, 'GET', '/api/audit/head');
      expect(r.json.head).toEqual(head.json);
      expect(head.json.hash).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await portal.close();
    }
  });

  it('verify-audit accepts the untouched chain (function and CLI)', async () => {
    const lines: string[] = [];
    expect(await runVerifyAudit(dataDir, (s) => lines.push(s))).toBe(0);
    expect(lines.join('')).toMatch(/audit log OK: \d+ entries/);
    const cli = runCli(dataDir);
    expect(cli.status).toBe(0);
    expect(cli.stdout).toMatch(/audit log OK/);
  });

  it('names the first tampered entry after one row is edited in the database file', async () => {
    const copy = fs.mkdtempSync(path.join(path.dirname(dataDir), 'portal-audit-tampered-'));
    try {
      for (const f of fs.readdirSync(dataDir)) if (f.startsWith('portal.sqlite')) fs.copyFileSync(path.join(dataDir, f), path.join(copy, f));
      const db = new SQLite(path.join(copy, 'portal.sqlite'));
      const target = db.prepare("select seq, data_json from audit_log where action = 'membership.roles_changed'").get() as { seq: number; data_json: string };
      db.prepare('update audit_log set data_json = ? where seq = ?').run(target.data_json.replace('organizer', 'head'), target.seq);
      db.close();

      const lines: string[] = [];
      expect(await runVerifyAudit(copy, (s) => lines.push(s))).toBe(1);
      expect(lines.join('')).toContain(`BROKEN at entry ${target.seq}`);
      const cli = runCli(copy);
      expect(cli.status).toBe(1);
      expect(cli.stdout).toContain(`BROKEN at entry ${target.seq}`);
      expect(cli.stdout).toContain('altered');
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it('notices a deleted last entry (the head no longer matches)', async () => {
    const copy = fs.mkdtempSync(path.join(path.dirname(dataDir), 'portal-audit-trunc-'));
    try {
      for (const f of fs.readdirSync(dataDir)) if (f.startsWith('portal.sqlite')) fs.copyFileSync(path.join(dataDir, f), path.join(copy, f));
      const db = new SQLite(path.join(copy, 'portal.sqlite'));
      const last = (db.prepare('select max(seq) as s from audit_log').get() as { s: number }).s;
      db.prepare('delete from audit_log where seq = ?').run(last);
      db.close();
      const lines: string[] = [];
      expect(await runVerifyAudit(copy, (s) => lines.push(s))).toBe(1);
      expect(lines.join('')).toContain(`BROKEN at entry ${last}`);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });
});
