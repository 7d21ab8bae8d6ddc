/** Back-end handlers for NCALayer status and EDS sign-in / certificate linking. */
import { readFile, rm, stat } from 'node:fs/promises';
import { z } from 'zod';
import type { Handlers } from '../../src-shared/rpc/dispatch';
import { AppError } from '../../src-shared/rpc/errors';
import { EdsLinkSchema, type EdsLink } from '../../src-shared/ncalayer/eds-auth';
import type { EdsKeyInput, NcaLayerStatus, NcaStorage } from '../../src-shared/ncalayer/rpc';
import type { AccountManager } from '../accounts/accounts';
import { authStatus } from '../accounts/handlers';
import type { FileHandleRegistry } from '../files/handle-registry';
import { NcaLayerClient, type NcaLayerClientOptions } from './client';
import { ncaLayerConfigFromEnv } from './config';
import { edsProof, type EdsKeySource } from './eds-sign-in';
import { STORAGES, ncaLocaleOf, type StorageName } from './protocol';

const MAX_KEY_FILE = 1024 * 1024;

export const STORAGE_NAMES: Record<Exclude<NcaStorage, 'any'>, StorageName[]> = {
  file: [STORAGES.file],
  kaztoken: [STORAGES.kaztoken],
  idCard: [STORAGES.idCard],
  etoken: [STORAGES.etoken72k, STORAGES.etoken5110],
  jacarta: [STORAGES.jacarta],
  akey: [STORAGES.akey],
};

export interface NcaLayerHandlerOptions {
  accounts: AccountManager;
  files: FileHandleRegistry;
  /** The UI language: NCALayer's dialog follows it (kk, else ru). */
  language: () => string;
  client?: NcaLayerClientOptions;
  /** A client shared with other features (document signing); when given, `client` is ignored and close() leaves it open. */
  sharedClient?: () => NcaLayerClient;
}

type NcaHandlers<Ctx> = Pick<Handlers<Ctx>, 'ncalayer.status' | 'auth.edsSignIn' | 'auth.edsLink' | 'auth.edsLinks' | 'auth.signInAndLinkEds'>;

export function ncalayerHandlers<Ctx>(o: NcaLayerHandlerOptions): NcaHandlers<Ctx> & { close(): void } {
  let client: NcaLayerClient | null = null;
  const nca = o.sharedClient ?? (() => (client ??= new NcaLayerClient(o.client ?? ncaLayerConfigFromEnv(process.env))));

  /** The key source for one call; a key file is read once and, if it was an upload, deleted right after. */
  async function withSource<T>(input: EdsKeyInput, run: (s: EdsKeySource) => Promise<T>): Promise<T> {
    if (input.source === 'ncalayer') {
      const storage = input.storage ?? 'any';
      return run({ kind: 'ncalayer', client: nca(), storages: storage === 'any' ? null : STORAGE_NAMES[storage], locale: ncaLocaleOf(o.language()) });
    }
    const path = o.files.pathOf(input.handle);
    try {
      if ((await stat(path)).size > MAX_KEY_FILE) throw new AppError('key_corrupt', 'This is not a key file');
      const file = new Uint8Array(await readFile(path));
      try {
        return await run({ kind: 'pkcs12', file, password: input.password });
      } finally {
        file.fill(0);
      }
    } finally {
      o.files.release(input.handle);
      // Browser-host uploads are our own copies: a key must not stay on disk after use.
      if (path.endsWith('.upload')) await rm(path, { force: true });
    }
  }

  return {
    'ncalayer.status': async (): Promise<NcaLayerStatus> => {
      try {
        const p = await nca().product({ timeoutMs: 3000 });
        return { running: true, product: p.name, version: p.version, error: null };
      } catch (e) {
        return { running: false, product: null, version: null, error: e instanceof AppError ? e.code : 'ncalayer_error' };
      }
    },
    'auth.edsSignIn': async (input) => {
      await withSource(input, (source) => o.accounts.signInWithEds((post, url) => edsProof(post, url, source, new Date())));
      return authStatus(o.accounts);
    },
    'auth.edsLink': async (input): Promise<EdsLink> =>
      EdsLinkSchema.parse(await withSource(input, (source) => o.accounts.linkEds((post, url) => edsProof(post, url, source, new Date(), 'link')))),
    'auth.edsLinks': async () => z.object({ links: z.array(EdsLinkSchema) }).parse(await o.accounts.listEdsLinks()),
    'auth.signInAndLinkEds': async ({ login, password, key }) => {
      const link = EdsLinkSchema.parse(
        await withSource(key, (source) => o.accounts.signInAndLinkEds(login, password, (post, url) => edsProof(post, url, source, new Date(), 'link'))),
      );
      return { status: authStatus(o.accounts), link };
    },
    close: () => client?.close(),
  };
}
