import { test as base, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { startBrowserHostProcess, type RunningHost } from '../helpers/processes';

export const test = base.extend<{ host: RunningHost; appPage: Page }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures must destructure their dependencies
  host: async ({}, use) => {
    const host = await startBrowserHostProcess();
    await use(host);
    await host.stop();
  },
  appPage: async ({ page, host }, use) => {
    await page.goto(host.appUrl);
    await expect(page.locator('main#main')).toBeVisible();
    await use(page);
  },
});

export { expect };

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
      if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) {
        out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${el.className}: ${el.scrollWidth} > ${el.clientWidth}`);
      }
    }
    return out;
  });
}

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: `artifacts/screenshots/${name}.png`, fullPage: true });
}
