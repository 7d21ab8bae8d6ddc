import { test as base, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { startBrowserHostProcess, startPortalProcess, type RunningHost, type RunningPortal } from '../helpers/processes';
import { TcpProxy } from '../helpers/tcp-proxy';

export const DEMO_PASSWORD = 'Seriktes-demo-2026';

/**
 * portal: one reference portal per worker (demo data); network: a proxy
 * between the app and the portal, which a test can cut; host: a fresh app
 * back end (browser host) per test with its own data folder.
 */
export const test = base.extend<{ network: TcpProxy; host: RunningHost; appPage: Page }, { portal: RunningPortal }>({
  portal: [
    // eslint-disable-next-line no-empty-pattern -- Playwright fixtures must destructure their dependencies
    async ({}, use) => {
      // The poison fault (src-portal/sync/fault.ts) touches only mutations carrying POISON_MARK (refused-changes.spec.ts).
      const portal = await startPortalProcess({ env: { SERIKTES_PORTAL_FAULT: 'poison' } });
      await use(portal);
      await portal.stop();
    },
    { scope: 'worker' },
  ],
  network: async ({ portal }, use) => {
    const proxy = new TcpProxy(Number(new URL(portal.url).port));
    await proxy.start();
    await use(proxy);
    await proxy.close();
  },
  host: async ({ network }, use) => {
    const host = await startBrowserHostProcess({ portalUrl: `http://127.0.0.1:${network.port}` });
    await use(host);
    await host.stop('SIGKILL');
  },
  appPage: async ({ page, host }, use) => {
    await page.goto(host.appUrl);
    await expect(page.locator('main#main')).toBeVisible();
    await use(page);
  },
});

export { expect };

export async function signIn(page: Page, login: string, password = DEMO_PASSWORD) {
  await page.getByLabel(/Электрондық пошта немесе ЖСН|Электронная почта или ИИН|E-mail or IIN/).fill(login);
  await page.getByLabel(/^(Құпиясөз|Пароль|Password)/).fill(password);
  await page.getByRole('button', { name: /^(Кіру|Войти|Sign in)$/ }).click();
  await expect(page.getByRole('button', { name: /^(Шығу|Выйти|Sign out)$/ })).toBeVisible();
}

/** axe on the current screen: no serious or critical violation. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

/** Elements whose content is wider than their box (text cut or spilling) at the current viewport. */
export async function findOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth + 1) out.push(`document scrolls horizontally (${doc.scrollWidth} > ${doc.clientWidth})`);
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('body *'))) {
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      if (['auto', 'scroll'].includes(style.overflowX)) continue;
      if (el.closest('.visually-hidden')) continue;
      if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) {
        out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${el.className}: ${el.scrollWidth} > ${el.clientWidth}`);
      }
    }
    return out;
  });
}

export async function screenshot(page: Page, name: string) {
  // The shell scrolls its main area inside a viewport-high grid; for the shot the page grows instead, so a
  // full-page screenshot shows the whole screen. CSSOM edits from script (not a <style> tag: the CSP forbids
  // inline styles), put back afterwards.
  const grow = (on: boolean) =>
    page.evaluate((enable) => {
      for (const sel of ['html', 'body', '#root', '.shell']) {
        const el = document.querySelector<HTMLElement>(sel);
        if (el) el.style.setProperty('height', enable ? 'auto' : '');
      }
      const main = document.querySelector<HTMLElement>('.content');
      if (main) main.style.setProperty('overflow', enable ? 'visible' : '');
    }, on);
  await grow(true);
  try {
    await page.screenshot({ path: `artifacts/screenshots/${name}.png`, fullPage: true });
  } finally {
    await grow(false);
  }
}

export const missingKeys = (page: Page) =>
  page.evaluate(() => (window as unknown as { __seriktesMissingKeys: string[] }).__seriktesMissingKeys);
