/**
 * P7: start of the browser host — spawn `node dist/main/browser-host.cjs` until it prints
 * `app url:`, then load that URL in Chromium until the app has rendered into #root — against a bare
 * `node` that starts an HTTP server, prints its URL, and a blank page loaded from it in the same
 * browser. The data folder exists (a warm-up start made it), as on a user's second start. Goal ≤ 3×.
 * The bundles are built first, untimed.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { row, sideBySide, stopChild, waitForOutput, type BenchContext, type BenchDef } from '../harness';

const root = join(__dirname, '..', '..');
const BLANK_SERVER = `require('node:http').createServer((q, s) => { s.setHeader('content-type', 'text/html'); s.end('<!doctype html><title>blank</title><div id="root"><p>blank</p></div>'); })
  .listen(0, '127.0.0.1', function () { console.log('app url: http://127.0.0.1:' + this.address().port + '/'); });`;

async function timedStart(ctx: BenchContext, browser: Browser, args: string[]): Promise<number> {
  const page = await (await browser.newContext()).newPage();
  const t0 = performance.now();
  const child = ctx.spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const m = await waitForOutput(child, /app url: (\S+)/);
    await page.goto(m[1]!, { waitUntil: 'load' });
    await page.waitForFunction(() => (document.querySelector('#root')?.childElementCount ?? 0) > 0, undefined, { timeout: 60_000 });
    return performance.now() - t0;
  } finally {
    await page.context().close();
    await stopChild(child);
  }
}

export const bench: BenchDef = {
  id: 'P7',
  title: 'browser host: spawn → app rendered',
  async run(ctx) {
    const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    if (build.status !== 0) throw new Error('build failed');
    const browser = await chromium.launch({
      executablePath: process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-gpu'],
    });
    ctx.defer(() => browser.close());
    const data = ctx.tempDir('p7-data');
    const host = [join(root, 'dist', 'main', 'browser-host.cjs'), '--data', data, '--portal', 'http://127.0.0.1:9'];
    const blank = ['-e', BLANK_SERVER];
    await timedStart(ctx, browser, host); // warm-up: creates the data folder, fills the OS file cache
    await timedStart(ctx, browser, blank);
    const r = await sideBySide(
      ctx.options.runs,
      () => timedStart(ctx, browser, blank),
      () => timedStart(ctx, browser, host),
    );
    return row(bench, 3.0, '≤ 3× baseline', r, 'bare node spawn-to-listen + blank page load', ['portal unreachable (offline start); Chromium launched once, a fresh browser context per start']);
  },
};
