import { PDFDocument, StandardFonts } from 'pdf-lib';
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

test('a staged PDF opens in the built-in viewer under the strict CSP: pages, zoom, text search', async ({ appPage: page, host }) => {
  await signIn(page, 'dala.head@demo.seriktes.kz');
  const bytes = await twoPagePdf();
  // The page uploads the file to the browser host (as its file input does) and stages it.
  const ref = await page.evaluate(async (b64) => {
    const bin = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const res = await fetch('/upload?name=charter.pdf', { method: 'POST', body: bin });
    const { value } = (await res.json()) as { value: { handle: string } };
    return value;
  }, bytes.toString('base64'));
  expect(ref.handle).toMatch(/^fh_/);
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
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
  const sha = staged.value.sha256;

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

  await page.getByRole('button', { name: 'Үлкейту' }).click();
  await expect(page.getByText('125%')).toBeVisible();
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
