import { startBrowserHostProcess } from '../helpers/processes';
import { withCheckDigit } from '../../src-shared/domain/identity';
import { POISON_MARK } from '../../src-portal/sync/fault';
import { test as base, expect, expectAccessible, findOverflow, missingKeys, screenshot, signIn } from './fixtures';

/**
 * Issue 15 part 2 on screen: one change the portal fails to apply (SERIKTES_PORTAL_FAULT=poison) and one it
 * refuses, listed with the reason and actions, while the status stays online; edit-and-retry and discard.
 * The worker's portal runs with the fault; this app syncs every 300 ms with no spacing between retries, so the
 * N attempts pass in seconds.
 */
const test = base.extend({
  host: async ({ network }, use) => {
    const host = await startBrowserHostProcess({ portalUrl: `http://127.0.0.1:${network.port}`, pullIntervalMs: 300, failedRetrySpacingMs: 0 });
    await use(host);
    await host.stop('SIGKILL');
  },
});

test('changes the portal did not accept: listed with the reason and actions, status online; edit and retry, discard', async ({ appPage: page }) => {
  await signIn(page, 'qarmet.head@demo.seriktes.kz');
  await page.getByRole('navigation').getByRole('link', { name: 'Қызметкерлер' }).click();
  const register = async (iinPrefix: string, fullName: string, email: string) => {
    await page.getByLabel('ЖСН').fill(withCheckDigit(iinPrefix) ?? withCheckDigit(iinPrefix.slice(0, 10) + '7')!);
    await page.getByLabel('Аты-жөні').fill(fullName);
    await page.getByLabel('Электрондық пошта').fill(email);
    await page.getByRole('button', { name: 'Тіркеу' }).click();
    await expect(page.getByRole('row', { name: new RegExp(fullName.slice(0, 5)) })).toBeVisible();
  };
  await register('93040530011', `Сапарова Әйгерім ${POISON_MARK}`, 'aigerim@example.kz');
  await register('94050630021', 'Қасымов Тимур', 'supplier@demo.seriktes.kz'); // another account's e-mail: refused

  const panel = page.getByRole('region', { name: 'Портал қабылдамаған өзгерістер' });
  const failed = panel.getByRole('listitem').filter({ hasText: 'Жіберу мүмкін болмады' });
  const refused = panel.getByRole('listitem').filter({ hasText: 'Портал қабылдамады' });
  await expect(failed).toBeVisible({ timeout: 30_000 });
  await expect(refused).toBeVisible();
  await expect(failed.getByText('Портал өз жағындағы қатеге байланысты бұл өзгерісті қолдана алмады.')).toBeVisible();
  await expect(failed.getByText('Әрекеттер саны: 5')).toBeVisible();
  await expect(refused.getByText('Бұл жазбаны басқа пайдаланушы өзгертті', { exact: false })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Желіде' })).toBeVisible();
  // Both offer all three actions.
  await expect(panel.getByRole('button', { name: /^(Түзетіп, қайталау|Мәтінді көшіру|Өзгерістен бас тарту)$/ })).toHaveCount(6);
  for (const [width, height] of [[1366, 860], [1024, 700]] as const) {
    await page.setViewportSize({ width, height });
    expect(await findOverflow(page)).toEqual([]);
    await screenshot(page, `refused-changes-${width}x${height}-kk`);
  }
  for (const [button, title] of [['Русский', 'Изменения, не принятые порталом'], ['English', 'Changes the portal did not accept'], ['Қазақша', 'Портал қабылдамаған өзгерістер']] as const) {
    await page.getByRole('button', { name: button }).click();
    await expect(page.getByRole('heading', { name: title })).toBeVisible();
  }

  // Edit and retry: the corrected name goes as a new change and is confirmed.
  await failed.getByRole('button', { name: 'Түзетіп, қайталау' }).click();
  await failed.getByLabel('Аты-жөні').fill('Сапарова Әйгерім');
  await expectAccessible(page);
  await failed.getByRole('button', { name: 'Қайта жіберу' }).click();
  await expect(failed).toHaveCount(0);
  const fixed = page.getByRole('row', { name: /Сапарова Әйгерім/ });
  await expect(fixed).toBeVisible();
  await expect(fixed.getByText('Жіберуді күтуде')).toHaveCount(0, { timeout: 60_000 });

  // Discard: the refused change leaves the list, and the list goes away.
  await refused.getByRole('button', { name: 'Өзгерістен бас тарту' }).click();
  await expect(panel).toHaveCount(0);
  expect(await missingKeys(page)).toEqual([]);
});
