import { uuidv7 } from '../../src-shared/sync/uuidv7';
import { DEMO_PASSWORD, test, expect, expectAccessible, findOverflow, missingKeys, screenshot, signIn } from './fixtures';

const LOGIN = 'infra.head@demo.seriktes.kz';

/** Something happens on the portal: the Head sets their own roles (another device), so the portal notifies them. */
async function changeOwnRoles(portalUrl: string, roles: string[]) {
  const session = (await (await fetch(`${portalUrl}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: LOGIN, password: DEMO_PASSWORD }) })).json()) as {
    token: string;
    user: { id: string; memberships: { organizationId: string }[] };
  };
  const auth = { authorization: `Bearer ${session.token}` };
  const pull = (await (await fetch(`${portalUrl}/api/sync/pull?cursor=0&limit=2000&protocolVersion=1`, { headers: auth })).json()) as {
    changes: { entityType: string; entityId: string; version: number; data: { userId?: string } | null }[];
  };
  const mine = pull.changes.find((c) => c.entityType === 'membership' && c.data?.userId === session.user.id)!;
  const res = (await (
    await fetch(`${portalUrl}/api/sync/push`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        protocolVersion: 1,
        clientId: uuidv7(),
        mutations: [{ id: uuidv7(), name: 'employees.setRoles', args: { organizationId: session.user.memberships[0]!.organizationId, membershipId: mine.entityId, roles, baseVersion: mine.version }, createdAt: new Date().toISOString() }],
      }),
    })
  ).json()) as { results: { status: string }[] };
  expect(res.results[0]?.status).toBe('applied');
}

test('notifications: the bell counts what arrived by sync; the list reads in every language; marking read works offline', async ({ appPage: page, portal, network }) => {
  await signIn(page, LOGIN);
  const bell = page.getByRole('link', { name: /^(Хабарландырулар, оқылмағаны|Уведомления, непрочитанных|Notifications,)/ });
  await expect(bell).toBeVisible();

  await changeOwnRoles(portal.url, ['head', 'supplier']);
  // Arrives through the live channel and a pull; the bell counts it and screen readers hear of it.
  await expect(page.locator('.bell-count')).toHaveText('1', { timeout: 60_000 });
  await expect(page.getByRole('status').filter({ hasText: /Жаңа хабарландыру|Новое уведомление|New notification/ })).toBeAttached();

  await page.getByRole('button', { name: 'Қазақша' }).click();
  await bell.click();
  await expect(page.getByRole('heading', { level: 1, name: 'Хабарландырулар' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: /рөлдеріңіз/ })).toBeVisible();
  await expectAccessible(page);
  expect(await findOverflow(page)).toEqual([]);
  expect(await missingKeys(page)).toEqual([]);
  await screenshot(page, 'notifications-kk');

  await page.getByRole('button', { name: 'Русский' }).click();
  await expect(page.getByRole('heading', { level: 2, name: /Ваши роли/ })).toBeVisible();
  await expect(page.getByText('Руководитель, Поставщик')).toBeVisible();
  await screenshot(page, 'notifications-ru');

  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 2, name: /Your roles/ })).toBeVisible();
  await screenshot(page, 'notifications-en');

  // Offline: marked read at once, shown as waiting to be sent; online again, confirmed.
  network.cut();
  await page.getByRole('button', { name: /^Mark as read:/ }).click();
  await expect(page.getByText('Read (sending to the portal)')).toBeVisible();
  await expect(page.locator('.bell-count')).toHaveCount(0);
  network.restore();
  await expect(page.getByText('Read', { exact: true })).toBeVisible({ timeout: 60_000 });
  await expectAccessible(page);
  await screenshot(page, 'notifications-read-en');

  await changeOwnRoles(portal.url, ['head']);
  await expect(page.locator('.bell-count')).toHaveText('1', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Mark all as read' }).click();
  await expect(page.locator('.bell-count')).toHaveCount(0);
});
