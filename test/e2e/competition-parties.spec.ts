/**
 * Every party finds the competition (issue 17), in a real Chromium through
 * the browser host, against its own demo portal (its clock is moved here):
 * the organizer (kk) publishes; the state partner's Head (ru) and an
 * initiator (en), never told the id, find it under «Конкурстар»; the sidebar
 * clock shows the portal's demo time, not the PC's; a signed-out visitor
 * browses the published competitions and opens it. Screenshots at 1366×860
 * and 1024×700.
 */
import type { Page } from '@playwright/test';
import { formatDateTime } from '../../src-shared/time/almaty';
import { startBrowserHostProcess, startPortalProcess, type RunningHost, type RunningPortal } from '../helpers/processes';
import { demoId, isoIn, mut, pushOk, signIn as portalSignIn, upload, uuid, validCompetition } from '../competition/helpers';
import { test, expect, expectAccessible, findOverflow, missingKeys, screenshot, signIn } from './fixtures';

const day = 86_400_000;
const hour = 3_600_000;
const SIZES = [[1366, 860], [1024, 700]] as const;
let portal: RunningPortal;
let host: RunningHost;
let competitionId = '';

test.beforeAll(async () => {
  portal = await startPortalProcess();
  host = await startBrowserHostProcess({ portalUrl: portal.url });
  // The draft comes ready from the organizer's other device; the publication itself happens in the app.
  const organizer = await portalSignIn(portal.url, 'organizer');
  const file = await upload(portal.url, organizer);
  const c = await validCompetition(portal.url, file, { start: isoIn(hour), end: isoIn(30 * day) });
  competitionId = c.id;
  const english = mut('competition.saveInitiator', {
    competitionId, baseVersion: 0,
    initiator: { id: uuid(), userId: demoId('user', 'private2Head'), userName: 'x', partnerIinBin: '190240000443', representative: 'Smith J.', position: 'CEO', phone: '', email: '' },
  });
  await pushOk(portal.url, organizer, [...c.mutations, english]);
});

test.afterAll(async () => {
  await host?.stop('SIGKILL');
  await portal?.stop();
});

async function shots(page: Page, name: string) {
  for (const [width, height] of SIZES) {
    await page.setViewportSize({ width, height });
    expect(await findOverflow(page), `${name} at ${width}×${height}`).toEqual([]);
    await screenshot(page, `${name}-${width}x${height}`);
  }
  await expectAccessible(page);
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: /^(Шығу|Выйти|Sign out)$/ }).click();
  await expect(page.getByRole('button', { name: /^(Кірмей-ақ қарау|Просмотр без входа|Browse without signing in)$/ })).toBeVisible();
}

test('the organizer publishes; the state partner\'s Head and an initiator find it in their lists; a visitor opens it signed out', async ({ page }) => {
  test.setTimeout(150_000);
  await page.goto(host.appUrl);
  await signIn(page, 'organizer@demo.seriktes.kz');
  await page.getByRole('navigation').getByRole('link', { name: 'Конкурстар' }).click();
  await expect(page.getByRole('button', { name: 'Менің конкурстарым (ұйымдастырушы)', pressed: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Өңдеу: Алматы жылу желілері' })).toBeVisible();
  await page.evaluate((id) => { window.location.hash = `#/competition-edit/${id}/review`; }, competitionId);
  await page.getByRole('button', { name: 'Жариялау' }).click();
  await expect(page.locator('.status-chip')).toHaveText('Жарияланды', { timeout: 30_000 });
  await signOut(page);

  // The state partner's Head, in Russian: «Конкурсы» → «Конкурсы с моим участием» (the default without an organizer role).
  await signIn(page, 'state.head@demo.seriktes.kz');
  await page.getByRole('button', { name: 'Русский' }).click();
  await page.getByRole('navigation').getByRole('link', { name: 'Конкурсы' }).click();
  await expect(page.getByRole('button', { name: 'Конкурсы с моим участием', pressed: true })).toBeVisible();
  const row = page.getByRole('row', { name: /Тепловые сети Алматы/ });
  await expect(row.getByRole('cell', { name: 'Опубликован', exact: true })).toBeVisible();
  await expect(row.getByRole('button')).toHaveCount(0);
  await shots(page, 'competitions-participating-ru');

  // The portal's demo clock jumps two hours, past the discussion start (sessions last 12 hours): its job moves the
  // competition, and the sidebar clock follows the portal's time, not the PC's.
  const moved = (await (await fetch(`${portal.url}/api/demo/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: 2 * hour }) })).json()) as { now: string };
  await expect(row.getByRole('cell', { name: 'Опубликован (Обсуждение)' })).toBeVisible({ timeout: 30_000 });
  const portalMinutes = [0, 60_000, 120_000].map((ms) => formatDateTime(Date.parse(moved.now) + ms));
  await expect(page.locator('.clock time')).toHaveText(new RegExp(`^(${portalMinutes.join('|')})$`));
  expect(portalMinutes).not.toContain(formatDateTime(new Date()));
  await page.getByRole('link', { name: 'Тепловые сети Алматы' }).click();
  await expect(page.locator('.status-chip')).toHaveText('Опубликован (Обсуждение)');
  await signOut(page);

  // An initiator, in English: «Where I take part».
  await page.getByRole('button', { name: 'Қазақша' }).click();
  await signIn(page, 'infra.head@demo.seriktes.kz');
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('navigation').getByRole('link', { name: 'Competitions' }).click();
  await expect(page.getByRole('button', { name: 'Where I take part', pressed: true })).toBeVisible();
  await expect(page.getByRole('row', { name: /Тепловые сети Алматы/ })).toBeVisible();
  await page.getByRole('button', { name: 'All published' }).click();
  await expect(page.getByRole('row', { name: /Тепловые сети Алматы/ })).toBeVisible();
  await page.getByRole('button', { name: 'Where I take part' }).click();
  await shots(page, 'competitions-participating-en');
  await page.getByRole('button', { name: 'Қазақша' }).click();
  await signOut(page);

  // Signed out: browse the published competitions and open one, without an account.
  await page.getByRole('button', { name: 'Кірмей-ақ қарау' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Жарияланған конкурстар' })).toBeVisible();
  await expect(page.getByRole('row', { name: /Алматы жылу желілері/ })).toBeVisible();
  await shots(page, 'competitions-public-kk');
  await page.getByRole('link', { name: 'Алматы жылу желілері' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Алматы жылу желілері' })).toBeVisible();
  await expect(page.locator('.status-chip')).toHaveText('Жарияланды (Талқылау)');
  await expect(page.getByText('Модернизация тепловых сетей')).toBeVisible();
  await shots(page, 'competition-public-page-kk');
  expect(await missingKeys(page)).toEqual([]);
  await page.getByRole('button', { name: 'Кіру бетіне оралу' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Жүйеге кіру' })).toBeVisible();
});
