import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot, tempDir, waitForLine } from '../helpers/processes';
import { electronBinaryPath } from '../helpers/electron';

describe('npm start', () => {
  // Where Electron is installed (a user's machine) the same fallback is exercised through --browser.
  const hasElectron = electronBinaryPath() !== null;
  it('without the Electron binary, says so and prints `app url:` within 5 s', async () => {
    const started = Date.now();
    const child = spawn(process.execPath, [join(repoRoot, 'scripts', 'start.mjs'), ...(hasElectron ? ['--browser'] : [])], {
      cwd: repoRoot,
      env: { ...process.env, SERIKTES_DATA_DIR: tempDir('start'), SERIKTES_PORTAL_URL: 'http://127.0.0.1:9' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    try {
      const m = await waitForLine(child, /app url: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/, 15_000);
      const elapsed = Date.now() - started;
      expect(elapsed).toBeLessThan(5000);
      if (!hasElectron) expect(stderr).toContain('Electron binary is not available');
      const res = await fetch(new URL(m[1]!).origin + '/');
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<div id="root">');
    } finally {
      child.kill('SIGTERM');
    }
  }, 30_000);
});
