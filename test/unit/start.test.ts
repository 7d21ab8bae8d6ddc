import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot, tempDir, waitForLine } from '../helpers/processes';
import { electronBinaryPath } from '../helpers/electron';
import { connectRpc } from '../helpers/rpc-client';

describe('npm start', () => {
  // Where Electron is installed (a user's machine) the same fallback is exercised through --browser.
  const hasElectron = electronBinaryPath() !== null;
  // How fast the host starts is bench row P7 (`npm run bench -- --only P7`); here only that it does.
  it('without the Electron binary, says so and prints `app url:`', async () => {
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
      const m = await waitForLine(child, /app url: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/, 60_000);
      if (!hasElectron) expect(stderr).toContain('Electron binary is not available');
      const res = await fetch(new URL(m[1]!).origin + '/');
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<div id="root">');
    } finally {
      child.kill('SIGTERM');
    }
  }, 180_000);
});

describe('npm start with the embedded portal', () => {
  it('starts the local reference portal with demo data, and the app signs in to it', async () => {
    const dataDir = tempDir('start-portal');
    const child = spawn(process.execPath, [join(repoRoot, 'scripts', 'start.mjs'), '--browser'], {
      cwd: repoRoot,
      env: { ...process.env, SERIKTES_DATA_DIR: dataDir, SERIKTES_PORTAL_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    try {
      const m = await waitForLine(child, /app url: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/, 60_000);
      const portalUrl = stderr.match(/portal: (http:\/\/127\.0\.0\.1:\d+)/)?.[1];
      expect(portalUrl).toBeDefined();
      // The portal comes up a moment after the app (the app does not wait for it).
      let health = 0;
      for (let i = 0; i < 100 && health !== 200; i++) {
        health = await fetch(`${portalUrl}/api/health`).then((r) => r.status, () => 0);
        if (health !== 200) await new Promise((r) => setTimeout(r, 200));
      }
      expect(health).toBe(200);
      const host = { appUrl: m[1]!, origin: new URL(m[1]!).origin } as Parameters<typeof connectRpc>[0];
      const rpc = await connectRpc(host);
      const status = await rpc.call('auth.signIn', { login: 'organizer@demo.seriktes.kz', password: 'Seriktes-demo-2026' });
      expect(status.user?.fullName).toBe('Серіков Данияр Маратұлы');
      rpc.close();
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }, 120_000);
});
