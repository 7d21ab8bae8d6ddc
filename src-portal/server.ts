/**
 * startPortal: the whole portal in one call, for the CLI, tests and the app's
 * `npm start` (in-process or as a child process).
 */
import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Kysely, KyselyPlugin } from 'kysely';
import { MovableClock, systemClock, type Clock } from './clock';
import { DEFAULT_LIMITS, type PortalContext, type PortalLimits } from './context';
import { openPortalDb, openPortalDbPostgres } from './db/open';
import type { Database } from './db/schema';
import { installErrorHandling } from './http/errors';
import { installTextGuard } from './http/text-guard';
import { installAuth } from './http/auth';
import { registerAccountRoutes } from './accounts/routes';
import { registerReferenceRoutes } from './reference/routes';
import { registerFileRoutes, sweepPartFiles } from './files/routes';
import { registerSystemRoutes, PORTAL_VERSION } from './http/system-routes';
import { Scheduler, builtinJobs, ensureMaintenanceJob, type JobHandler } from './scheduler/scheduler';
import { MailWorker } from './notify/mailer';
import { readSettingsFile, type SmtpSettings } from './settings';
import { seedDemoData } from './seed/seed';
import { acquireDataLock } from './data-lock';
import { registerSyncRoutes, type SyncService } from './sync/routes';
import { MutationResultPurger } from './sync/retention';
import { prepareAkiReference } from './aki/store';
import { registerAkiRoutes } from './aki/routes';
import type { LiveHubOptions } from './sync/live';
import { registerCompetitionRoutes } from './competition/routes';
import { competitionJobs } from './competition/jobs';
import { registerEdsRoutes } from './auth-eds/routes';
import { edsTrustFromEnv, type EdsTrust } from './auth-eds/trust';
import { registerDocumentRoutes, type DocumentRoutesOptions } from './documents/routes';
import { documentGate } from './documents/upload-gate';

export interface StartPortalOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Defaults to the system clock; in demo mode a MovableClock over it. */
  clock?: Clock;
  /** Demo mode: loads demo data and exposes POST /api/demo/clock. */
  demo?: boolean;
  /** SMTP settings; overrides settings.json. null disables mail sending (mails wait in the outbox). */
  smtp?: SmtpSettings | null;
  /** Without SMTP, write mails as .eml files here (demo default: `<data>/mail`). */
  mailDir?: string | null;
  limits?: Partial<PortalLimits>;
  /** Scheduler and mail worker period; 0 disables the timer (tests call tick()). */
  tickMs?: number;
  jobs?: Record<string, JobHandler>;
  /** Sync live channel timings (tests shorten the keepalive). */
  syncLive?: LiveHubOptions;
  log?: (msg: string, err?: unknown) => void;
  /**
   * PostgreSQL connection string; without it the embedded SQLite file `<data>/portal.sqlite` is used.
   * The data folder still holds files, settings and the lock.
   */
  postgresUrl?: string;
  /** Extra kysely plugins (tests: the PostgreSQL portability recorder). */
  kyselyPlugins?: KyselyPlugin[];
  /** EDS sign-in trust (roots, revocation); default from SERIKTES_EDS_* env (test roots only in demo mode). */
  eds?: EdsTrust;
  /** Issue 9: /verify rate limit. (Uploaded PDFs are checked against the EDS trust anchors, offline.) */
  documents?: DocumentRoutesOptions;
}

export interface RunningPortal {
  url: string;
  close(): Promise<void>;
  app: FastifyInstance;
  ctx: PortalContext;
  db: Kysely<Database>;
  scheduler: Scheduler;
  mailer: MailWorker;
  /** Runs due jobs, then sends due mail. */
  tick(): Promise<void>;
  /** Sync (issue 4): the live hub. */
  sync: SyncService;
}

const defaultLog = (msg: string, err?: unknown) => {
  process.stderr.write(`[portal] ${msg}${err ? `: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}` : ''}\n`);
};

export async function startPortal(opts: StartPortalOptions): Promise<RunningPortal> {
  const settings = readSettingsFile(opts.dataDir);
  const demo = opts.demo ?? false;
  let clock: Clock = opts.clock ?? systemClock;
  let movable: MovableClock | null = clock instanceof MovableClock ? clock : null;
  if (demo && !movable) clock = movable = new MovableClock(clock);

  fs.mkdirSync(opts.dataDir, { recursive: true });
  const releaseLock = acquireDataLock(opts.dataDir);
  let opened: { db: Kysely<Database>; schemaVersion: number };
  try {
    opened = opts.postgresUrl
      ? await openPortalDbPostgres(opts.postgresUrl, () => clock.now().toISOString(), undefined, opts.kyselyPlugins)
      : await openPortalDb(opts.dataDir, () => clock.now().toISOString(), undefined, opts.kyselyPlugins);
  } catch (e) {
    releaseLock();
    throw e;
  }
  const { db } = opened;
  if (demo && movable && !opts.clock) {
    // A demo portal keeps the time it was moved to across restarts.
    const saved = await db.selectFrom('portal_state').select('value').where('key', '=', 'demo_clock_offset_ms').executeTakeFirst();
    if (saved) movable.advance(Number(saved.value) - movable.offset);
  }
  const ctx: PortalContext = {
    db,
    clock,
    dataDir: opts.dataDir,
    demo,
    limits: { ...DEFAULT_LIMITS, ...(settings.maxFileBytes ? { maxFileBytes: settings.maxFileBytes } : {}), ...opts.limits },
    smtp: opts.smtp !== undefined ? opts.smtp : (settings.smtp ?? null),
    mailDir: opts.mailDir !== undefined ? opts.mailDir : (settings.mailDir ?? (demo ? path.join(opts.dataDir, 'mail') : null)),
    publicName: settings.publicName ?? 'Seriktes portal',
    nowIso: () => clock.now().toISOString(),
    log: opts.log ?? defaultLog,
  };
  if (demo) await seedDemoData(ctx);
  await prepareAkiReference(ctx);
  await ensureMaintenanceJob(ctx);
  await sweepPartFiles(ctx);

  const scheduler = new Scheduler(ctx, { ...builtinJobs, ...competitionJobs, ...opts.jobs });
  const mailer = new MailWorker(ctx);
  const purger = new MutationResultPurger(ctx);
  const tick = async () => {
    await scheduler.tick();
    await mailer.flush();
    await purger.tick();
  };

  const app = Fastify({
    logger: false,
    bodyLimit: 1024 * 1024,
    exposeHeadRoutes: true,
    // Requests Node cannot even parse (bad URL bytes, broken headers) still get our envelope.
    clientErrorHandler: (_err, socket) => {
      const body = JSON.stringify({ code: 'invalid_input', message: 'Malformed HTTP request' });
      if (socket.writable) socket.end(`HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app, ctx.log);
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Seriktes reference portal', version: PORTAL_VERSION, description: 'Accounts, organizations, reference data, files, audit and notifications. Errors: {code, message, details?}.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  });
  installAuth(app, ctx);
  installTextGuard(app);
  // Before the other routes: the WebSocket plugin must see every route.
  const sync = await registerSyncRoutes(app, ctx, { live: opts.syncLive });
  registerSystemRoutes(app, ctx, { schemaVersion: opened.schemaVersion, movableClock: movable, onClockMoved: tick });
  registerAccountRoutes(app, ctx);
  const eds = opts.eds ?? edsTrustFromEnv(process.env, demo);
  registerEdsRoutes(app, ctx, eds);
  registerReferenceRoutes(app, ctx);
  // Uploaded PDFs are verified offline against the same anchors; an unknown chain is a badge, not a refusal.
  const gate = documentGate(ctx, eds.anchors, ctx.limits.maxVerifiedPdfBytes ?? DEFAULT_LIMITS.maxVerifiedPdfBytes!, opts.documents?.pdfCheckHold ? { hold: opts.documents.pdfCheckHold } : {});
  app.addHook('onClose', async () => gate.close());
  registerFileRoutes(app, ctx, gate);
  registerDocumentRoutes(app, ctx, opts.documents);
  registerAkiRoutes(app, ctx);
  registerCompetitionRoutes(app, ctx);
  app.get('/openapi.json', { schema: { hide: true }, config: { auth: 'public' } }, async () => app.swagger());
  await app.ready();

  const host = opts.host ?? '127.0.0.1';
  try {
    await app.listen({ port: opts.port ?? 0, host });
  } catch (e) {
    // Port taken or host invalid: leave nothing open behind.
    await app.close().catch(() => {});
    await db.destroy().catch(() => {});
    releaseLock();
    throw e;
  }
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<void> | null = null;
  const tickMs = opts.tickMs ?? 1000;
  if (tickMs > 0) {
    timer = setInterval(() => {
      if (inFlight) return;
      inFlight = tick().catch((e) => ctx.log('tick failed', e)).finally(() => { inFlight = null; });
    }, tickMs);
    timer.unref();
  }

  return {
    url, app, ctx, db, scheduler, mailer, tick, sync,
    async close() {
      if (timer) clearInterval(timer);
      await app.close();
      await inFlight;
      mailer.close();
      await db.destroy();
      releaseLock();
    },
  };
}
