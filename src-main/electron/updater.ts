import { app } from 'electron';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveUpdateUrl } from './policy';

declare const __UPDATE_URL__: string | undefined;

/**
 * Where an administrator pins the update feed: SERIKTES_UPDATE_URL, or
 * `update-policy.json` ({"url": "https://…"}) next to the executable.
 */
function policyUrl(): string | undefined {
  if (process.env.SERIKTES_UPDATE_URL) return process.env.SERIKTES_UPDATE_URL;
  try {
    const file = join(app.getPath('exe'), '..', 'update-policy.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { url?: string }).url;
  } catch {
    return undefined;
  }
}

export async function startAutoUpdate(log: (msg: string) => void): Promise<void> {
  if (!app.isPackaged) return;
  const url = resolveUpdateUrl(typeof __UPDATE_URL__ === 'string' ? __UPDATE_URL__ : undefined, policyUrl());
  if (!url) {
    log('auto-update disabled: no https update URL configured');
    return;
  }
  // Loaded lazily: electron-updater reads app metadata at import time.
  const { autoUpdater } = await import('electron-updater');
  autoUpdater.setFeedURL({ provider: 'generic', url });
  autoUpdater.autoDownload = true;
  autoUpdater.on('error', (err) => log(`update error: ${String(err)}`));
  await autoUpdater.checkForUpdatesAndNotify().catch((err: unknown) => log(`update check failed: ${String(err)}`));
}
