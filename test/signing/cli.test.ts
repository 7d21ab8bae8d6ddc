/**
 * The CLI as a child process (the bundled dist/main/cli.cjs), exit codes, kk/ru/en output, and the
 * secrets rule: after signing runs, neither the password nor the private key
 * bytes appear in stdout/stderr, in the CLI's temp dir/home, or in any output.
 */
import { execFile } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startRevocationServer, startTsa, type LocalServer } from './helpers/services';
import { createTestPki, KZ_EKU, SUBJECTS, type TestPki } from './helpers/test-pki';
import { makeNssDb, makePdf, pdfsigAsync } from './helpers/tools';

const ROOT = resolve(__dirname, '../..');
// The bundled command line (scripts/build.mjs; the vitest global setup keeps it fresh), as users run it.
const CLI = join(ROOT, 'dist', 'main', 'cli.cjs');
const PASSWORD = 'Құпия-Пароль-7f3a9c';

let pki: TestPki;
let tsa: LocalServer;
let rev: Awaited<ReturnType<typeof startRevocationServer>>;
let p12Path: string;
let sandbox: string;
const transcripts: string[] = [];

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Async spawn: the TSA/OCSP servers live in this process. */
function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> {
  const env = { ...process.env, TMPDIR: join(sandbox, 'tmp'), HOME: join(sandbox, 'home'), ...extraEnv };
  return new Promise((res) => {
    execFile(process.execPath, [CLI, ...args], { env, cwd: sandbox, timeout: 60_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const r = { code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) };
      transcripts.push(r.stdout, r.stderr);
      res(r);
    });
  });
}

beforeAll(async () => {
  pki = createTestPki();
  tsa = await startTsa(pki);
  rev = await startRevocationServer(pki);
  sandbox = join(pki.dir, 'sandbox');
  for (const d of ['tmp', 'home', 'out']) mkdirSync(join(sandbox, d), { recursive: true });
  const cert = pki.issue({ subject: SUBJECTS.head, kind: 'sign', roles: [KZ_EKU.legalEntity, KZ_EKU.firstHead], ocspUrl: rev.ocspUrl });
  rev.issued.push(cert.serialHex);
  p12Path = pki.write('signer.p12', pki.p12(cert, PASSWORD));
  pki.write('doc.pdf', await makePdf({ text: 'Competition notice' }));
  pki.write('doc.txt', 'Protocol of negotiations\n'.repeat(100));
});
afterAll(async () => {
  await tsa?.close();
  await rev?.close();
  pki?.cleanup();
});

// Each CLI call is a child process.
vi.setConfig({ testTimeout: 180_000 });

describe('CLI sign / verify / inspect', () => {
  it('signs a PDF (PAdES, B-T) and a file (CMS); pdfsig accepts; verify exits 0 only when valid', async () => {
    const pdfOut = join(sandbox, 'out', 'signed.pdf');
    const s1 = await cli(['sign', '--key', p12Path, '--password-env', 'KEY_PW', '--pades', '--in', join(pki.dir, 'doc.pdf'), '--out', pdfOut, '--tsa', tsa.url, '--reason', 'Өтінім'], { KEY_PW: PASSWORD });
    expect(s1.stderr).toBe('');
    expect(s1.code).toBe(0);
    expect(s1.stdout).toContain(SUBJECTS.head.commonName);
    const nss = makeNssDb(pki.dir, join(pki.dir, 'root.pem'));
    expect((await pdfsigAsync(pdfOut, nss)).signatures[0]).toMatchObject({ valid: true, total: true, trusted: true });

    const ok = await cli(['verify', '--in', pdfOut, '--trust', join(pki.dir, 'root.pem'), '--lang', 'ru', '--expect-bin', SUBJECTS.head.bin]);
    expect(ok.stdout).toContain('ДЕЙСТВИТЕЛЬНА');
    expect(ok.stdout).toContain(SUBJECTS.head.bin);
    expect(ok.code).toBe(0);

    const offline = await cli(['verify', '--in', pdfOut, '--trust', join(pki.dir, 'root.pem'), '--offline']);
    expect(offline.code).toBe(2);
    expect(offline.stdout).toContain('INDETERMINATE');

    const wrongBin = await cli(['verify', '--in', pdfOut, '--trust', join(pki.dir, 'root.pem'), '--expect-bin', '200760001231', '--lang', 'kk']);
    expect(wrongBin.code).toBe(1);
    expect(wrongBin.stdout).toContain('ЖАРАМСЫЗ');

    const cmsOut = join(sandbox, 'out', 'doc.txt.p7s');
    const s2 = await cli(['sign', '--key', p12Path, '--password-env', 'KEY_PW', '--cms', '--in', join(pki.dir, 'doc.txt'), '--out', cmsOut], { KEY_PW: PASSWORD });
    expect(s2.code).toBe(0);
    const v2 = await cli(['verify', '--in', cmsOut, '--content', join(pki.dir, 'doc.txt'), '--trust', join(pki.dir, 'root.pem'), '--json']);
    const report = JSON.parse(v2.stdout) as { verdict: string; signatures: { integrity: string }[] };
    expect(report.signatures[0]!.integrity).toBe('ok');
    expect(report.verdict).toBe('valid');
    expect(v2.code).toBe(0);
    const tampered = pki.write('doc-tampered.txt', 'Protocol of negotiations\n'.repeat(99) + 'Protocol of negotiationz\n');
    const v3 = await cli(['verify', '--in', cmsOut, '--content', tampered, '--trust', join(pki.dir, 'root.pem')]);
    expect(v3.code).toBe(1);
    expect(v3.stdout).toContain('digest mismatch');

    const test = await cli(['verify', '--in', pdfOut, '--trust-test-roots', '--offline']);
    expect(test.stdout).toContain('TEST');
    expect(test.code).not.toBe(0);

    const insp = await cli(['inspect', '--in', pdfOut]);
    expect(insp.code).toBe(0);
    expect(insp.stdout).toContain('Signature1');
    expect(insp.stdout).toContain(SUBJECTS.head.iin);
  });

  it('reports key errors as translated codes with distinct exit codes', async () => {
    const wrong = await cli(['sign', '--key', p12Path, '--password-env', 'KEY_PW', '--cms', '--in', join(pki.dir, 'doc.txt'), '--out', join(sandbox, 'out', 'x.p7s'), '--lang', 'ru'], { KEY_PW: 'wrong' });
    expect(wrong.code).toBe(4);
    expect(wrong.stderr).toContain('Неверный пароль ключа');
    expect(wrong.stderr).toContain('key_wrong_password');
    const usage = await cli(['sign', '--cms', '--pades']);
    expect(usage.code).toBe(3);
    const insp = await cli(['inspect', '--key', p12Path, '--password-env', 'KEY_PW', '--lang', 'kk'], { KEY_PW: PASSWORD });
    expect(insp.code).toBe(0);
    expect(insp.stdout).toContain('бірінші басшы');
  });

  it('leaves the password and the private key bytes nowhere (output, temp, home, signed files)', async () => {
    const keyDer = createPrivateKey(pki.userKeyPem).export({ type: 'pkcs8', format: 'der' });
    const jwk = createPrivateKey(pki.userKeyPem).export({ format: 'jwk' }) as { d: string; p: string };
    const needles: [string, Buffer][] = [
      ['password utf8', Buffer.from(PASSWORD, 'utf8')],
      ['password utf16be', Buffer.from(PASSWORD, 'utf16le').swap16()],
      ['password utf16le', Buffer.from(PASSWORD, 'utf16le')],
      ['pkcs8 private tail', keyDer.subarray(keyDer.length - 40, keyDer.length - 8)],
      ['d (raw)', Buffer.from(jwk.d, 'base64url').subarray(0, 32)],
      ['d (hex)', Buffer.from(Buffer.from(jwk.d, 'base64url').subarray(0, 32).toString('hex'))],
      ['d (base64)', Buffer.from(jwk.d.slice(0, 40))],
      ['p (raw)', Buffer.from(jwk.p, 'base64url').subarray(0, 32)],
      ['pem body', Buffer.from(pki.userKeyPem.split('\n')[5]!)],
    ];
    const files: string[] = [];
    const walk = (d: string) => {
      for (const n of readdirSync(d)) {
        const p = join(d, n);
        if (statSync(p).isDirectory()) walk(p);
        else files.push(p);
      }
    };
    walk(sandbox);
    expect(files.some((f) => f.endsWith('signed.pdf'))).toBe(true);
    const blobs: [string, Buffer][] = [...files.map((f) => [f, readFileSync(f)] as [string, Buffer]), ...transcripts.map((t, i) => [`transcript ${i}`, Buffer.from(t)] as [string, Buffer])];
    expect(transcripts.length).toBeGreaterThan(10);
    for (const [where, blob] of blobs) {
      for (const [what, needle] of needles) {
        expect(blob.includes(needle), `${what} found in ${where}`).toBe(false);
      }
    }
  });
});
