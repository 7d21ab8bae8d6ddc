/**
 * kill -9 of the app back end while it rewrites me.json (issue 15): a browser-host child process
 * syncs in a loop — every sync cycle fetches the profile and writes me.json — and is killed at a
 * random cycle; then the real back end reopens the same data folder in this process. Shared by
 * test/sync/side-files.test.ts (a few trials) and the `me-json-kill` soak campaign (many).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBackend } from '../../src-main/backend/backend';
import { MeSchema } from '../../src-shared/portal-api/schemas';
import { startBrowserHostProcess } from './processes';
import { connectRpc } from './rpc-client';

const silent = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };

export interface KillTrial {
  /** Sync cycles the child completed before it was killed. */
  cycles: number;
  /** me.json right after the kill: whole and this user's, or damaged (empty, torn, not JSON). */
  meJson: 'valid' | 'damaged';
  /** What the back end reopened, with no sign-in. */
  signedInAs: string | null;
  pending: number;
}

export async function meJsonKillTrial(o: { dataDir: string; portalUrl: string; userId: string; killAfterCycles: number }): Promise<KillTrial> {
  const host = await startBrowserHostProcess({ dataDir: o.dataDir, portalUrl: o.portalUrl, pullIntervalMs: 0 });
  let cycles = 0;
  try {
    const rpc = await connectRpc(host);
    let reached: () => void = () => {};
    const enough = new Promise<void>((r) => (reached = r));
    // Not awaited after the kill: a call in flight on the dead socket never answers.
    void (async () => {
      for (;;) {
        try {
          await rpc.call('sync.now', {});
        } catch {
          return; // killed
        }
        if (++cycles >= o.killAfterCycles) reached();
      }
    })();
    await enough;
    await host.stop('SIGKILL');
    rpc.close();
  } finally {
    await host.stop('SIGKILL');
  }
  let meJson: KillTrial['meJson'] = 'damaged';
  try {
    if (MeSchema.parse(JSON.parse(readFileSync(join(o.dataDir, 'accounts', o.userId, 'me.json'), 'utf8'))).id === o.userId) meJson = 'valid';
  } catch {
    // stays 'damaged'
  }
  const backend = await createBackend({ dataDir: o.dataDir, hostKind: 'browser', portalUrl: o.portalUrl, version: 'test', logger: silent as never, periodicPullMs: 0 });
  try {
    const auth = await backend.call('auth.status', {});
    const status = await backend.call('sync.status', {});
    const user = auth.ok ? (auth.value as { signedIn: boolean; user: { id: string } | null }) : null;
    return { cycles, meJson, signedInAs: user?.signedIn ? (user.user?.id ?? null) : null, pending: status.ok ? (status.value as { pending: number }).pending : -1 };
  } finally {
    await backend.close();
  }
}
