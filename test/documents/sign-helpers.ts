/**
 * A real back end (createBackend) signed in to a real test portal, for the document signing tests:
 * files are put into the account store through `files.stage` like the UI does, key files are
 * "uploaded" like the browser host does (*.upload copies), and progress events are collected.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackend, type Backend } from '../../src-main/backend/backend';
import { DEMO_PASSWORD, startTestPortal } from '../portal/helpers';

export interface SignEnv {
  backend: Backend;
  dataDir: string;
  events: { event: string; payload: unknown }[];
  rpc(method: string, input: unknown): Promise<Record<string, unknown>>;
  codeOf(p: Promise<unknown>): Promise<string>;
  /** Puts bytes into the signed-in account's store; returns the staged ref. */
  stage(bytes: Uint8Array, name: string): Promise<{ sha256: string; name: string; size: number; contentType: string }>;
  /** Bytes of a file of the account store. */
  read(sha256: string): Buffer;
  uploadKey(p12: Uint8Array, name: string): Promise<string>;
  settle(): Promise<void>;
  close(): Promise<void>;
}

const silent = { info: () => {}, warn: () => {}, error: () => {} };

export async function startSignEnv(login = 'supplier@demo.seriktes.kz'): Promise<SignEnv> {
  const portal = await startTestPortal();
  const dataDir = mkdtempSync(join(tmpdir(), 'seriktes-docsign-'));
  const backend = await createBackend({ dataDir, hostKind: 'browser', portalUrl: portal.url, version: 'test', logger: silent as never, periodicPullMs: 0 });
  const events: { event: string; payload: unknown }[] = [];
  backend.onEvent((event, payload) => events.push({ event, payload }));
  const rpc = async (method: string, input: unknown) => {
    const env = await backend.call(method, input);
    if (!env.ok) throw Object.assign(new Error(env.error.message), env.error);
    return env.value as Record<string, unknown>;
  };
  await rpc('auth.signIn', { login, password: DEMO_PASSWORD });
  const incoming = join(dataDir, 'incoming');
  mkdirSync(incoming, { recursive: true });
  let n = 0;
  const settle = async () => {
    let calm = 0;
    for (let i = 0; i < 100 && calm < 3; i++) {
      const s = (await rpc('sync.status', {})).state;
      calm = s === 'online' || s === 'signed_out' ? calm + 1 : 0;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return {
    backend,
    dataDir,
    events,
    rpc,
    codeOf: (p) => p.then(() => 'ok', (e: { code?: string }) => e.code ?? String(e)),
    async stage(bytes, name) {
      const path = join(incoming, `f${++n}`);
      writeFileSync(path, bytes);
      const { handle } = await backend.files.register(path, name);
      return (await rpc('files.stage', { handle })) as never;
    },
    read(sha256) {
      const p = backend.filePath(sha256);
      if (!p) throw new Error(`no file ${sha256}`);
      return readFileSync(p);
    },
    async uploadKey(p12, name) {
      const dir = join(dataDir, 'uploads');
      mkdirSync(dir, { recursive: true });
      const path = join(dir, `${Math.random().toString(16).slice(2)}.upload`);
      writeFileSync(path, p12);
      return (await backend.files.register(path, name)).handle;
    },
    settle,
    async close() {
      await settle();
      await backend.close();
      await portal.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
