import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { AppError } from '../../src-shared/rpc/errors';
import { MeSchema, SessionSchema } from '../../src-shared/portal-api/schemas';
import type { SyncStatus } from '../../src-shared/rpc/app-methods';
import { uuidv7 } from '../../src-shared/sync/uuidv7';
import { openLocalDb, type LocalDb } from '../db/local-db';
import { acquireAccountLock, type AccountLock } from '../db/account-lock';
import { LocalSync } from '../sync/local-sync';
import { SyncEngine } from '../sync/engine';
import { Divergence } from '../sync/divergence';
import { PortalClient } from '../sync/portal-client';
import type { ActorView } from '../sync/state-loaders';
import { TokenVault, type SecretCodec } from './token-vault';
import { FileStore } from '../files/file-store';
import type { Logger } from '../backend/logger';
import {
  CLIENT_ID_KEY, ME_KEY, accountDir, lastAccount, readClientIdFile, readMeFile, storedClientId, storedMe, writeClientIdFile, writeKeys, writeLastAccount, writeMeFile,
} from './side-files';
import type { PortalClock } from '../../src-shared/time/portal-clock';

/** Signs the portal's EDS challenge: gets a POST to the portal and its URL, returns the proof body. */
export type EdsProver = (post: (path: string, body: unknown) => Promise<unknown>, portalUrl: string) => Promise<{ challengeId: string; cms: string }>;

export type Me = z.infer<typeof MeSchema>;

export interface OpenAccount {
  userId: string;
  db: LocalDb;
  local: LocalSync;
  engine: SyncEngine;
  divergence: Divergence;
  files: FileStore;
  me: Me;
  session: { token: string; expiresAt: string } | null;
  sessionExpired: boolean;
  lock: AccountLock;
  vault: TokenVault;
}

export interface AccountManagerOptions {
  dataDir: string;
  portalUrl: string;
  logger: Logger;
  codec?: SecretCodec;
  onStatus: (s: SyncStatus) => void;
  periodicPullMs?: number;
  failedRetrySpacingMs?: number;
  now?: () => Date;
  /** The portal's time (learned at each sync): session expiry, optimistic timestamps. */
  clock?: PortalClock;
}

/**
 * Signs users in against the portal, and keeps one account open: its own
 * SQLite cache (locked to this process), its token vault and its sync
 * engine. An account that signed in before opens offline.
 */
export class AccountManager {
  current: OpenAccount | null = null;

  constructor(private readonly o: AccountManagerOptions) {}

  /** The portal's time as last learned (the PC's until the first sync). */
  now(): Date {
    return this.o.now?.() ?? this.o.clock?.now() ?? new Date();
  }

  /**
   * This device's id in pushes (the portal tells one user's devices apart by it): the client-id
   * file, or if that is damaged the copy in the account's cache, or a new one; the file and the
   * cache are brought in line.
   */
  private async deviceId(db: LocalDb): Promise<string> {
    const fromFile = await readClientIdFile(this.o.dataDir);
    const id = fromFile ?? storedClientId(db) ?? uuidv7();
    if (id !== fromFile) await writeClientIdFile(this.o.dataDir, id);
    return id;
  }

  private accountDir(userId: string) {
    return accountDir(this.o.dataDir, userId);
  }

  /**
   * Opens the last signed-in account from disk, with no network. A damaged last-account.json or
   * me.json is rebuilt from the account folders and the cache (side-files.ts).
   */
  async restoreLast(): Promise<void> {
    try {
      const last = await lastAccount(this.o.dataDir);
      if (!last) return;
      const vault = new TokenVault(join(this.accountDir(last.userId), 'session.json'), this.o.codec);
      await this.open(last.userId, await readMeFile(this.o.dataDir, last.userId), await vault.load(), vault);
      if (last.recovered) await writeLastAccount(this.o.dataDir, last.userId, this.o.portalUrl);
    } catch (err) {
      if (err instanceof AppError) throw err;
      // No previous account (or unreadable): the user signs in.
    }
  }

  async signIn(login: string, password: string): Promise<void> {
    const client = new PortalClient({ baseUrl: this.o.portalUrl });
    const session = SessionSchema.parse(await client.request('POST', '/api/auth/sign-in', { login, password }, { auth: false }));
    await this.openSession(session);
  }

  /**
   * EDS sign-in (issue 8): `prove` fetches the portal's challenge and signs it with an
   * AUTH key (NCALayer or a .p12); the account then opens exactly as after a password sign-in.
   */
  async signInWithEds(prove: EdsProver): Promise<void> {
    const client = new PortalClient({ baseUrl: this.o.portalUrl });
    const post = (path: string, body: unknown) => client.request('POST', path, body, { auth: false });
    const proof = await prove(post, this.o.portalUrl);
    await this.openSession(SessionSchema.parse(await post('/api/auth/eds/sign-in', proof)));
  }

  /** Signed in: links the AUTH certificate that signs a fresh challenge to this account. */
  async linkEds(prove: EdsProver): Promise<unknown> {
    const acc = this.require();
    if (!acc.session || acc.sessionExpired) throw new AppError('session_expired', 'Sign in again first');
    const client = new PortalClient({ baseUrl: this.o.portalUrl, token: () => acc.session?.token ?? null });
    const proof = await prove((path, body) => client.request('POST', path, body, { auth: false }), this.o.portalUrl);
    return client.request('POST', '/api/me/eds/link', proof);
  }

  /** Signed in: the certificates linked to this account, as the portal lists them. */
  async listEdsLinks(): Promise<unknown> {
    const acc = this.require();
    if (!acc.session || acc.sessionExpired) throw new AppError('session_expired', 'Sign in again first');
    const client = new PortalClient({ baseUrl: this.o.portalUrl, token: () => acc.session?.token ?? null });
    return client.request('GET', '/api/me/eds');
  }

  /**
   * First EDS sign-in: password sign-in at the portal, then link the certificate with that
   * session, and only then open the account. If linking fails the temporary session is ended
   * and the error surfaces, so the sign-in screen can explain it (nothing is half done).
   */
  async signInAndLinkEds(login: string, password: string, prove: EdsProver): Promise<unknown> {
    const anon = new PortalClient({ baseUrl: this.o.portalUrl });
    const session = SessionSchema.parse(await anon.request('POST', '/api/auth/sign-in', { login, password }, { auth: false }));
    const client = new PortalClient({ baseUrl: this.o.portalUrl, token: () => session.token });
    let link: unknown;
    try {
      const proof = await prove((path, body) => client.request('POST', path, body, { auth: false }), this.o.portalUrl);
      link = await client.request('POST', '/api/me/eds/link', proof);
    } catch (err) {
      await client.request('POST', '/api/auth/sign-out', {}, { timeoutMs: 3000 }).catch(() => undefined);
      throw err;
    }
    await this.openSession(session);
    return link;
  }

  private async openSession(session: z.infer<typeof SessionSchema>): Promise<void> {
    const dir = this.accountDir(session.user.id);
    const vault = new TokenVault(join(dir, 'session.json'), this.o.codec);
    await vault.save({ token: session.token, expiresAt: session.expiresAt });
    if (this.current?.userId === session.user.id) {
      // Same account signing in again (e.g. after the session expired): keep the cache and its outbox.
      this.current.session = { token: session.token, expiresAt: session.expiresAt };
      this.current.sessionExpired = false;
      await this.saveMe(session.user);
      this.current.engine.stop();
      this.current.engine.start();
      return;
    }
    await this.close();
    await this.open(session.user.id, session.user, { token: session.token, expiresAt: session.expiresAt }, vault);
    await this.saveMe(session.user);
    await writeLastAccount(this.o.dataDir, session.user.id, this.o.portalUrl);
  }

  /**
   * Ends the portal session and closes the account. Its cache and outbox stay
   * on disk: the next sign-in of the same person sends what is still unsent.
   */
  async signOut(): Promise<void> {
    const acc = this.current;
    if (!acc) return;
    if (acc.session) {
      const client = new PortalClient({ baseUrl: this.o.portalUrl, token: () => acc.session?.token ?? null });
      await client.request('POST', '/api/auth/sign-out', {}, { timeoutMs: 3000 }).catch(() => undefined);
    }
    await acc.vault.clear();
    await this.close();
    await rm(join(this.o.dataDir, 'last-account.json'), { force: true });
    this.o.onStatus({ state: 'signed_out', pending: 0, rejected: 0, lastSyncAt: null, progress: null });
  }

  /** True while the stored session exists and has not expired by this computer's clock. */
  hasLiveSession(): boolean {
    const acc = this.current;
    if (!acc?.session || acc.sessionExpired) return false;
    if (new Date(acc.session.expiresAt).getTime() <= this.now().getTime()) {
      acc.sessionExpired = true;
      return false;
    }
    return true;
  }

  private async saveMe(me: Me) {
    const acc = this.current;
    if (!acc) return;
    acc.me = me;
    // The cache's copy first: if the file write is cut short, the next start still finds the profile.
    writeKeys(acc.db, { [ME_KEY]: JSON.stringify(me) });
    await writeMeFile(this.o.dataDir, me);
  }

  actor(): ActorView {
    const me = this.current?.me;
    return {
      userId: me?.id ?? '',
      memberships: (me?.memberships ?? []).map((m) => ({ organizationId: m.organizationId, roles: m.roles })),
    };
  }

  /** `fileMe` null: me.json was missing or damaged; the profile comes from the cache, or the account stays closed. */
  private async open(userId: string, fileMe: Me | null, session: { token: string; expiresAt: string } | null, vault: TokenVault): Promise<void> {
    const dir = this.accountDir(userId);
    await mkdir(dir, { recursive: true });
    const lock = acquireAccountLock(join(dir, 'cache.lock'));
    let db: LocalDb;
    let me: Me;
    let clientId: string;
    try {
      db = openLocalDb(join(dir, 'cache.sqlite'));
      try {
        const known = fileMe ?? storedMe(db, userId);
        if (!known) throw new Error('no profile of this account on disk');
        me = known;
        clientId = await this.deviceId(db);
        writeKeys(db, { [ME_KEY]: JSON.stringify(me), [CLIENT_ID_KEY]: clientId });
        if (!fileMe) await writeMeFile(this.o.dataDir, me);
      } catch (err) {
        await db.close();
        throw err;
      }
    } catch (err) {
      lock.release();
      throw err;
    }
    const clock = this.o.clock;
    const local = new LocalSync(db, clock ? () => clock.nowIso() : undefined);
    const divergence = new Divergence(db, local);
    const files = new FileStore(join(dir, 'files'), db);
    const tokenNow = () => {
      const acc = this.current;
      if (!acc?.session) return null;
      if (new Date(acc.session.expiresAt).getTime() <= this.now().getTime()) {
        acc.sessionExpired = true;
        return null;
      }
      return acc.session.token;
    };
    const client = new PortalClient({ baseUrl: this.o.portalUrl, token: tokenNow });
    const engine = new SyncEngine({
      client,
      local,
      files,
      clientId,
      actor: () => this.actor(),
      token: tokenNow,
      refreshActor: async (signal) => {
        const fresh = MeSchema.parse(await client.request('GET', '/api/me', undefined, { signal }));
        await this.saveMe(fresh);
      },
      onStatus: (s) => this.o.onStatus(this.current?.sessionExpired && s.state === 'signed_out' ? { ...s, state: 'session_expired' } : s),
      onSessionExpired: () => {
        if (this.current) this.current.sessionExpired = true;
      },
      periodicPullMs: this.o.periodicPullMs,
      failedRetrySpacingMs: this.o.failedRetrySpacingMs,
      divergence,
      log: (m, f) => this.o.logger.warn(m, f),
      clock,
    });
    this.current = { userId: me.id, db, local, engine, divergence, files, me, session, sessionExpired: session === null, lock, vault };
    engine.start();
  }

  async close(): Promise<void> {
    const acc = this.current;
    if (!acc) return;
    this.current = null;
    await acc.engine.stopAndWait();
    await acc.db.close();
    acc.lock.release();
  }

  /** The open account, or a clear error for the UI. */
  require(): OpenAccount {
    if (!this.current) throw new AppError('unauthorized', 'Sign in first');
    return this.current;
  }
}
