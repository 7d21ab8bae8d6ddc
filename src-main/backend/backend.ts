import { EventEmitter } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { dispatch, type Handlers } from '../../src-shared/rpc/dispatch';
import { AppError } from '../../src-shared/rpc/errors';
import type { Envelope } from '../../src-shared/rpc/define';
import type { EventName, EventPayload } from '../../src-shared/rpc/contract';
import type { SyncStatus } from '../../src-shared/rpc/app-methods';
import { FileHandleRegistry } from '../files/handle-registry';
import { SettingsStore } from './settings-store';
import { createLogger, type Logger } from './logger';
import { AccountManager } from '../accounts/accounts';
import { accountHandlers } from '../accounts/handlers';
import { akiHandlers } from '../aki/handlers';
import { competitionHandlers } from '../competition/handlers';
import { ncalayerHandlers } from '../ncalayer/handlers';
import { NcaLayerClient } from '../ncalayer/client';
import { ncaLayerConfigFromEnv } from '../ncalayer/config';
import { documentHandlers } from '../documents/handlers';
import { filesFetchHandler } from '../files/fetch';
import { notificationHandlers, takeNewNotifications } from '../notifications/handlers';
import type { SecretCodec } from '../accounts/token-vault';
import { PortalClock } from '../../src-shared/time/portal-clock';

export type HostKind = 'electron' | 'browser';

export interface BackendOptions {
  dataDir: string;
  hostKind: HostKind;
  portalUrl: string;
  version: string;
  logger?: Logger;
  /** Encrypts the portal token at rest (Electron: OS keychain through main). */
  secretCodec?: SecretCodec;
  /** Background pull interval in ms; 0 = only on demand and on live notifications. */
  periodicPullMs?: number;
  /** Minimum time between two attempts of a mutation the portal failed to apply (default FAILED_RETRY_SPACING_MS). */
  failedRetrySpacingMs?: number;
}

export interface CallContext {
  hostKind: HostKind;
}

export interface Backend {
  /** Validates and runs one RPC call; always resolves with an envelope. */
  call(method: unknown, input: unknown): Promise<Envelope<unknown>>;
  /** Events for every open window. */
  onEvent(listener: (event: EventName, payload: unknown) => void): () => void;
  readonly files: FileHandleRegistry;
  readonly accounts: AccountManager;
  /** The path of a file of the open account's store, for the hosts' file URLs; null when it has none. */
  filePath(sha256: string): string | null;
  close(): Promise<void>;
}

/**
 * The app back end: the one handler table both hosts serve. It owns the
 * local data folder; the Electron shell runs it in a utility process and the
 * browser host in its own Node process, so neither blocks a window.
 */
export async function createBackend(options: BackendOptions): Promise<Backend> {
  await mkdir(options.dataDir, { recursive: true });
  const log = options.logger ?? createLogger(options.dataDir);
  const settings = new SettingsStore(options.dataDir);
  await settings.load();
  const files = new FileHandleRegistry();
  const events = new EventEmitter();

  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => events.emit('event', event, payload);

  const signedOut: SyncStatus = { state: 'signed_out', pending: 0, rejected: 0, lastSyncAt: null, progress: null };
  // The portal's time for the whole back end: each sync (and the signed-out view) tells its offset.
  const clock = new PortalClock();
  let accountsRef: AccountManager | null = null;
  const accounts = new AccountManager({
    dataDir: options.dataDir,
    portalUrl: options.portalUrl,
    logger: log,
    codec: options.secretCodec,
    periodicPullMs: options.periodicPullMs,
    failedRetrySpacingMs: options.failedRetrySpacingMs,
    clock,
    onStatus: (status) => {
      emit('sync.status', status);
      // After a sync step: announce notifications that just arrived (desktop notifications in the renderer).
      const acc = accountsRef?.current;
      if (acc && status.state !== 'syncing') for (const n of takeNewNotifications(acc, settings.get().language, status.lastSyncAt !== null)) emit('notification', n);
    },
  });
  accountsRef = accounts;
  try {
    await accounts.restoreLast();
  } catch (err) {
    log.warn('could not reopen the last account', { error: String(err) });
  }
  const syncStatus = (): SyncStatus => accounts.current?.engine.current() ?? { ...signedOut, portalOffsetMs: clock.offsetMs };

  // One NCALayer client for EDS sign-in and document signing: NCALayer answers one request at a time.
  let ncaClient: NcaLayerClient | null = null;
  const sharedNca = () => (ncaClient ??= new NcaLayerClient(ncaLayerConfigFromEnv(process.env)));
  const nca = ncalayerHandlers<CallContext>({ accounts, files, language: () => settings.get().language, sharedClient: sharedNca });
  const docs = documentHandlers<CallContext>({
    accounts,
    files,
    portalUrl: options.portalUrl,
    language: () => settings.get().language,
    progress: (p) => emit('documents.progress', p),
    ncalayer: sharedNca,
  });
  const handlers: Handlers<CallContext> = {
    'app.info': (_input, ctx) => ({
      name: 'Seriktes',
      version: options.version,
      hostKind: ctx.hostKind,
      platform: process.platform,
      portalUrl: options.portalUrl,
    }),
    'settings.get': () => settings.get(),
    'settings.setLanguage': async ({ language }) => settings.update({ language }),
    'sync.status': () => syncStatus(),
    'sync.now': async () => {
      await accounts.current?.engine.syncNow();
      return syncStatus();
    },
    'sync.rejected': () => {
      const acc = accounts.current;
      if (!acc) return { items: [] };
      const files = acc.files.failed().map((f) => ({ mutationId: f.sha256, name: 'files.upload', args: { fullName: f.name }, error: f.error, at: f.at, attempts: 0, couldNotSend: false }));
      return { items: [...acc.local.rejected(), ...files] };
    },
    'sync.retry': ({ mutationId, args }) => {
      const acc = accounts.require();
      const queued = acc.local.retry(mutationId, args, accounts.actor());
      emit('sync.status', syncStatus());
      acc.engine.poke();
      return queued;
    },
    'sync.dismiss': ({ mutationId }) => {
      const acc = accounts.current;
      const dismissed = (/^[0-9a-f]{64}$/.test(mutationId) ? acc?.files.dismissFailed(mutationId) : acc?.local.dismiss(mutationId)) ?? false;
      if (dismissed) emit('sync.status', syncStatus());
      return { dismissed };
    },
    'sync.divergence': () => ({ report: accounts.current?.divergence.report() ?? null }),
    'sync.resendLost': () => {
      const acc = accounts.current;
      const resent = acc ? acc.divergence.resendLost(accounts.actor()) : 0;
      if (acc && resent > 0) acc.engine.poke();
      emit('sync.status', syncStatus());
      return { resent };
    },
    'sync.dismissDivergence': () => {
      const dismissed = accounts.current?.divergence.dismiss() ?? false;
      if (dismissed) emit('sync.status', syncStatus());
      return { dismissed };
    },
    ...accountHandlers<CallContext>(accounts),
    ...notificationHandlers<CallContext>(accounts),
    ...akiHandlers<CallContext>(accounts),
    ...competitionHandlers<CallContext>(accounts, options.portalUrl, clock),
    'ncalayer.status': nca['ncalayer.status'],
    'auth.edsSignIn': nca['auth.edsSignIn'],
    'auth.edsLink': nca['auth.edsLink'],
    'auth.edsLinks': nca['auth.edsLinks'],
    'auth.signInAndLinkEds': nca['auth.signInAndLinkEds'],
    ...docs.handlers,
    'files.openDialog': () => {
      // Served by the Electron shell, which owns native dialogs; the browser host uploads instead.
      throw new AppError('not_supported', 'Native dialogs exist only in the desktop app');
    },
    'files.info': ({ handle }) => files.info(handle),
    'files.release': ({ handle }) => ({ released: files.release(handle) }),
    'files.fetch': filesFetchHandler(accounts, options.portalUrl),
    'files.contentUrl': ({ sha256 }, ctx) => {
      const acc = accounts.require();
      if (!acc.files.existingPath(sha256)) throw new AppError('not_found', 'No such file');
      return { url: ctx.hostKind === 'electron' ? `app://seriktes/files/${sha256}` : `/files/${sha256}` };
    },
    'files.stage': async ({ handle }) => {
      const acc = accounts.require();
      const info = files.info(handle);
      const ref = await acc.files.stage(files.pathOf(handle), info.name);
      emit('sync.status', acc.engine.current());
      acc.engine.poke();
      return ref;
    },
  };

  const ctx: CallContext = { hostKind: options.hostKind };

  return {
    call: (method, input) =>
      dispatch(handlers, method, input, ctx, (name, err) => log.error('rpc handler failed', { method: name, error: String(err) })),
    onEvent(listener) {
      const fn = (event: EventName, payload: unknown) => listener(event, payload);
      events.on('event', fn);
      return () => events.off('event', fn);
    },
    files,
    accounts,
    filePath: (sha256) => accounts.current?.files.existingPath(sha256) ?? null,
    async close() {
      nca.close();
      docs.close();
      ncaClient?.close();
      await accounts.close();
      events.removeAllListeners();
    },
  };
}
