import { withCheckDigit } from '../../src-shared/domain/identity';
import { test, expect, expectAccessible, findOverflow, missingKeys, screenshot, signIn } from './fixtures';

test('the Head manages employees offline: changes show as pending and sync when the portal returns', async ({ appPage: page, network }) => {
  await signIn(page, 'metal.head@demo.seriktes.kz');
  await page.getByRole('navigation').getByRole('link', { name: 'Қызметкерлер' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Қызметкерлер' })).toBeVisible();
  await expect(page.getByRole('rowheader', { name: /Тоқтаров Әлібек Нұрланұлы/ })).toBeVisible();
  await expectAccessible(page);
  expect(await findOverflow(page)).toEqual([]);
  await screenshot(page, 'employees-kk');

  // Invalid input is explained at the field, before anything is sent.
  await page.getByLabel('ЖСН').fill('123456789012');
  // A control character (pasted from elsewhere) is text no layer can store: invalid_text at the field.
  await page.getByLabel('Аты-жөні').fill('Сәрсенбаев\u0007Ғалым');
  await page.getByLabel('Электрондық пошта').fill('not-an-email');
  await page.getByRole('button', { name: 'Тіркеу' }).click();
  await expect(page.getByText('ЖСН дұрыс емес: 12 цифр және дұрыс бақылау цифры қажет.')).toBeVisible();
  await expect(page.getByText('Электрондық пошта мекенжайы дұрыс емес.')).toBeVisible();
  await expect(page.getByText('Мәтінде сақтауға болмайтын таңбалар бар', { exact: false })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, 'employees-invalid-kk');

  // Offline: the network to the portal is cut.
  network.cut();
  const iin = withCheckDigit('91030330012') ?? withCheckDigit('91030330013')!;
  await page.getByLabel('ЖСН').fill(iin);
  await page.getByLabel('Аты-жөні').fill('Сәрсенбаев Ғалым');
  await page.getByLabel('Электрондық пошта').fill('galym@example.kz');
  await page.getByRole('button', { name: 'Тіркеу' }).click();
  const row = page.getByRole('row', { name: /Сәрсенбаев Ғалым/ });
  await expect(row).toBeVisible();
  await expect(row.getByText('Жіберуді күтуде')).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Желіден тыс' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('Жіберуді күтуде: 1')).toBeVisible();
  await expect(page.getByText('Желісіз жұмыс: өзгерістер сақталды')).toBeVisible();
  expect(await findOverflow(page)).toEqual([]);
  await expectAccessible(page);
  await screenshot(page, 'employees-offline-kk');

  // The portal is back: the change is sent and confirmed.
  network.restore();
  await expect(row.getByText('Жіберуді күтуде')).toHaveCount(0, { timeout: 60_000 });
  await expect(page.getByRole('status').filter({ hasText: 'Желіде' })).toBeVisible();

  // Roles: the only Head cannot lose the Head role — the shared rule answers at once.
  const headRow = page.getByRole('row', { name: /Тоқтаров Әлібек Нұрланұлы/ });
  await headRow.getByRole('checkbox', { name: 'Басшы' }).click();
  await expect(page.getByText('Ұйымда кемінде бір «Басшы» қалуы керек.')).toBeVisible();
  await expect(headRow.getByRole('checkbox', { name: 'Басшы' })).toBeChecked();

  for (const [lng, button, title] of [
    ['ru', 'Русский', 'Сотрудники'],
    ['en', 'English', 'Employees'],
  ] as const) {
    await page.getByRole('button', { name: button }).click();
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    expect(await findOverflow(page)).toEqual([]);
    await expectAccessible(page);
    await screenshot(page, `employees-${lng}`);
  }
  expect(await missingKeys(page)).toEqual([]);
});
