/**
 * The small files next to the account caches (last-account.json, client-id, accounts/<id>/me.json)
 * and their copies in the account's SQLite `sync_state`. Every write goes through writeAtomically;
 * a file a crash (or a disk) still damaged is rebuilt from what the cache holds instead of signing
 * the user out with changes waiting in the outbox (issue 15).
 */
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { MeSchema } from '../../src-shared/portal-api/schemas';
import type { LocalDb } from '../db/local-db';
import { writeAtomically } from '../files/write-atomically';

type Me = z.infer<typeof MeSchema>;

/** sync_state keys: the signed-in user's profile and this device's client id, as last written. */
export const ME_KEY = 'account.me';
export const CLIENT_ID_KEY = 'account.clientId';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LastAccountSchema = z.object({ userId: z.string().uuid(), portalUrl: z.string() });

const lastAccountFile = (dataDir: string) => join(dataDir, 'last-account.json');
const clientIdFile = (dataDir: string) => join(dataDir, 'client-id');
export const accountDir = (dataDir: string, userId: string) => join(dataDir, 'accounts', userId);

export async function writeLastAccount(dataDir: string, userId: string, portalUrl: string): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  await writeAtomically(lastAccountFile(dataDir), JSON.stringify({ userId, portalUrl }));
}

/**
 * The account to reopen at start: the one last-account.json names or, when that file is missing or
 * damaged, the account folder used most recently that still holds a session. Signing out deletes
 * both last-account.json and the account's session.json, so a signed-out account is never reopened.
 * `recovered` tells the caller to write last-account.json again.
 */
export async function lastAccount(dataDir: string): Promise<{ userId: string; recovered: boolean } | null> {
  try {
    const last = LastAccountSchema.parse(JSON.parse(await readFile(lastAccountFile(dataDir), 'utf8')));
    return { userId: last.userId, recovered: false };
  } catch {
    const userId = await mostRecentAccount(dataDir);
    return userId ? { userId, recovered: true } : null;
  }
}

async function mostRecentAccount(dataDir: string): Promise<string | null> {
  const names = await readdir(join(dataDir, 'accounts')).catch(() => [] as string[]);
  let best: { userId: string; at: number } | null = null;
  for (const userId of names.filter((n) => UUID.test(n))) {
    const dir = accountDir(dataDir, userId);
    if (!(await stat(join(dir, 'session.json')).catch(() => null))) continue;
    // Each sync writes the cache (its WAL first) and me.json: the newest of them is when it was last used.
    const times = await Promise.all(['cache.sqlite-wal', 'cache.sqlite', 'me.json', 'session.json'].map((f) => stat(join(dir, f)).then((s) => s.mtimeMs, () => 0)));
    const at = Math.max(...times);
    if (!best || at > best.at) best = { userId, at };
  }
  return best?.userId ?? null;
}

/** me.json of an account, or null when it is missing, empty, not JSON or not this account's. */
export async function readMeFile(dataDir: string, userId: string): Promise<Me | null> {
  try {
    const me = MeSchema.parse(JSON.parse(await readFile(join(accountDir(dataDir, userId), 'me.json'), 'utf8')));
    return me.id === userId ? me : null;
  } catch {
    return null;
  }
}

export async function writeMeFile(dataDir: string, me: Me): Promise<void> {
  await writeAtomically(join(accountDir(dataDir, me.id), 'me.json'), JSON.stringify(me));
}

/** The client id file, or null when it is missing or holds anything but a UUID. */
export async function readClientIdFile(dataDir: string): Promise<string | null> {
  const text = await readFile(clientIdFile(dataDir), 'utf8').catch(() => '');
  const id = text.trim();
  return UUID.test(id) ? id : null;
}

export async function writeClientIdFile(dataDir: string, id: string): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  await writeAtomically(clientIdFile(dataDir), id);
}

function readKey(db: LocalDb, key: string): string | null {
  const row = db.sqlite.prepare('SELECT value FROM sync_state WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

export function writeKeys(db: LocalDb, values: Record<string, string>): void {
  const put = db.sqlite.prepare('INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  db.tx(() => {
    for (const [k, v] of Object.entries(values)) put.run(k, v);
  });
}

/** The profile the cache last stored for its user, or null. */
export function storedMe(db: LocalDb, userId: string): Me | null {
  try {
    const me = MeSchema.parse(JSON.parse(readKey(db, ME_KEY) ?? 'null'));
    return me.id === userId ? me : null;
  } catch {
    return null;
  }
}

export function storedClientId(db: LocalDb): string | null {
  const id = readKey(db, CLIENT_ID_KEY);
  return id && UUID.test(id) ? id : null;
}
