import { test, expect, expectAccessible, findOverflow, missingKeys, screenshot, signIn } from './fixtures';

const LABELS = {
  kk: { signIn: 'Жүйеге кіру', workspace: 'Жұмыс кабинеті', employees: 'Қызметкерлер', lang: 'Қазақша' },
  ru: { signIn: 'Вход в систему', workspace: 'Рабочий кабинет', employees: 'Сотрудники', lang: 'Русский' },
  en: { signIn: 'Sign in', workspace: 'Workspace', employees: 'Employees', lang: 'English' },
} as const;

test('the shell loads in Kazakh, switches kk/ru/en, fits 1280×800 and passes axe, signed out and signed in', async ({ appPage: page }) => {
  const missing: string[] = [];
  await expect(page.getByRole('heading', { level: 1, name: LABELS.kk.signIn })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'kk');
  for (const lng of ['kk', 'ru', 'en'] as const) {
    await page.getByRole('button', { name: LABELS[lng].lang }).click();
    await expect(page.getByRole('heading', { level: 1, name: LABELS[lng].signIn })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', lng);
    expect(await findOverflow(page)).toEqual([]);
    await expectAccessible(page);
    await screenshot(page, `signin-${lng}`);
  }
  await signIn(page, 'dala.head@demo.seriktes.kz');
  for (const lng of ['kk', 'ru', 'en'] as const) {
    await page.getByRole('button', { name: LABELS[lng].lang }).click();
    await page.getByRole('navigation').getByRole('link', { name: LABELS[lng].workspace }).click();
    await expect(page.getByRole('heading', { level: 1, name: LABELS[lng].workspace })).toBeVisible();
    await expect(page.getByRole('navigation').getByRole('link', { name: LABELS[lng].workspace })).toHaveAttribute('aria-current', 'page');
    expect(await findOverflow(page)).toEqual([]);
    await expectAccessible(page);
    await screenshot(page, `workspace-${lng}`);
  }
  missing.push(...(await missingKeys(page)));
  expect(missing).toEqual([]);
});

test('the chosen language survives a reload (saved by the back end first)', async ({ appPage: page }) => {
  await page.getByRole('button', { name: 'Русский' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Вход в систему' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Вход в систему' })).toBeVisible();
});

test('times are shown in Asia/Almaty (UTC+5) whatever the machine zone', async ({ browser, host }) => {
  const context = await browser.newContext({ timezoneId: 'America/New_York' });
  const page = await context.newPage();
  await page.goto(host.appUrl);
  const cell = page.locator('time[data-utc]');
  await expect(cell).toBeVisible();
  const utc = await cell.getAttribute('data-utc');
  const shown = await cell.textContent();
  const d = new Date(utc!);
  const almaty = new Date(d.getTime() + 5 * 3600_000);
  const hh = String(almaty.getUTCHours()).padStart(2, '0');
  expect(shown).toContain(`${hh}:`);
  await context.close();
});

test('Kazakh letters render in the bundled Noto Sans, loaded from the app origin only', async ({ page, host }) => {
  const foreign: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(host.origin) && !r.url().startsWith('ws://' + new URL(host.origin).host)) foreign.push(r.url());
  });
  await page.goto(host.appUrl);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  const ok = await page.evaluate(async () => {
    await document.fonts.load('16px "Noto Sans"', 'ӘҒҚҢӨҰҮҺІәғқңөұүһі');
    return document.fonts.check('16px "Noto Sans"', 'ӘҒҚҢӨҰҮҺІәғқңөұүһі');
  });
  expect(ok).toBe(true);
  const family = await page.getByRole('heading', { level: 1 }).evaluate((el) => getComputedStyle(el).fontFamily);
  expect(family).toContain('Noto Sans');
  const fontFiles = await page.evaluate(() =>
    performance.getEntriesByType('resource').map((e) => e.name).filter((n) => /\.woff2?$/.test(n)),
  );
  expect(fontFiles.some((f) => f.includes('cyrillic-ext'))).toBe(true);
  expect(foreign).toEqual([]);
});
