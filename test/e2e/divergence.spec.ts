/**
 * Issue 15 §5: the notice a user sees when the portal was restored from a backup — what the
 * re-sync changed and the acknowledged change the portal lost, offered again — in kk, ru and en,
 * at 1366×860 and 1024×700. Its own portal (in this process, one loopback port across restarts):
 * the shared one of the other specs must not be restored.
 */
import fs from 'node:fs';
import { withCheckDigit } from '../../src-shared/domain/identity';
import { freePort, startBrowserHostProcess, tempDir, type RunningHost } from '../helpers/processes';
import { ORG, freshIin, mut, push, signIn as apiSignIn, startTestPortal, uuid } from '../portal-sync/helpers';
import { test, expect, expectAccessible, findOverflow, missingKeys, screenshot, signIn } from './fixtures';

type Portal = Awaited<ReturnType<typeof startTestPortal>>;

const register = (fullName: string) =>
  mut('employees.register', { organizationId: ORG, membershipId: uuid(), iin: freshIin(), fullName, email: `e${uuid().slice(0, 8)}@example.kz`, roles: ['organizer'] });

test('the divergence notice after a restore from a backup', async ({ page }) => {
  const port = await freePort();
  const dataDir = tempDir('divergence-e2e-portal');
  let portal: Portal | null = null;
  const start = async (on = port) => (portal = await startTestPortal({ dataDir, port: on }));
  const stop = async () => {
    await portal?.close();
    portal = null;
  };
  let host: RunningHost | null = null;
  try {
    await start();
    host = await startBrowserHostProcess({ portalUrl: `http://127.0.0.1:${port}`, pullIntervalMs: 0 });
    await page.setViewportSize({ width: 1366, height: 860 });
    await page.goto(host.appUrl);
    await signIn(page, 'organizer.head@demo.seriktes.kz');

    const backup = tempDir('divergence-e2e-backup');
    await stop();
    fs.cpSync(dataDir, backup, { recursive: true });
    await start();
    await push(portal!.url, await apiSignIn(portal!.url, 'orgHead'), ['Жоғалған Бір', 'Жоғалған Екі', 'Жоғалған Үш'].map(register));

    // The user registers an employee; the portal acknowledges it (and later loses it in the restore).
    await page.getByRole('navigation').getByRole('link', { name: 'Қызметкерлер' }).click();
    await page.getByLabel('ЖСН').fill(withCheckDigit('91030330012') ?? withCheckDigit('91030330013')!);
    await page.getByLabel('Аты-жөні').fill('Сәрсенбаев Ғалым');
    await page.getByLabel('Электрондық пошта').fill(`galym${uuid().slice(0, 6)}@example.kz`);
    await page.getByRole('button', { name: 'Тіркеу' }).click();
    const row = page.getByRole('row', { name: /Сәрсенбаев Ғалым/ });
    await expect(row).toBeVisible();
    await expect(row.getByText('Жіберуді күтуде')).toHaveCount(0, { timeout: 20_000 });
    await expect(page.getByRole('row', { name: /Жоғалған Үш/ })).toBeVisible({ timeout: 20_000 });

    // Restore; new writes on another port (the app reconnects only once they are all in).
    await stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.cpSync(backup, dataDir, { recursive: true });
    await start(await freePort());
    await push(portal!.url, await apiSignIn(portal!.url, 'orgHead'), ['Жаңа Бір', 'Жаңа Екі', 'Жаңа Үш', 'Жаңа Төрт', 'Жаңа Бес'].map(register));
    await stop();
    await start();

    // The app's live channel reconnects and syncs: the notice appears.
    const notice = page.getByRole('alert').filter({ hasText: 'Портал бұрынғы көшірмеден қалпына келтірілген' });
    await expect(notice).toBeVisible({ timeout: 40_000 });
    await expect(notice.getByText('Порталда енді жоқтар (4)')).toBeVisible();
    await expect(notice.getByText('Порталда жаңадан пайда болғандар (5)')).toBeVisible();
    await expect(notice.getByText(/Сәрсенбаев Ғалым/)).toHaveCount(2); // removed, and offered again
    await expect(page.getByRole('row', { name: /Жоғалған Үш/ })).toHaveCount(0);
    expect(await findOverflow(page)).toEqual([]);
    await expectAccessible(page);
    await screenshot(page, 'divergence-kk-1366');

    await page.setViewportSize({ width: 1024, height: 700 });
    for (const [lng, button, title] of [
      ['ru', 'Русский', 'Портал восстановлен из более ранней копии'],
      ['en', 'English', 'The portal was restored from an earlier copy'],
      ['kk', 'Қазақша', 'Портал бұрынғы көшірмеден қалпына келтірілген'],
    ] as const) {
      await page.getByRole('button', { name: button }).click();
      await expect(page.getByRole('heading', { level: 2, name: title })).toBeVisible();
      expect(await findOverflow(page)).toEqual([]);
      await screenshot(page, `divergence-${lng}-1024`);
    }
    expect(await missingKeys(page)).toEqual([]);

    // Send again: the lost registration is back on the portal and the offer is gone.
    await notice.getByRole('button', { name: 'Қайта жіберу' }).click();
    await expect(notice.getByText('Порталда енді жоқ сіздің өзгерістеріңіз')).toHaveCount(0);
    await expect(row.getByText('Жіберуді күтуде')).toHaveCount(0, { timeout: 20_000 });
    await notice.getByRole('button', { name: 'Түсінікті' }).click();
    await expect(notice).toHaveCount(0);
  } finally {
    await host?.stop('SIGKILL');
    await stop();
  }
});
