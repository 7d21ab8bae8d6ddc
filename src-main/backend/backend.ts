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

export type HostKind = 'electron' | 'browser';

export interface BackendOptions {
  dataDir: string;
  hostKind: HostKind;
  portalUrl: string;
  version: string;
  logger?: Logger;
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

  const syncStatus: SyncStatus = { state: 'signed_out', pending: 0, rejected: 0, lastSyncAt: null, progress: null };

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
    'sync.status': () => syncStatus,
    'files.openDialog': () => {
      // Served by the Electron shell, which owns native dialogs; the browser host uploads instead.
      throw new AppError('not_supported', 'Native dialogs exist only in the desktop app');
    },
    'files.info': ({ handle }) => files.info(handle),
    'files.release': ({ handle }) => ({ released: files.release(handle) }),
  };

  const ctx: CallContext = { hostKind: options.hostKind };
  void emit;

  return {
    call: (method, input) =>
      dispatch(handlers, method, input, ctx, (name, err) => log.error('rpc handler failed', { method: name, error: String(err) })),
    onEvent(listener) {
      const fn = (event: EventName, payload: unknown) => listener(event, payload);
      events.on('event', fn);
      return () => events.off('event', fn);
    },
    files,
    async close() {
      events.removeAllListeners();
    },
  };
}
