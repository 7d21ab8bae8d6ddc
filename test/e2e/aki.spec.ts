/**
 * AKI end to end through the browser host, by role and visible label: a
 * supplier (kk) creates, fills every requirement type, saves, publishes; a
 * customer (ru) returns it for revision; the supplier sees the reason, edits
 * only the flagged item, republishes; the customer approves; the e-mails
 * arrive. Then the same with the supplier offline until Publish. axe and
 * overflow checks in kk/ru/en, screenshots of every screen.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { startBrowserHostProcess, type RunningHost, type RunningPortal } from '../helpers/processes';
import { decodeMimeHeader } from '../portal/helpers';
import { test, expect, expectAccessible, findOverflow, missingKeys, screenshot, signIn } from './fixtures';

/** A real one-page PDF (the package checks open every attached file). */
async function registrationPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]).drawText('Certificate of state registration', { x: 60, y: 760, size: 18, font: await doc.embedFont(StandardFonts.Helvetica) });
  return Buffer.from(await doc.save());
}

async function checkScreen(page: Page, name: string) {
  expect(await findOverflow(page)).toEqual([]);
  await expectAccessible(page);
  await screenshot(page, name);
}

/** Reads the portal's mail folder (demo: every mail as an .eml file): recipient and decoded subject. */
function mails(portal: RunningPortal): { to: string; subject: string }[] {
  const dir = path.join(portal.dataDir, 'mail');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.eml')).map((f) => {
    const raw = fs.readFileSync(path.join(dir, f), 'utf8');
    const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
    const h = (n: string) => new RegExp(`^${n}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
    return { to: h('To'), subject: decodeMimeHeader(h('Subject')) };
  });
}

async function customerPage(browser: Browser, portal: RunningPortal): Promise<{ page: Page; host: RunningHost }> {
  const host = await startBrowserHostProcess({ portalUrl: portal.url });
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(host.appUrl);
  await expect(page.locator('main#main')).toBeVisible();
  await signIn(page, 'customer@demo.seriktes.kz');
  await page.getByRole('button', { name: 'Русский' }).click();
  return { page, host };
}

async function createAndFill(page: Page, group: string, category: string) {
  await page.getByRole('navigation').getByRole('link', { name: 'Менің АКІ өтінімдерім' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Менің АКІ өтінімдерім' })).toBeVisible();
  await page.getByRole('button', { name: 'Өтінім жасау' }).click();
  const panel = page.getByRole('group', { name: 'Өтінім жасау' });
  await expect(panel.getByLabel('Санат')).toBeDisabled();
  // Groups and categories are reference data from the first pull (kept for offline use).
  await expect(panel.getByLabel('Топ').locator('option', { hasText: group })).toHaveCount(1, { timeout: 60_000 });
  await panel.getByLabel('Топ').selectOption({ label: group });
  await panel.getByLabel('Санат').selectOption({ label: category });
  await page.getByRole('button', { name: 'Жасау', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: `АКІ өтінімі: ${category}` })).toBeVisible();
  // The draft exists before anything is typed; Publish waits for a Save.
  await expect(page.getByRole('button', { name: 'Жариялау' })).toBeDisabled();

  await page.getByLabel('Электрондық пошта мекенжайы').fill('omarov@dala.kz');
  await page.getByLabel('Байланыс телефоны').fill('+7 701 234 56 78');
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Файл таңдау: Мемлекеттік тіркеу туралы куәлік' }).click();
  await (await chooser).setFiles({ name: 'Тіркеу куәлігі.pdf', mimeType: 'application/pdf', buffer: await registrationPdf() });
  await expect(page.getByText(/Тіркеу куәлігі\.pdf \(\d+ KB\)/)).toBeVisible();
  await page.getByLabel('ҚҚС төлеушісіз бе?').selectOption({ label: 'Иә' });
  await page.getByLabel('Қызметкерлер саны').fill('0');
  await page.getByLabel('Ұқсас жеткізілімдер тәжірибесі').fill('Бес жыл бойы «Qarmet» АҚ-на болат жеткіздік.');
  await page.getByLabel('Лицензияның қолданылу мерзімі').fill('2030-12-31');
  await page.getByLabel('түсініктеме').fill('Қосымша сұрақтар болса, хабарласыңыз.');
  // Shown with each requirement: what the customer set (PDF only).
  await expect(page.getByText('Тек PDF', { exact: true })).toBeVisible();
}

test('AKI: supplier (kk) creates and publishes, customer (ru) returns it, supplier revises the flagged item only, customer approves; e-mails arrive', async ({ appPage: page, portal, browser }) => {
  test.setTimeout(300_000);
  await signIn(page, 'dala.head@demo.seriktes.kz');
  await page.getByRole('navigation').getByRole('link', { name: 'Менің АКІ өтінімдерім' }).click();
  await checkScreen(page, 'aki-list-empty-kk');
  await createAndFill(page, 'Металл өнімдері', 'Илемделген болат');
  await checkScreen(page, 'aki-form-filled-kk');

  // Save; the out-of-range number is explained at its field on Publish, by the shared rule.
  await page.getByRole('button', { name: 'Сақтау' }).click();
  await expect(page.getByText('Өтінім сақталды.')).toBeVisible();
  await expect(page.getByText('Мән 1 кем болмауы керек.')).toBeVisible();
  await page.getByLabel('Қызметкерлер саны').fill('12');
  await page.getByRole('button', { name: 'Сақтау' }).click();
  await expect(page.getByRole('button', { name: 'Жариялау' })).toBeEnabled();
  await page.getByRole('button', { name: 'Жариялау' }).click();
  await expect(page.getByText('Өтінім жарияланды және қарауға жіберілді.')).toBeVisible();
  await expect(page.getByText('Өтінішті қарау').first()).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('Өтінім қаралуда, оны өңдеуге болмайды.')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByLabel('Қызметкерлер саны')).toBeDisabled();
  await checkScreen(page, 'aki-form-under-review-kk');
  const number = (await page.locator('dd').first().innerText()).trim();
  expect(number).toMatch(/^AKI-\d{6}$/);

  // The customer, in Russian, returns it for revision of the number of employees.
  const cust = await customerPage(browser, portal);
  try {
    const c = cust.page;
    await c.getByRole('navigation').getByRole('link', { name: 'Рассмотрение заявок на ПКО' }).click();
    await expect(c.getByRole('rowheader', { name: number })).toBeVisible({ timeout: 60_000 });
    await checkScreen(c, 'aki-review-queue-ru');
    await c.getByRole('link', { name: `Просмотр: ${number}` }).click();
    await expect(c.getByRole('heading', { level: 1, name: 'Заявка на ПКО: Стальной прокат' })).toBeVisible();
    await c.getByRole('radio', { name: 'Вернуть на доработку' }).check();
    await c.getByRole('button', { name: 'Вернуть на доработку' }).click();
    await expect(c.getByText('Заполните: это обязательное поле.').first()).toBeVisible();
    await c.getByLabel('Причина').fill('Уточните количество сотрудников по штатному расписанию.');
    await c.getByRole('checkbox', { name: 'Количество сотрудников' }).check();
    await checkScreen(c, 'aki-review-decide-ru');
    await c.getByRole('button', { name: 'Вернуть на доработку' }).click();
    await expect(c.getByText('На доработке').first()).toBeVisible({ timeout: 60_000 });

    // The supplier sees the reason and can change only the flagged requirement.
    await page.getByRole('navigation').getByRole('link', { name: 'Менің АКІ өтінімдерім' }).click();
    const row = page.getByRole('row', { name: new RegExp(number) });
    await expect(row.getByText('Пысықтау үшін')).toBeVisible({ timeout: 60_000 });
    await checkScreen(page, 'aki-list-revision-kk');
    await row.getByRole('link', { name: `Өңдеу: ${number}` }).click();
    await expect(page.getByText('Уточните количество сотрудников по штатному расписанию.')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByLabel('Қызметкерлер саны')).toBeEnabled();
    await expect(page.getByLabel('ҚҚС төлеушісіз бе?')).toBeDisabled();
    await expect(page.getByLabel('Электрондық пошта мекенжайы')).toBeDisabled();
    await expect(page.getByLabel('Лицензияның қолданылу мерзімі')).toBeDisabled();
    await checkScreen(page, 'aki-form-revision-kk');
    await page.getByLabel('Қызметкерлер саны').fill('14');
    await page.getByRole('button', { name: 'Сақтау' }).click();
    await expect(page.getByText('Өтінім сақталды.')).toBeVisible();
    await page.getByRole('button', { name: 'Жариялау' }).click();
    await expect(page.getByText('Өтінім қаралуда, оны өңдеуге болмайды.')).toBeVisible({ timeout: 60_000 });

    // The customer approves.
    await c.reload();
    await expect(c.getByText('Рассмотрение заявки').first()).toBeVisible({ timeout: 60_000 });
    await expect(c.getByText('14', { exact: true }).or(c.getByLabel('Количество сотрудников'))).toBeVisible();
    await c.getByRole('button', { name: 'Одобрить' }).click();
    await expect(c.getByText('Одобрена').first()).toBeVisible({ timeout: 60_000 });
    await checkScreen(c, 'aki-review-approved-ru');
    for (const [lng, button] of [['kk', 'Қазақша'], ['en', 'English']] as const) {
      await c.getByRole('button', { name: button }).click();
      await checkScreen(c, `aki-review-approved-${lng}`);
    }
    // Template editor (customer): every type's fields, no overflow.
    await c.getByRole('navigation').getByRole('link', { name: 'Pre-qualification requirements' }).click();
    await c.getByLabel('Category', { exact: true }).selectOption({ label: 'Metal products — Rolled steel' });
    await expect(c.getByRole('heading', { level: 1, name: 'Category requirements: Rolled steel' })).toBeVisible();
    await checkScreen(c, 'aki-template-editor-en');
    // A new group and category owned by the customer's organization, then a new template version for it.
    const form = c.getByRole('form', { name: 'New category' });
    await form.getByLabel('Group', { exact: true }).selectOption({ label: '— new group —' });
    await form.getByLabel('Group code (Latin letters)').fill('chemicals');
    await form.getByLabel('Group name in Kazakh').fill('Химия өнімдері');
    await form.getByLabel('Group name in Russian').fill('Химическая продукция');
    await form.getByLabel('Group name in English').fill('Chemical products');
    await form.getByLabel('Category code (Latin letters)').fill('reagents');
    await form.getByLabel('Category name in Kazakh').fill('Реагенттер');
    await form.getByLabel('Category name in Russian').fill('Реагенты');
    await form.getByLabel('Category name in English').fill('Reagents');
    await form.getByRole('button', { name: 'Create category' }).click();
    await expect(c.getByRole('heading', { level: 1, name: 'Category requirements: Reagents' })).toBeVisible();
    await c.getByLabel('Requirement type').selectOption({ label: 'Date' });
    await c.getByRole('button', { name: 'Add requirement' }).click();
    await c.getByLabel('Text in Kazakh').fill('eGov үзіндісінің күні');
    await c.getByLabel('Text in Russian').fill('Дата выписки eGov');
    await c.getByLabel('Not older than, days').fill('30');
    await c.getByRole('button', { name: 'Save requirements (new version)' }).click();
    await expect(c.getByText('The new version was saved.')).toBeVisible();
    await expect(c.getByText('Version 2')).toBeVisible({ timeout: 60_000 });
    await checkScreen(c, 'aki-template-editor-new-category-en');
    expect(await missingKeys(c)).toEqual([]);
  } finally {
    await cust.page.context().close();
    await cust.host.stop('SIGKILL');
  }

  await page.getByRole('navigation').getByRole('link', { name: 'Менің АКІ өтінімдерім' }).click();
  await expect(page.getByRole('row', { name: new RegExp(number) }).getByText('Мақұлданды')).toBeVisible({ timeout: 60_000 });
  await checkScreen(page, 'aki-list-approved-kk');
  for (const [lng, button, title] of [['ru', 'Русский', 'Мои заявки на ПКО'], ['en', 'English', 'My pre-qualification applications']] as const) {
    await page.getByRole('button', { name: button }).click();
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    await checkScreen(page, `aki-list-approved-${lng}`);
  }
  expect(await missingKeys(page)).toEqual([]);

  // E-mails, each in the recipient's language (both read Kazakh).
  await expect.poll(() => mails(portal).filter((m) => m.to.includes('dala.head@demo.seriktes.kz')).map((m) => m.subject).sort(), { timeout: 60_000 })
    .toEqual(['АКІ-дан өтуге Сіздің өтінішіңіз пысықтауға қайтарылды', 'Сіздің АКІ-ға өтінішіңіз мақұлданған']);
  await expect.poll(() => mails(portal).filter((m) => m.to.includes('customer@demo.seriktes.kz') && m.subject.includes(number)).length, { timeout: 60_000 }).toBe(2);
});

test('AKI offline until Publish: the app says publication waits for the portal, then shows the portal\'s result', async ({ appPage: page, network }) => {
  test.setTimeout(300_000);
  await signIn(page, 'metal.head@demo.seriktes.kz');
  // One sync while online (reference data), then the network goes.
  await page.getByRole('navigation').getByRole('link', { name: 'Менің АКІ өтінімдерім' }).click();
  await page.getByRole('button', { name: 'Өтінім жасау' }).click();
  await expect(page.getByRole('group', { name: 'Өтінім жасау' }).getByLabel('Топ').locator('option', { hasText: 'Қызметтер' })).toHaveCount(1, { timeout: 60_000 });
  await page.getByRole('button', { name: 'Бас тарту' }).click();
  network.cut();
  await createAndFill(page, 'Қызметтер', 'Көлік қызметтері');
  await page.getByLabel('Электрондық пошта мекенжайы').fill('head@metal.kz');
  await page.getByLabel('Қызметкерлер саны').fill('9');
  await page.getByRole('button', { name: 'Сақтау' }).click();
  await expect(page.getByText('Өтінім сақталды. Портал желі қалпына келгенде алады.')).toBeVisible();
  await expect(page.getByText('порталда тіркелуді күтуде')).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Желіден тыс' })).toBeVisible({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Жариялау' }).click();
  await expect(page.getByText('Жариялау порталды күтуде: желі қалпына келгенде портал шешім қабылдайды.').first()).toBeVisible();
  await checkScreen(page, 'aki-form-offline-published-kk');
  for (const [lng, button, waits] of [['ru', 'Русский', 'Публикация ждёт портала'], ['en', 'English', 'Publication is waiting for the portal']] as const) {
    await page.getByRole('button', { name: button }).click();
    await expect(page.getByText(waits).first()).toBeVisible();
    await checkScreen(page, `aki-form-offline-published-${lng}`);
  }
  await page.getByRole('button', { name: 'Қазақша' }).click();
  await page.getByRole('button', { name: 'Қайту' }).click();
  const row = page.getByRole('row', { name: /порталда тіркелуді күтуде/ });
  await expect(row.getByText('Жіберуді күтуде')).toBeVisible();
  await expect(row.getByText('Жарияланды')).toBeVisible();
  await checkScreen(page, 'aki-list-offline-kk');

  network.restore();
  await expect(page.getByRole('row', { name: /AKI-\d{6}/ }).getByText('Өтінішті қарау')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('порталда тіркелуді күтуде')).toHaveCount(0);
  await checkScreen(page, 'aki-list-online-kk');
});
