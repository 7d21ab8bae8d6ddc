/**
 * The seeded portal the sync rows share within one bench run: a child process (so the event loop
 * measured is the app's) with N employees in one organization's feed. Its data folder is the
 * runner's temporary folder, removed with the child at the end of the run.
 */
import { join } from 'node:path';
import { PortalClient } from '../src-main/sync/portal-client';
import { SessionSchema } from '../src-shared/portal-api/schemas';
import type { z } from 'zod';
import { progress, TSX_CLI, waitForOutput, type BenchContext } from './harness';

export const DEMO_PASSWORD = 'Seriktes-demo-2026';
export const HEAD_LOGIN = 'organizer.head@demo.seriktes.kz';

export interface SeededPortal {
  url: string;
  org: string;
  /** Employees added to the feed. */
  n: number;
}

export const feedSize = (ctx: BenchContext) => (ctx.options.small ? 2_000 : 100_000);

export function seededPortal(ctx: BenchContext): Promise<SeededPortal> {
  return ctx.once('portal', async () => {
    const n = feedSize(ctx);
    const dir = ctx.tempDir('portal');
    progress(`starting a portal with ${n} employees in the feed…`);
    const child = ctx.spawn(process.execPath, [TSX_CLI, join(__dirname, 'portal-child.ts'), String(n), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const m = await waitForOutput(child, /portal url: (\S+) org: (\S+)/);
    return { url: m[1]!, org: m[2]!, n };
  });
}

export async function signIn(url: string, login = HEAD_LOGIN): Promise<z.infer<typeof SessionSchema>> {
  const client = new PortalClient({ baseUrl: url });
  return SessionSchema.parse(await client.request('POST', '/api/auth/sign-in', { login, password: DEMO_PASSWORD }, { auth: false }));
}
