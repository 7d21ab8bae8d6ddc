/**
 * "Link my EDS certificate" in Settings (issue 8 §4): a user signed in with the password links
 * an AUTH certificate (a key file, then NCALayer through the simulator), sees it, signs out and
 * signs in with that key alone.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect, expectAccessible, findOverflow, missingKeys, screenshot, signIn } from './fixtures';
import { startBrowserHostProcess, startPortalProcess, type RunningHost, type RunningPortal } from '../helpers/processes';
import { createTestPki, KZ_EKU, type IssuedCert, type TestPki } from '../signing/helpers/test-pki';
import { demoIin } from '../../src-portal/seed/seed';
import { startNcaLayerSimulator, type RunningSimulator } from '../ncalayer/simulator';

interface World {
  pki: TestPki;
  rootsDir: string;
  p12Path: string;
  auth: IssuedCert;
  iin: string;
}

const test = base.extend<{ sim: RunningSimulator; host: RunningHost }, { world: World; portal: RunningPortal }>({
  world: [
    // eslint-disable-next-line no-empty-pattern -- Playwright fixtures must destructure their dependencies
    async ({}, use) => {
      const pki = createTestPki();
      const rootsDir = mkdtempSync(join(tmpdir(), 'seriktes-eds-link-roots-'));
      writeFileSync(join(rootsDir, 'test-root.pem'), pki.root.pem);
      const iin = demoIin('orgHead');
      const person = { commonName: 'НҰРЛАНОВА АЙГҮЛ', surname: 'НҰРЛАНОВА', patronymic: 'СЕРІКҚЫЗЫ', iin, locality: 'АЛМАТЫ' };
      const auth = pki.issue({ subject: person, kind: 'auth', roles: [KZ_EKU.individual] });
      const p12Path = pki.write('AUTH_RSA256_link.p12', pki.p12(auth, 'Qwerty12'));
      await use({ pki, rootsDir, p12Path, auth, iin });
      pki.cleanup();
      rmSync(rootsDir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  portal: [
    async ({ world }, use) => {
      const portal = await startPortalProcess({ env: { SERIKTES_EDS_TEST_ROOTS_DIR: world.rootsDir } });
      await use(portal);
      await portal.stop();
    },
    { scope: 'worker' },
  ],
  sim: async ({ world }, use) => {
    const sim = await startNcaLayerSimulator({ keys: [{ storage: 'PKCS12', certDer: world.auth.der, keyPem: world.auth.keyPem, chainDer: [world.pki.root.der] }] });
    await use(sim);
    await sim.close();
  },
  host: async ({ network, sim, world }, use) => {
    const caPath = world.pki.write('ncalayer-ca-link.pem', sim.caPem);
    const host = await startBrowserHostProcess({ portalUrl: `http://127.0.0.1:${network.port}`, env: { SERIKTES_NCALAYER_URL: sim.url, SERIKTES_NCALAYER_CA: caPath } });
    await use(host);
    await host.stop('SIGKILL');
  },
});
test.describe.configure({ mode: 'serial' });

const SIGN_OUT = /^(Шығу|Выйти|Sign out)$/;

test('link a key file in Settings, sign out, sign in with that key (kk)', async ({ appPage: page, world }) => {
  await signIn(page, 'organizer.head@demo.seriktes.kz');
  await page.getByRole('navigation').getByRole('link', { name: 'Баптаулар' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Баптаулар' })).toBeVisible();
  const section = page.getByRole('region', { name: 'ЭЦҚ сертификаты' });
  await expect(section.getByText('Бұл тіркелгіге әлі бірде-бір сертификат байланыстырылмаған.')).toBeVisible();
  await expect(section.getByRole('button', { name: 'NCALayer арқылы байланыстыру' })).toBeVisible();
  await expect(section.getByLabel('Кілт қайда')).toBeVisible();
  await expectAccessible(page);
  expect(await findOverflow(page)).toEqual([]);
  await screenshot(page, 'eds-link-settings-kk');

  // A wrong password: the key file is refused in words, nothing is linked.
  let chooser = page.waitForEvent('filechooser');
  await section.getByRole('button', { name: 'Кілт файлын (.p12) байланыстыру…' }).click();
  await (await chooser).setFiles(world.p12Path);
  const dialog = page.getByRole('dialog', { name: 'Кілттің құпиясөзі' });
  await expect(dialog).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, 'eds-link-password-kk');
  await dialog.getByLabel(/^Кілттің құпиясөзі/).fill('wrong-password');
  await dialog.getByRole('button', { name: 'Байланыстыру' }).click();
  const alert = section.getByRole('alert');
  await expect(alert).toContainText('Сертификат байланыстырылмады:');
  await expect(alert).not.toContainText('key_wrong_password');

  chooser = page.waitForEvent('filechooser');
  await section.getByRole('button', { name: 'Кілт файлын (.p12) байланыстыру…' }).click();
  await (await chooser).setFiles(world.p12Path);
  await dialog.getByLabel(/^Кілттің құпиясөзі/).fill('Qwerty12');
  await dialog.getByRole('button', { name: 'Байланыстыру' }).click();
  const done = section.getByRole('status').filter({ hasText: 'Сертификат байланыстырылды' });
  await expect(done).toBeVisible();
  await expect(done).toContainText(world.iin);
  await expect(done).toContainText('НҰРЛАНОВА АЙГҮЛ');
  await expect(done).toContainText('Жарамдылық мерзімі');
  await expect(section.getByText('Басқа байланыстырылған сертификаттар жоқ.')).toBeVisible();
  await expectAccessible(page);
  expect(await findOverflow(page)).toEqual([]);
  await screenshot(page, 'eds-link-done-kk');
  expect(await missingKeys(page)).toEqual([]);

  // Signed out, the key file alone signs in.
  await page.getByRole('button', { name: SIGN_OUT }).click();
  await page.getByRole('tab', { name: 'ЭЦҚ файлы' }).click();
  chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: /^Кілт файлын таңдау/ }).click();
  await (await chooser).setFiles(world.p12Path);
  const signInDialog = page.getByRole('dialog', { name: 'Кілттің құпиясөзі' });
  await signInDialog.getByLabel(/^Кілттің құпиясөзі/).fill('Qwerty12');
  await signInDialog.getByRole('button', { name: 'Кіру' }).click();
  await expect(page.getByRole('button', { name: SIGN_OUT })).toBeVisible();
  await expect(page.getByText('Нұрланова Айгүл Серікқызы', { exact: false }).first()).toBeVisible();
});

test('link through NCALayer; the list shows the linked certificate (en)', async ({ appPage: page, sim, world }) => {
  await page.getByRole('button', { name: 'English' }).click();
  await signIn(page, 'organizer.head@demo.seriktes.kz');
  await page.getByRole('navigation').getByRole('link', { name: 'Settings' }).click();
  const section = page.getByRole('region', { name: 'EDS certificate' });
  // Linked by the previous test (same portal): listed.
  await expect(section.getByRole('listitem').filter({ hasText: world.iin })).toBeVisible();
  sim.script({ kind: 'cancel' });
  await section.getByRole('button', { name: 'Link via NCALayer' }).click();
  await expect(section.getByRole('alert')).toContainText('The certificate was not linked:');
  await section.getByLabel('Where the key is').selectOption('file');
  await section.getByRole('button', { name: 'Link via NCALayer' }).click();
  await expect(section.getByRole('status').filter({ hasText: 'The certificate is linked' })).toContainText(world.iin);
  const basics = sim.requests.filter((r) => (r as { module: string }).module === 'kz.gov.pki.knca.basics') as { args: { allowedStorages: string[] | null; signerParams: { extKeyUsageOids: string[] } } }[];
  expect(basics.at(-1)!.args.allowedStorages).toEqual(['PKCS12']);
  expect(basics.at(-1)!.args.signerParams.extKeyUsageOids).toEqual(['1.3.6.1.5.5.7.3.2']);
  await expectAccessible(page);
  expect(await findOverflow(page)).toEqual([]);
  await screenshot(page, 'eds-link-ncalayer-en');
});
