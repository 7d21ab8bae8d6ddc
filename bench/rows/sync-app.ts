/** The app's sync machinery (LocalSync + SyncEngine) on a fresh local database, for the sync rows. */
import { join } from 'node:path';
import { openLocalDb, type LocalDb } from '../../src-main/db/local-db';
import { LocalSync } from '../../src-main/sync/local-sync';
import { SyncEngine } from '../../src-main/sync/engine';
import { PortalClient } from '../../src-main/sync/portal-client';
import type { ActorView } from '../../src-main/sync/state-loaders';
import { uuidv7 } from '../../src-shared/sync/uuidv7';
import type { signIn } from '../portal-fixture';

export interface SyncApp {
  db: LocalDb;
  local: LocalSync;
  engine: SyncEngine;
  status(): string;
  close(): Promise<void>;
}

export function syncApp(dir: string, url: string, session: Awaited<ReturnType<typeof signIn>>): SyncApp {
  const actor: ActorView = { userId: session.user.id, memberships: session.user.memberships.map((m) => ({ organizationId: m.organizationId, roles: m.roles })) };
  const db = openLocalDb(join(dir, 'app.sqlite'));
  const local = new LocalSync(db);
  let status = '';
  const engine = new SyncEngine({
    client: new PortalClient({ baseUrl: url, token: () => session.token }),
    local,
    clientId: uuidv7(),
    actor: () => actor,
    token: () => session.token,
    onStatus: (s) => (status = s.state),
    periodicPullMs: 0,
  });
  return {
    db,
    local,
    engine,
    status: () => status,
    close: async () => {
      engine.stop();
      await db.close();
    },
  };
}
