import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { PDFDocument, PDFName, StandardFonts } from 'pdf-lib';
import { test, expect, expectAccessible, findOverflow, screenshot, signIn } from './fixtures';

async function twoPagePdf(): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const p1 = pdf.addPage([595, 842]);
  p1.drawText('Certificate of state registration', { x: 60, y: 760, size: 20, font });
  p1.drawText('BIN 160340000666', { x: 60, y: 720, size: 14, font });
  const p2 = pdf.addPage([595, 842]);
  p2.drawText('Charter of Dala Supply LLP, page two', { x: 60, y: 760, size: 16, font });
  p2.drawText('Registered office: Almaty', { x: 60, y: 730, size: 14, font });
  return Buffer.from(await pdf.save());
}

/** Uploads bytes to the browser host (as the page's file input does) and stages them over the page's own RPC channel. */
async function stageThroughPage(page: Page, bytes: Buffer, name: string): Promise<string> {
  const ref = await page.evaluate(
    async ([b64, n]) => {
      const bin = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const res = await fetch(`/upload?name=${encodeURIComponent(n)}`, { method: 'POST', body: bin });
      const { value } = (await res.json()) as { value: { handle: string } };
      return value;
    },
    [bytes.toString('base64'), name] as const,
  );
  expect(ref.handle).toMatch(/^fh_/);
  // files.stage over the page's own RPC channel (same origin, same session cookie), as a screen would call it.
  const staged = await page.evaluate(async (handle) => {
    const ws = new WebSocket(`ws://${location.host}/rpc`);
    await new Promise((r) => (ws.onopen = r));
    ws.send(JSON.stringify({ id: 1, method: 'files.stage', input: { handle } }));
    const reply = await new Promise<{ reply: { ok: boolean; value: { sha256: string } } }>((r) => {
      ws.onmessage = (e) => {
        const msg = JSON.parse(String(e.data)) as { id?: number };
        if (msg.id === 1) r(msg as never);
      };
    });
    ws.close();
    return reply.reply;
  }, ref.handle);
  expect(staged.ok).toBe(true);
  return staged.value.sha256;
}

/**
 * A scanned passport as scanners write it: one JPEG 2000 image (JPXDecode) per page. The fixture
 * (test/fixtures/passport-scan.jp2, made with opj_compress) is 240×160: left half dark blue, right
 * half yellow, a black bar across.
 */
async function jpxScanPdf(): Promise<Buffer> {
  const jp2 = readFileSync(join(__dirname, '..', 'fixtures', 'passport-scan.jp2'));
  const pdf = await PDFDocument.create();
  // The JPX bytes go in as they are (pdf-lib's embedJpg/embedPng would re-encode).
  const stream = pdf.context.stream(jp2, { Type: 'XObject', Subtype: 'Image', Width: 240, Height: 160, Filter: 'JPXDecode' });
  const ref = pdf.context.register(stream);
  const page = pdf.addPage([595, 842]);
  page.node.setXObject(PDFName.of('Scan'), ref);
  const ops = 'q 480 0 0 320 57 400 cm /Scan Do Q';
  page.node.set(PDFName.of('Contents'), pdf.context.register(pdf.context.stream(ops)));
  return Buffer.from(await pdf.save({ useObjectStreams: false }));
}

test('a staged PDF opens in the built-in viewer under the strict CSP: pages, zoom, text search', async ({ appPage: page, host }) => {
  await signIn(page, 'dala.head@demo.seriktes.kz');
  const bytes = await twoPagePdf();
  const sha = await stageThroughPage(page, bytes, 'charter.pdf');
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });

  await page.goto(`${host.origin}/#/document/${sha}/charter.pdf`);
  await expect(page.getByRole('heading', { level: 1, name: 'Құжатты қарау' })).toBeVisible();
  await expect(page.getByText('1 / 2 бет')).toBeVisible();
  const canvas = page.getByRole('img', { name: '1-бет' });
  await expect(canvas).toBeVisible();
  // The page really rendered: the canvas is not blank.
  const inked = await canvas.evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let dark = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i]! < 128) dark++;
    return dark;
  });
  expect(inked).toBeGreaterThan(200);
  await expect(page.locator('.textLayer span', { hasText: 'Certificate of state registration' })).toHaveCount(1);

  // Opens fitted to the viewer's width; zoom steps up from there, and «Ені бойынша» returns to the fit.
  await expect(page.getByRole('button', { name: 'Ені бойынша' })).toHaveAttribute('aria-pressed', 'true');
  const percent = async () => Number((await page.getByRole('toolbar').getByText(/^\d+%$/).textContent())!.replace('%', ''));
  const fitted = await percent();
  const fittedWidth = await canvas.evaluate((c: HTMLCanvasElement) => c.getBoundingClientRect().width);
  const boxWidth = await page.locator('.pdf-page').evaluate((b) => b.clientWidth);
  expect(fittedWidth).toBeLessThanOrEqual(boxWidth);
  expect(fittedWidth).toBeGreaterThan(boxWidth * 0.8);
  await page.getByRole('button', { name: 'Үлкейту' }).click();
  await expect.poll(percent).toBeGreaterThan(fitted);
  await expect(page.getByRole('button', { name: 'Ені бойынша' })).toHaveAttribute('aria-pressed', 'false');
  await page.getByRole('searchbox', { name: 'Мәтіннен іздеу' }).fill('registered office');
  await page.getByRole('button', { name: 'Табу' }).click();
  await expect(page.getByText('Табылды: 2 бет')).toBeVisible();
  await expect(page.getByText('2 / 2 бет')).toBeVisible();
  await expect(page.locator('.textLayer span.pdf-hit')).toHaveCount(1);
  expect(await findOverflow(page)).toEqual([]);
  await expectAccessible(page);
  await screenshot(page, 'pdf-preview-kk');
  expect(errors.filter((e) => /Content Security Policy|wasm|worker/i.test(e))).toEqual([]);

  // Another page without the session cookie cannot read the file.
  const anonymous = await fetch(`${host.origin}/files/${sha}`);
  expect(anonymous.status).toBe(401);
});

test('a scanned passport (JPEG 2000) renders in the viewer: the wasm decoder loads under the strict CSP', async ({ appPage: page, host }) => {
  await signIn(page, 'dala.head@demo.seriktes.kz');
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  const sha = await stageThroughPage(page, await jpxScanPdf(), 'passport.pdf');
  await page.goto(`${host.origin}/#/document/${sha}/passport.pdf`);
  const canvas = page.getByRole('img', { name: '1-бет' });
  await expect(canvas).toBeVisible();
  // The decoded image's colours are on the canvas: blue left, yellow right (the image box is x 57..537, y 122..442 from the top).
  const sample = () =>
    canvas.evaluate((c: HTMLCanvasElement) => {
      const ctx = c.getContext('2d')!;
      const at = (fx: number, fy: number) => Array.from(ctx.getImageData(Math.floor(c.width * fx), Math.floor(c.height * fy), 1, 1).data.slice(0, 3));
      return { left: at(150 / 595, 200 / 842), right: at(450 / 595, 200 / 842) };
    });
  await expect.poll(async () => { const { left } = await sample(); return left[2]! - left[0]!; }, { timeout: 60_000 }).toBeGreaterThan(80);
  const { left, right } = await sample();
  expect(left[2]! - left[0]!, `left pixel ${left.join(',')}`).toBeGreaterThan(80);
  expect(right[0]! - right[2]!, `right pixel ${right.join(',')}`).toBeGreaterThan(120);
  await screenshot(page, 'pdf-preview-jpx-kk');
  expect(errors.filter((e) => /Content Security Policy|wasm|worker|JpxError|OpenJPEG/i.test(e))).toEqual([]);
});
