import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_DIR_NAME = 'Seriktes';

/**
 * The OS's per-user application-data folder, the same one Electron's
 * app.getPath('userData') returns, so the desktop app and the browser host
 * share one cache. SERIKTES_DATA_DIR overrides it (tests, portable installs).
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.SERIKTES_DATA_DIR) return env.SERIKTES_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_DIR_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_DIR_NAME);
}
