/**
 * Key sessions over time (an injected clock) and the real NCA RK test key files at a date when
 * they were valid: idle expiry after 5 minutes, a batch keeps its session alive, the GOST key file
 * is sent to NCALayer, the RSA test key opens and signs a PDF that pdfsig accepts.
 */
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeySessions } from '../../src-main/documents/key-sessions';
import { signHandlers } from '../../src-main/documents/sign-handlers';
import type { DocumentsProgress } from '../../src-shared/documents/rpc';
import { verifyPdf } from '../../src-shared/signing/verify-pdf';
import { makePdf } from '../signing/helpers/tools';
import { run } from '../signing/helpers/tools';
import { startSignEnv, type SignEnv } from './sign-helpers';

const NCA = join(__dirname, '../fixtures/nca/nca-test');
const codeOf = (p: unknown) => Promise.resolve(p).then(() => 'ok', (e: { code?: string }) => e.code ?? String(e));

describe('KeySessions', () => {
  it('expires after the idle time, not while a call uses it, and only for the account that opened it', async () => {
    let now = Date.parse('2026-03-01T10:00:00Z');
    const s = new KeySessions<string>({ ttlMs: 5 * 60_000, now: () => new Date(now) });
    const owner = {};
    const id = s.open('key', owner);
    now += 4 * 60_000;
    expect(await s.use(id, owner, async (k) => k)).toBe('key');
    now += 4 * 60_000; // 4 minutes after the last use: still open
    await s.use(id, owner, async (k) => {
      now += 10 * 60_000; // a long batch (NCALayer dialogs) does not end it midway
      s.sweep(owner);
      expect(k).toBe('key');
    });
    expect(s.size).toBe(1);
    now += 5 * 60_000;
    expect(await codeOf(s.use(id, owner, async (k) => k))).toBe('key_session_expired');
    const id2 = s.open('key2', owner);
    expect(await codeOf(s.use(id2, {}, async (k) => k))).toBe('key_session_expired');
    expect(s.size).toBe(0);
  });
});

describe('signing sessions on the clock, with the real NCA RK test keys', () => {
  let env: SignEnv;
  let dir: string;
  let now = new Date('2019-03-01T09:00:00Z');
  const events: DocumentsProgress[] = [];
  let h: ReturnType<typeof signHandlers<object>>;

  beforeAll(async () => {
    env = await startSignEnv();
    dir = mkdtempSync(join(tmpdir(), 'seriktes-sign-sessions-'));
    h = signHandlers<object>({
      accounts: env.backend.accounts,
      files: env.backend.files,
      portalUrl: 'http://127.0.0.1:1',
      language: () => 'ru',
      progress: (p) => events.push(p),
      signing: { now: () => now },
    });
  });
  afterAll(async () => {
    h.close();
    await env.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = async (file: string) => {
    const handle = await env.uploadKey(new Uint8Array(readFileSync(join(NCA, file))), file);
    return h['documents.openKey']({ key: { source: 'file', handle, password: 'Qwerty12' } }, {});
  };

  it('a GOST key file is sent to NCALayer (key_gost_container); the RSA test key opens and signs', async () => {
    expect(await codeOf(open('GOSTKNCA_f8a422238209b6e753116431b69b09178f14e9d7.p12'))).toBe('key_gost_container');
    expect(await codeOf(open('AUTH_RSA256_6b361b864c679601b652fe387f61fcd9303c0327.p12'))).toBe('cert_auth_key_for_signing');
    const { keySession, certificate } = await open('RSA256_8426360556902ce4ac33977836f873e1dc190976.p12');
    // Its issuer («ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA)», 2018) is not among the shared test CAs (ҰКО 3.0 … TEST),
    // so it cannot be proven TEST; sign-local.test.ts checks `test: true` with a root that is configured.
    expect(certificate).toMatchObject({ owner: 'ТЕСТОВ ТЕСТ ТЕСТОВИЧ', iin: '123456789011', test: false, purpose: 'SIGN', algorithm: 'RSA' });
    const doc = await env.stage(await makePdf({ text: 'Signed in 2019 with the NCA test key' }), 'nca-2019.pdf');
    const { results } = await h['documents.sign']({ operationId: randomUUID(), keySession, files: [{ sha256: doc.sha256, name: doc.name }], timestamp: false }, {});
    expect(results[0]!.error).toBeUndefined();
    const bytes = env.read(results[0]!.ref!.sha256);
    const rep = await verifyPdf(new Uint8Array(bytes), { anchors: [], now });
    expect(rep.signatures[0]!.integrity).toBe('ok');
    const file = join(dir, 'nca-2019.pdf');
    writeFileSync(file, bytes);
    const out = run('pdfsig', [file]);
    expect(out.stdout).toContain('Signature Validation: Signature is Valid.');
    expect(out.stdout).toContain('ТЕСТОВ ТЕСТ');

    // 5 minutes idle on the clock: the session is gone.
    now = new Date(now.getTime() + 5 * 60_000 + 1);
    expect(await codeOf(h['documents.sign']({ operationId: randomUUID(), keySession, files: [{ sha256: doc.sha256, name: doc.name }], timestamp: false }, {}))).toBe('key_session_expired');
    expect(events.at(-1)).toMatchObject({ done: 1, total: 1, current: null });
  });
});
