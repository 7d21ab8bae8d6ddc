import { test, expect, _electron as electron } from '@playwright/test';
import { electronBinaryPath } from '../helpers/electron';
import { repoRoot, tempDir } from '../helpers/processes';

const executablePath = electronBinaryPath();

test.describe('Electron shell (needs the Electron binary)', () => {
  test.skip(executablePath === null, 'Electron binary absent (node_modules/electron/dist): it cannot be downloaded on this machine; runs where `npm start` has fetched it');

  test('opens a sandboxed, context-isolated window that reaches the back end over IPC', async () => {
    const app = await electron.launch({
      executablePath: executablePath!,
      args: [repoRoot],
      env: { ...process.env, SERIKTES_DATA_DIR: tempDir('electron') },
    });
    try {
      const page = await app.firstWindow();
      await expect(page.locator('main#main')).toBeVisible();
      expect(page.url()).toMatch(/^app:\/\/seriktes\//);
      const probe = await page.evaluate(async () => ({
        require: typeof (window as unknown as { require?: unknown }).require,
        process: typeof (window as unknown as { process?: unknown }).process,
        bridge: Object.keys((window as unknown as { seriktes: object }).seriktes).sort(),
        info: await (window as unknown as { seriktes: { invoke(m: string, i: unknown): Promise<unknown> } }).seriktes.invoke('app.info', {}),
        unknown: await (window as unknown as { seriktes: { invoke(m: string, i: unknown): Promise<unknown> } }).seriktes.invoke('fs.readFile', { path: '/etc/passwd' }),
      }));
      expect(probe.require).toBe('undefined');
      expect(probe.process).toBe('undefined');
      expect(probe.bridge).toEqual(['invoke', 'subscribe']);
      expect(probe.info).toMatchObject({ ok: true, value: { hostKind: 'electron' } });
      expect(probe.unknown).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
      await page.evaluate(() => {
        window.location.href = 'https://example.com/';
      });
      await page.waitForTimeout(500);
      expect(page.url()).toMatch(/^app:\/\/seriktes\//);
    } finally {
      await app.close();
    }
  });
});
