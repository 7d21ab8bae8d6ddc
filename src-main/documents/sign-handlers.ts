/**
 * documents.openKey / documents.sign / documents.closeKey (issue 9 §1).
 *
 * The UI: openKey (a key file + password, or NCALayer) → show the returned certificate → sign one
 * file or a batch (progress events per file) → closeKey. A key file is read once, decrypted in
 * memory, and the file, its bytes and the password are dropped at once; the session keeps only the
 * non-extractable key, for 5 minutes without use, for the account that opened it.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Handlers } from '../../src-shared/rpc/dispatch';
import { AppError, toErrorShape } from '../../src-shared/rpc/errors';
import type { EdsKeyInput } from '../../src-shared/ncalayer/rpc';
import { DEFAULT_TSA_URL } from '../../src-shared/signing/tsp';
import type { AttachmentRef } from '../../src-shared/files/attachments';
import { httpPost } from '../signing/http';
import { NcaLayerClient } from '../ncalayer/client';
import { ncaLayerConfigFromEnv } from '../ncalayer/config';
import { STORAGE_NAMES } from '../ncalayer/handlers';
import { ncaLocaleOf } from '../ncalayer/protocol';
import type { DocumentHandlerDeps } from './deps';
import { KeySessions } from './key-sessions';
import { openLocalKey, openNcaLayerKey, summaryOf, type SessionKey } from './sign-keys';
import { signDocument, type TsaState } from './sign-document';

export type SignHandlers<Ctx> = Pick<Handlers<Ctx>, 'documents.openKey' | 'documents.sign' | 'documents.closeKey'> & { close(): void };

const MAX_KEY_FILE = 1024 * 1024;

interface SignResult {
  sha256: string;
  ref?: AttachmentRef;
  error?: { code: string; message: string };
  warnings?: string[];
}

export function signHandlers<Ctx>(deps: DocumentHandlerDeps): SignHandlers<Ctx> {
  const sessions = new KeySessions<SessionKey>({
    ...(deps.signing?.keySessionTtlMs ? { ttlMs: deps.signing.keySessionTtlMs } : {}),
    ...(deps.signing?.now ? { now: deps.signing.now } : {}),
  });
  const clock = deps.signing?.now ?? (() => new Date());
  let ownClient: NcaLayerClient | null = null;
  const nca = deps.ncalayer ?? (() => (ownClient ??= new NcaLayerClient(ncaLayerConfigFromEnv(process.env))));

  /** A key file is read once; a browser-host upload (our own copy) is deleted right after, like at EDS sign-in. */
  async function openFromFile(input: Extract<EdsKeyInput, { source: 'file' }>, now: Date): Promise<SessionKey> {
    const path = deps.files.pathOf(input.handle);
    try {
      if ((await stat(path)).size > MAX_KEY_FILE) throw new AppError('key_corrupt', 'This is not a key file');
      const file = new Uint8Array(await readFile(path));
      try {
        return await openLocalKey(file, input.password, now);
      } finally {
        file.fill(0);
      }
    } finally {
      deps.files.release(input.handle);
      if (path.endsWith('.upload')) await rm(path, { force: true });
    }
  }

  return {
    'documents.openKey': async ({ key }) => {
      const acc = deps.accounts.require();
      sessions.sweep(acc);
      const now = clock();
      const opened =
        key.source === 'file'
          ? await openFromFile(key, now)
          : await openNcaLayerKey(nca, key.storage === 'any' ? null : STORAGE_NAMES[key.storage], ncaLocaleOf(deps.language()), now);
      const certificate = await summaryOf(opened, now);
      // The account may have changed while NCALayer's dialog was open.
      if (deps.accounts.current !== acc) throw new AppError('unauthorized', 'Signed out while the key was being opened');
      return { keySession: sessions.open(opened, acc), certificate };
    },

    'documents.sign': async ({ operationId, keySession, files, timestamp }) => {
      const acc = deps.accounts.require();
      return sessions.use(keySession, acc, async (key) => {
        const tsa: TsaState = { url: timestamp ? process.env.SERIKTES_TSA_URL || DEFAULT_TSA_URL : null, post: httpPost, failed: false };
        const total = files.length;
        const results: SignResult[] = [];
        const dir = await mkdtemp(join(tmpdir(), 'seriktes-sign-'));
        try {
          for (const [i, f] of files.entries()) {
            deps.progress({ operationId, done: i, total, current: f.name });
            sessions.touch(keySession);
            try {
              if (deps.accounts.current !== acc) throw new AppError('unauthorized', 'Signed out during signing');
              const path = acc.files.existingPath(f.sha256);
              if (!path) throw new AppError('not_found', 'No such file in this account');
              const signed = await signDocument(key, path, f.name, tsa, clock());
              const tmp = join(dir, `${i}.out`);
              await writeFile(tmp, signed.bytes);
              const ref = await acc.files.stage(tmp, signed.name);
              await rm(tmp, { force: true });
              results.push({ sha256: f.sha256, ref, ...(signed.warnings.length ? { warnings: signed.warnings } : {}) });
            } catch (e) {
              const { code, message } = toErrorShape(e);
              results.push({ sha256: f.sha256, error: { code, message } });
            }
          }
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
        deps.progress({ operationId, done: total, total, current: null });
        if (deps.accounts.current === acc && results.some((r) => r.ref)) acc.engine.poke();
        return { results };
      });
    },

    'documents.closeKey': ({ keySession }) => ({ closed: sessions.close(keySession) }),

    close: () => {
      sessions.closeAll();
      ownClient?.close();
    },
  };
}
