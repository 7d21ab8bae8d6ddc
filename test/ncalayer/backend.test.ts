/**
 * The back end's EDS RPC methods end to end (createBackend + a real portal +
 * the NCALayer simulator found through SERIKTES_NCALAYER_URL / _CA):
 * status, first use (password + link), NCALayer sign-in, key file sign-in.
 * A key file uploaded to the browser host is deleted after use, and neither
 * the key password nor the key bytes are left in the data folder.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../src-main/backend/backend';
import { createTestPki, KZ_EKU } from '../signing/helpers/test-pki';
import { call, signIn, startTestPortal } from '../portal/helpers';
import { startNcaLayerSimulator, type RunningSimulator } from './simulator';

const pki = createTestPki();
let portal: Awaited<ReturnType<typeof startTestPortal>>;
let sim: RunningSimulator;
let backend: Backend;
let dataDir: string;
let p12: Uint8Array;
const KEY_PASSWORD = 'Kilt-Qwerty-12345';

const silent = { info: () => {}, warn: () => {}, error: () => {} };

beforeAll(async () => {
  portal = await startTestPortal({ eds: { anchors: [{ der: pki.root.der, kind: 'test' }] } });
  const token = await signIn(portal.url, 'secretary');
  const iin = (await call(portal.url, 'GET', '/api/me', { token })).json.iin as string;
  const auth = pki.issue({ subject: { commonName: 'ИВАНОВА МАРИЯ', iin }, kind: 'auth', roles: [KZ_EKU.individual] });
  p12 = pki.p12(auth, KEY_PASSWORD);
  sim = await startNcaLayerSimulator({ keys: [{ storage: 'PKCS12', certDer: auth.der, keyPem: auth.keyPem, chainDer: [pki.root.der] }] });
  process.env.SERIKTES_NCALAYER_URL = sim.url;
  process.env.SERIKTES_NCALAYER_CA = pki.write('nca-ca.pem', sim.caPem);
  dataDir = mkdtempSync(join(tmpdir(), 'seriktes-eds-backend-'));
  backend = await createBackend({ dataDir, hostKind: 'browser', portalUrl: portal.url, version: 'test', logger: silent as never, periodicPullMs: 0 });
});
afterAll(async () => {
  await settle();
  await backend.close();
  await sim.close();
  await portal.cleanup();
  pki.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
  delete process.env.SERIKTES_NCALAYER_URL;
  delete process.env.SERIKTES_NCALAYER_CA;
});

const rpc = async (method: string, input: unknown) => {
  const env = await backend.call(method, input);
  if (!env.ok) throw Object.assign(new Error(env.error.message), env.error);
  return env.value as Record<string, unknown>;
};
const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code ?? String(e));

/** Like the browser host: the upload is our own copy, named *.upload. */
async function uploadKey(): Promise<string> {
  const dir = join(dataDir, 'uploads');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${Math.random().toString(16).slice(2)}.upload`);
  writeFileSync(path, p12);
  return (await backend.files.register(path, 'AUTH_RSA256_test.p12')).handle;
}

/**
 * Lets the sync cycle that sign-in started finish before signing out: signing out in the
 * middle of a cycle currently makes the engine touch the closed cache (reported to the lead).
 */
async function settle() {
  let calm = 0;
  for (let i = 0; i < 100 && calm < 3; i++) {
    calm = (await rpc('sync.status', {})).state === 'online' ? calm + 1 : 0;
    await new Promise((r) => setTimeout(r, 100));
  }
}
async function settledSignOut() {
  await settle();
  await rpc('auth.signOut', {});
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('EDS through the back end RPC', () => {
  it('ncalayer.status finds the simulator', async () => {
    expect(await rpc('ncalayer.status', {})).toEqual({ running: true, product: 'NCALayer', version: '1.4', error: null });
  });

  it('not linked → password + link opens the account; then NCALayer and the key file sign in', async () => {
    expect(await codeOf(rpc('auth.edsSignIn', { source: 'ncalayer' }))).toBe('eds_not_linked');
    expect((await rpc('auth.status', {})).signedIn).toBe(false);
    // A wrong password for the first use: nothing is linked, nobody is signed in.
    expect(await codeOf(rpc('auth.signInAndLinkEds', { login: 'secretary@demo.seriktes.kz', password: 'wrong-password', key: { source: 'ncalayer' } }))).toBe('invalid_credentials');
    const first = await rpc('auth.signInAndLinkEds', { login: 'secretary@demo.seriktes.kz', password: 'Seriktes-demo-2026', key: { source: 'ncalayer', storage: 'file' } });
    expect((first.status as { signedIn: boolean }).signedIn).toBe(true);
    expect((first.link as { subject: string }).subject).toBe('ИВАНОВА МАРИЯ');
    const basics = sim.requests.at(-1) as { args: { allowedStorages: string[]; locale: string } };
    expect(basics.args.allowedStorages).toEqual(['PKCS12']);
    expect(basics.args.locale).toBe('kk');

    await settledSignOut();
    const viaNca = await rpc('auth.edsSignIn', { source: 'ncalayer' });
    expect((viaNca.user as { email: string }).email).toBe('secretary@demo.seriktes.kz');

    await settledSignOut();
    const wrong = await uploadKey();
    expect(await codeOf(rpc('auth.edsSignIn', { source: 'file', handle: wrong, password: 'not-the-password' }))).toBe('key_wrong_password');
    const handle = await uploadKey();
    const viaFile = await rpc('auth.edsSignIn', { source: 'file', handle, password: KEY_PASSWORD });
    expect(viaFile.signedIn).toBe(true);
    // The handle is spent and the uploaded copy is gone.
    expect(await codeOf(rpc('files.info', { handle }))).toBe('not_found');
    expect(existsSync(join(dataDir, 'uploads')) ? readdirSync(join(dataDir, 'uploads')) : []).toEqual([]);
    // Nothing in the data folder holds the key password or the key file.
    const keyHead = Buffer.from(p12.subarray(0, 64));
    for (const f of filesUnder(dataDir)) {
      const b = readFileSync(f);
      expect(b.includes(Buffer.from(KEY_PASSWORD)), f).toBe(false);
      expect(b.includes(keyHead), f).toBe(false);
    }
  });
});
