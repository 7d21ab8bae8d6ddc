/**
 * EDS sign-in through the browser host against the NCALayer simulator: the host's
 * back end reaches the simulator through SERIKTES_NCALAYER_URL / SERIKTES_NCALAYER_CA,
 * and the demo portal trusts the test PKI root through SERIKTES_EDS_TEST_ROOTS_DIR.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect, expectAccessible, findOverflow, missingKeys, screenshot, DEMO_PASSWORD } from './fixtures';
import { startBrowserHostProcess, startPortalProcess, type RunningHost, type RunningPortal } from '../helpers/processes';
import { createTestPki, KZ_EKU, type IssuedCert, type TestPki } from '../signing/helpers/test-pki';
import { demoIin } from '../../src-portal/seed/seed';
import { startNcaLayerSimulator, type RunningSimulator } from '../ncalayer/simulator';

interface EdsWorld {
  pki: TestPki;
  rootsDir: string;
  p12Path: string;
  /** The person's AUTH and SIGN keys, offered by the simulator. */
  keys: IssuedCert[];
}

const test = base.extend<{ sim: RunningSimulator; host: RunningHost }, { world: EdsWorld; portal: RunningPortal }>({
  world: [
    // eslint-disable-next-line no-empty-pattern -- Playwright fixtures must destructure their dependencies
    async ({}, use) => {
      const pki = createTestPki();
      const rootsDir = mkdtempSync(join(tmpdir(), 'seriktes-eds-roots-'));
      writeFileSync(join(rootsDir, 'test-root.pem'), pki.root.pem);
      const person = { commonName: 'СЕРІКОВ ДАНИЯР', surname: 'СЕРІКОВ', patronymic: 'МАРАТҰЛЫ', iin: demoIin('organizer'), locality: 'АСТАНА' };
      const auth = pki.issue({ subject: person, kind: 'auth', roles: [KZ_EKU.individual] });
      const p12Path = pki.write('AUTH_RSA256_seriktes.p12', pki.p12(auth, 'Qwerty12'));
      const sign = pki.issue({ subject: person, kind: 'sign', roles: [KZ_EKU.individual] });
      await use({ pki, rootsDir, p12Path, keys: [auth, sign] });
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
    const sim = await startNcaLayerSimulator({ keys: world.keys.map((k) => ({ storage: 'PKCS12', certDer: k.der, keyPem: k.keyPem, chainDer: [world.pki.root.der] })) });
    await use(sim);
    await sim.close();
  },
  host: async ({ network, sim, world }, use) => {
    const caPath = world.pki.write('ncalayer-ca.pem', sim.caPem);
    const host = await startBrowserHostProcess({ portalUrl: `http://127.0.0.1:${network.port}`, env: { SERIKTES_NCALAYER_URL: sim.url, SERIKTES_NCALAYER_CA: caPath } });
    await use(host);
    await host.stop('SIGKILL');
  },
});
test.describe.configure({ mode: 'serial' });

const NCA_TAB = /^NCALayer$/;
const FILE_TAB = /^(ЭЦҚ файлы|Файл ЭЦП|EDS key file)$/;
const SIGN_OUT = /^(Шығу|Выйти|Sign out)$/;

test('first EDS sign-in links the certificate after a password sign-in; then NCALayer alone signs in', async ({ appPage: page, sim }) => {
  await expectAccessible(page);
  await screenshot(page, 'eds-signin-password-kk');

  await page.getByRole('tab', { name: NCA_TAB }).click();
  await expect(page.getByRole('button', { name: 'NCALayer арқылы кіру' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'NCALayer 1.4 іске қосулы.' })).toBeVisible();
  await expectAccessible(page);
  expect(await findOverflow(page)).toEqual([]);
  await screenshot(page, 'eds-signin-ncalayer-kk');

  // Not linked yet: explained, and the password tab opens with "link after sign-in" ticked.
  await page.getByRole('button', { name: 'NCALayer арқылы кіру' }).click();
  await expect(page.getByText('Бұл сертификат әлі тіркелгіге байланыстырылмаған.', { exact: false })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Логин' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('checkbox')).toBeChecked();
  await expectAccessible(page);
  await screenshot(page, 'eds-signin-link-needed-kk');
  const basics = sim.requests.filter((r) => (r as { module: string }).module === 'kz.gov.pki.knca.basics') as { args: { locale: string; signerParams: { extKeyUsageOids: string[] } } }[];
  expect(basics.at(-1)!.args.locale).toBe('kk');
  expect(basics.at(-1)!.args.signerParams.extKeyUsageOids).toEqual(['1.3.6.1.5.5.7.3.2']);

  await page.getByLabel(/Электрондық пошта немесе ЖСН/).fill('organizer@demo.seriktes.kz');
  await page.getByLabel(/^Құпиясөз/).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: /^Кіру$/ }).click();
  await expect(page.getByRole('button', { name: SIGN_OUT })).toBeVisible();
  await page.getByRole('button', { name: SIGN_OUT }).click();

  // Linked: NCALayer alone signs in.
  await page.getByRole('tab', { name: NCA_TAB }).click();
  await page.getByRole('button', { name: 'NCALayer арқылы кіру' }).click();
  await expect(page.getByRole('button', { name: SIGN_OUT })).toBeVisible();
  await screenshot(page, 'eds-signed-in-kk');
  expect(await missingKeys(page)).toEqual([]);
});

test('cancel in NCALayer, then a key file with its password in a modal (ru)', async ({ appPage: page, sim, world }) => {
  await page.getByRole('button', { name: 'Русский' }).click();
  await page.getByRole('tab', { name: NCA_TAB }).click();
  sim.script({ kind: 'cancel' });
  await page.getByRole('button', { name: 'Войти через NCALayer' }).click();
  await expect(page.getByRole('alert')).toContainText('Подписание отменено');
  await screenshot(page, 'eds-signin-cancelled-ru');

  await page.getByRole('tab', { name: FILE_TAB }).click();
  await expectAccessible(page);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Выбрать файл ключа…' }).click();
  await (await chooser).setFiles(world.p12Path);
  const dialog = page.getByRole('dialog', { name: 'Пароль ключа' });
  await expect(dialog).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, 'eds-signin-keyfile-password-ru');
  await dialog.getByLabel(/^Пароль ключа/).fill('wrong-password');
  await dialog.getByRole('button', { name: 'Войти' }).click();
  await expect(page.getByRole('alert')).toContainText('Неверный пароль ключа');

  const chooser2 = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Выбрать файл ключа…' }).click();
  await (await chooser2).setFiles(world.p12Path);
  await dialog.getByLabel(/^Пароль ключа/).fill('Qwerty12');
  await dialog.getByRole('button', { name: 'Войти' }).click();
  await expect(page.getByRole('button', { name: SIGN_OUT })).toBeVisible();
});

test('NCALayer not running: a clear message with the install link (en)', async ({ appPage: page, sim }) => {
  await sim.close();
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('tab', { name: NCA_TAB }).click();
  await page.getByRole('button', { name: 'Sign in with NCALayer' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('NCALayer is not running or not installed');
  await expect(alert.getByRole('link', { name: /ncl\.pki\.gov\.kz/ })).toHaveAttribute('href', 'https://ncl.pki.gov.kz');
  await expectAccessible(page);
  expect(await findOverflow(page)).toEqual([]);
  await screenshot(page, 'eds-signin-not-running-en');
});
