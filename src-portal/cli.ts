/**
 * npm run portal -- --data DIR --port N [--host 127.0.0.1] [--demo] [--postgres postgres://user@host/db] [--mail-dir DIR] [--smtp-host H --smtp-port P --smtp-security tls|starttls|none --smtp-user U --smtp-pass P --smtp-from F]
 * npm run portal -- seed --data DIR
 * npm run portal -- verify-audit --data DIR      (exit 1 and name the first broken entry)
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startPortal } from './server';
import { connectPostgres, openPortalDb, openPortalDbPostgres, openPortalDbReadOnly } from './db/open';
import { verifyAuditChain } from './audit/audit';
import { auditKeyFile, publicKeyOf, verifyHeadSignatures } from './audit/head-signing';
import { readSettingsFile } from './settings';
import fs from 'node:fs';
import crypto from 'node:crypto';
import { seedDemoData } from './seed/seed';
import { DEFAULT_LIMITS, type PortalContext } from './context';
import { systemClock } from './clock';
import { SmtpSettingsSchema, type SmtpSettings } from './settings';

function usage(msg?: string): never {
  if (msg) process.stderr.write(`${msg}\n`);
  process.stderr.write('usage: portal [serve] --data DIR [--port N] [--host H] [--demo] [--postgres URL] [--mail-dir DIR] [--smtp-* ...] | seed --data DIR [--postgres URL] | verify-audit --data DIR [--postgres URL]\n');
  process.exit(2);
}

export async function runVerifyAudit(dataDir: string, out: (s: string) => void = (s) => process.stdout.write(s), postgresUrl?: string): Promise<number> {
  // Inspect the database as it is: read-only for SQLite, no migrations for PostgreSQL.
  const db = postgresUrl ? connectPostgres(postgresUrl) : openPortalDbReadOnly(dataDir).db;
  try {
    const r = await verifyAuditChain(db);
    if (!r.ok) {
      out(`audit log BROKEN at entry ${r.brokenSeq}: ${r.reason} (${r.entries} entries verified before it)\n`);
      return 1;
    }
    // The signed heads, against the portal's own key when its file is here (issue 15).
    const keyFile = auditKeyFile(dataDir, readSettingsFile(dataDir).auditSigningKeyFile);
    const key = fs.existsSync(keyFile) ? publicKeyOf(crypto.createPrivateKey(fs.readFileSync(keyFile))) : null;
    const s = await verifyHeadSignatures(db, key).catch((e: unknown) => {
      // A database from before the signatures table (read-only here, never migrated) has none to check.
      if (/no such table|does not exist/.test(String(e))) return { ok: true as const, checked: 0 };
      throw e;
    });
    if (!s.ok) {
      out(`audit head signatures BROKEN at head ${s.seq}: ${s.reason} (${s.checked} signatures verified before it)\n`);
      return 1;
    }
    out(`audit log OK: ${r.entries} entries, head ${r.headHash}; ${s.checked} signed heads verified${key ? '' : ' (no key file: each against its own key)'}\n`);
    return 0;
  } finally {
    await db.destroy();
  }
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      demo: { type: 'boolean' },
      'smtp-host': { type: 'string' },
      'smtp-port': { type: 'string' },
      'smtp-security': { type: 'string' },
      'smtp-user': { type: 'string' },
      'smtp-pass': { type: 'string' },
      'smtp-from': { type: 'string' },
      'smtp-ca': { type: 'string' },
      'mail-dir': { type: 'string' },
      postgres: { type: 'string' },
    },
  });
  const command = positionals[0] ?? 'serve';
  if (!values.data) usage('--data DIR is required');
  const dataDir = path.resolve(values.data);

  if (command === 'verify-audit') {
    process.exitCode = await runVerifyAudit(dataDir, undefined, values.postgres ?? process.env.SERIKTES_PORTAL_POSTGRES);
    return;
  }
  const postgresUrl = values.postgres ?? process.env.SERIKTES_PORTAL_POSTGRES;
  if (command === 'seed') {
    const { db } = postgresUrl
      ? await openPortalDbPostgres(postgresUrl, () => new Date().toISOString())
      : await openPortalDb(dataDir, () => new Date().toISOString());
    const ctx: PortalContext = {
      db, clock: systemClock, dataDir, demo: true, limits: DEFAULT_LIMITS, smtp: null, mailDir: null, publicName: 'seed',
      nowIso: () => new Date().toISOString(), log: (m, e) => process.stderr.write(`${m} ${String(e ?? '')}\n`),
    };
    try {
      const { created } = await seedDemoData(ctx);
      process.stdout.write(`seeded ${dataDir}: ${created} rows created (existing rows left as they were)\n`);
    } finally {
      await db.destroy();
    }
    return;
  }
  if (command !== 'serve') usage(`unknown command ${command}`);

  let smtp: SmtpSettings | undefined;
  if (values['smtp-host']) {
    smtp = SmtpSettingsSchema.parse({
      host: values['smtp-host'],
      port: Number(values['smtp-port'] ?? 587),
      security: values['smtp-security'] ?? 'starttls',
      user: values['smtp-user'],
      pass: values['smtp-pass'] ?? process.env.SERIKTES_SMTP_PASS,
      from: values['smtp-from'] ?? 'Seriktes <no-reply@localhost>',
      caFile: values['smtp-ca'],
    });
  }
  const portal = await startPortal({
    dataDir,
    port: values.port ? Number(values.port) : 8787,
    host: values.host ?? '127.0.0.1',
    demo: values.demo ?? false,
    ...(smtp ? { smtp } : {}),
    ...(values['mail-dir'] ? { mailDir: path.resolve(values['mail-dir']) } : {}),
    ...(postgresUrl ? { postgresUrl } : {}),
  });
  process.stdout.write(`Seriktes portal listening on ${portal.url} (data: ${dataDir}${values.demo ? ', demo mode' : ''})\n`);
  const stop = () => {
    portal.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

// Run only when executed directly (tests import runVerifyAudit).
const invokedDirectly = process.argv[1] && path.resolve(process.argv[1]).replace(/\.[cm]?[jt]s$/, '') === path.resolve(__dirname, 'cli');
if (invokedDirectly) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
