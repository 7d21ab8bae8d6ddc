/**
 * `npm run start:browser` (and `npm start` where Electron is absent): runs the
 * app back end and serves the renderer to a browser on 127.0.0.1.
 */
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createBackend } from '../backend/backend';
import { defaultDataDir } from '../backend/paths';
import { startBrowserHost } from './browser-host';

declare const __APP_VERSION__: string;

async function main() {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      port: { type: 'string' },
      portal: { type: 'string' },
      renderer: { type: 'string' },
      'pull-interval': { type: 'string' },
      'failed-retry-spacing': { type: 'string' },
    },
  });
  const dataDir = resolve(values.data ?? defaultDataDir());
  const portalUrl = values.portal ?? process.env.SERIKTES_PORTAL_URL ?? 'http://127.0.0.1:8787';
  const backend = await createBackend({
    dataDir,
    hostKind: 'browser',
    portalUrl,
    version: typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : '0.0.0-dev',
    // 0 turns periodic pulls off (tests prove the live channel alone delivers changes).
    periodicPullMs: values['pull-interval'] !== undefined ? Number(values['pull-interval']) : undefined,
    // Tests: retry a change the portal failed to apply without the 15 s spacing (src-shared/sync/failures.ts).
    failedRetrySpacingMs: values['failed-retry-spacing'] !== undefined ? Number(values['failed-retry-spacing']) : undefined,
  });
  // Browser uploads only live as long as their in-memory handles: whatever a previous run left is stale.
  await rm(join(dataDir, 'uploads'), { recursive: true, force: true });
  const host = await startBrowserHost({
    backend,
    rendererDir: values.renderer ?? join(__dirname, '..', 'renderer'),
    uploadDir: join(dataDir, 'uploads'),
    port: values.port ? Number(values.port) : 0,
  });
  // Tests and scripts read exactly this line.
  process.stdout.write(`app url: ${host.appUrl}\n`);
  const stop = async () => {
    await host.close();
    await backend.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`Seriktes browser host failed to start: ${(err as Error)?.message ?? String(err)}\n`);
  process.exit(1);
});
