/**
 * files.fetch in the review page: the customer opens a supplier's submitted answer file. It is not in
 * the customer's store, so "Open" downloads it from the portal (access- and hash-checked) and then
 * shows it in the built-in viewer.
 */
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { test, expect, expectAccessible, findOverflow, screenshot, signIn } from './fixtures';
import { call, createDraft, fullAnswers, one, signIn as apiSignIn, upload } from '../aki/helpers';

async function certificatePdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText('Registration certificate No. 42', { x: 60, y: 760, size: 20, font: await doc.embedFont(StandardFonts.Helvetica) });
  return Buffer.from(await doc.save());
}

test('the customer opens a supplier’s answer file: downloaded on demand, shown in the viewer (kk)', async ({ appPage: page, portal }) => {
  const supplier = await apiSignIn(portal.url, 'supplier');
  const { applicationId } = await createDraft(portal.url, supplier);
  const file = await upload(portal.url, supplier, await certificatePdf(), 'Тіркеу куәлігі.pdf');
  const saved = await one(portal.url, supplier, 'aki.save', { applicationId, baseVersion: 1, templateVersion: 1, email: 'sup@dala.kz', phone: '+7 701 111 22 33', comment: '', answers: fullAnswers(file) });
  expect(saved.status, JSON.stringify(saved.error)).toBe('applied');
  const published = await one(portal.url, supplier, 'aki.publish', { applicationId, templateVersion: 1 });
  expect(published.status, JSON.stringify(published.error)).toBe('applied');

  const number = (await call(portal.url, 'GET', `/api/aki/applications/${applicationId}`, { token: supplier })).json.record.number as string;
  expect(number).toBeTruthy();

  await signIn(page, 'customer@demo.seriktes.kz');
  await page.getByRole('navigation').getByRole('link', { name: 'АКІ өтінімдерін қарау' }).click();
  // The application arrives with the customer's sync.
  await expect(page.getByRole('rowheader', { name: number })).toBeVisible({ timeout: 60_000 });
  await page.getByRole('link', { name: `Көру: ${number}` }).click();
  await expect(page.getByText('Тіркеу куәлігі.pdf', { exact: false }).first()).toBeVisible();
  // Fetched in the background when the review opens: the badge is there before anything is clicked.
  await expect(page.getByText('Қол қойылмаған').first()).toBeVisible({ timeout: 60_000 });
  const open = page.getByRole('link', { name: 'Қарау: Тіркеу куәлігі.pdf' });
  await expect(open).toBeVisible();
  await open.click();
  await expect(page.getByRole('heading', { level: 1, name: 'Құжатты қарау' })).toBeVisible();
  await expect(page.locator('canvas').first()).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expectAccessible(page);
  expect(await findOverflow(page)).toEqual([]);
  await screenshot(page, 'files-fetch-viewer-kk');
});
