import WebSocket from 'ws';
import { test, expect } from './fixtures';

test('every response carries the strict CSP, and an injected inline script is refused', async ({ page, host }) => {
  const response = await page.goto(host.appUrl);
  const csp = response?.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).toContain("object-src 'none'");
  await expect(page.locator('main#main')).toBeVisible();
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  const ran = await page.evaluate(async () => {
    (window as unknown as { __injected?: boolean }).__injected = false;
    const s = document.createElement('script');
    s.textContent = 'window.__injected = true';
    document.body.appendChild(s);
    await new Promise((r) => setTimeout(r, 200));
    let evalRan = false;
    try {
      (0, eval)('1');
      evalRan = true;
    } catch {
      evalRan = false;
    }
    return { inline: (window as unknown as { __injected?: boolean }).__injected, evalRan };
  });
  expect(ran).toEqual({ inline: false, evalRan: false });
  expect(violations.length).toBeGreaterThan(0);
});

async function wsStatus(url: string, headers: Record<string, string>): Promise<number | 'open'> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(0));
  });
}

test('RPC without the session cookie, with a foreign Origin or Host, or a used token is refused', async ({ page, host, request }) => {
  const wsUrl = host.origin.replace('http', 'ws') + '/rpc';
  // No cookie at all.
  expect(await wsStatus(wsUrl, { Origin: host.origin })).toBe(401);
  // Exchange the token through the real page, then reuse the cookie from a foreign origin.
  await page.goto(host.appUrl);
  await expect(page.locator('main#main')).toBeVisible();
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === 'seriktes_session');
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe('Strict');
  const cookie = `seriktes_session=${session!.value}`;
  expect(await wsStatus(wsUrl, { Origin: host.origin, Cookie: cookie })).toBe('open');
  expect(await wsStatus(wsUrl, { Origin: 'http://evil.example', Cookie: cookie })).toBe(403);
  expect(await wsStatus(wsUrl, { Origin: host.origin, Cookie: cookie, Host: 'evil.example' })).toBe(421);
  // The one-time token from the printed URL cannot be exchanged twice.
  const token = new URL(host.appUrl).searchParams.get('token');
  const again = await request.post(`${host.origin}/session`, { data: { token }, headers: { Origin: host.origin } });
  expect(again.status()).toBe(401);
  const foreign = await request.post(`${host.origin}/session`, { data: { token: 'x' }, headers: { Origin: 'http://evil.example' } });
  expect(foreign.status()).toBe(403);
  const upload = await request.post(`${host.origin}/upload?name=a.pdf`, { data: '%PDF-1.7', headers: { Origin: host.origin } });
  expect(upload.status()).toBe(401);
});

test('a page opened without the token cannot reach the back end', async ({ browser, host }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(host.origin + '/');
  await expect(page.getByRole('alert')).toContainText('Open the app through the “app url:” link');
  await expect(page.getByRole('alert')).toContainText('Откройте приложение по ссылке');
  await expect(page.locator('main#main')).toHaveCount(0);
  await context.close();
});
