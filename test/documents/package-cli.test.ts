/**
 * `check-package` as a child process (the bundled dist/main/cli.cjs) on real folders: the seed's recommended package signed by
 * the supplier (exit 0), and a package with problems (exit 1, items translated into Russian).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addDays } from '../../src-shared/aki/answers';
import { almatyDate } from '../../src-shared/documents/package-check';
import { identityFromPkcs12, signPdf, type SigningIdentity } from '../../src-main/signing/sign-file';
import { createTestPki, KZ_EKU, SUBJECTS, type TestPki } from '../signing/helpers/test-pki';
import { appendEdit, KK_TEXT, makeTextPdf } from './inspect-fixtures';

vi.setConfig({ testTimeout: 90_000 });

const ROOT = resolve(__dirname, '../..');
// The bundled command line (scripts/build.mjs; the vitest global setup keeps it fresh), as users run it.
const CLI = join(ROOT, 'dist', 'main', 'cli.cjs');
const TODAY = almatyDate(new Date().toISOString());

let dir: string;
let pki: TestPki;
let head: SigningIdentity;

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env };
  delete env.SERIKTES_TRUST_DIR;
  delete env.SERIKTES_TRUST_TEST_ROOTS;
  return new Promise((res) => {
    execFile(process.execPath, [CLI, ...args], { env, cwd: dir, timeout: 80_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      res({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

const signed = async (lines?: string[]) => (await signPdf(await makeTextPdf(lines ? { lines } : {}), { identity: head })).pdf;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'seriktes-pkgcli-'));
  pki = createTestPki();
  head = await identityFromPkcs12(pki.p12(pki.issue({ subject: SUBJECTS.head, kind: 'sign', roles: [KZ_EKU.legalEntity, KZ_EKU.firstHead] }), 'x'), 'x');
});
afterAll(() => {
  pki?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('check-package CLI', () => {
  it('a complete package signed by the supplier → exit 0; JSON lists every document', async () => {
    const good = join(dir, 'good');
    mkdirSync(good);
    writeFileSync(join(good, 'registration_certificate.pdf'), await signed());
    writeFileSync(join(good, 'charter_SRK-0000-0000-0000-0.pdf'), await signed());
    writeFileSync(join(good, 'passport.pdf'), await signed(KK_TEXT));
    writeFileSync(join(good, 'registry_extract.pdf'), await signed());
    writeFileSync(join(good, 'tax_debt_certificate.pdf'), await signed());
    writeFileSync(join(good, 'readme.txt'), 'not part of the package');
    const answers = join(dir, 'good-answers.json');
    writeFileSync(
      answers,
      JSON.stringify({
        registration_certificate: { language: 'ru' },
        charter: { language: 'ru' },
        passport: { language: 'kk' },
        registry_extract: { issuedOn: addDays(TODAY, -30), language: 'ru' },
        tax_debt_certificate: { issuedOn: addDays(TODAY, -90), language: 'ru' },
      }),
    );
    const args = ['check-package', '--dir', good, '--category', 'seed-002', '--bin', SUBJECTS.head.bin, '--answers', answers, '--trust', join(pki.dir, 'root.pem')];
    const r = await cli([...args, '--lang', 'ru']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Проверка пакета документов');
    expect(r.stdout).toContain('Пакет готов к подаче: ошибок нет.');
    // RSA keys: a warning against the seed's GOST requirement, not an error.
    expect(r.stdout).toContain('Алгоритм подписи — RSA, а требуется ГОСТ');
    const j = await cli([...args, '--json']);
    expect(j.code).toBe(0);
    const report = JSON.parse(j.stdout) as { ok: boolean; items: { severity: string }[]; documents: Record<string, { lock: { state: string } }> };
    expect(report.ok).toBe(true);
    expect(Object.keys(report.documents).sort()).toEqual(['charter', 'passport', 'registration_certificate', 'registry_extract', 'tax_debt_certificate']);
    expect(Object.values(report.documents).every((d) => d.lock.state === 'locked')).toBe(true);
    expect(report.items.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('a package with problems → exit 1 and one translated instruction per problem (ru)', async () => {
    const bad = join(dir, 'bad');
    mkdirSync(bad);
    // Fillable form, signed: not flat and not PDF/A.
    writeFileSync(join(bad, 'registration_certificate.pdf'), (await signPdf(await makeTextPdf({ field: true }), { identity: head })).pdf);
    // Changed after signing.
    writeFileSync(join(bad, 'charter.pdf'), appendEdit(await signed()));
    // Not signed at all; declared Russian, text is Kazakh.
    writeFileSync(join(bad, 'passport.pdf'), await makeTextPdf({ lines: KK_TEXT }));
    // Too old.
    writeFileSync(join(bad, 'registry_extract.pdf'), await signed());
    // tax_debt_certificate missing.
    const answers = join(dir, 'bad-answers.json');
    writeFileSync(answers, JSON.stringify({ passport: { language: 'ru' }, registry_extract: { issuedOn: addDays(TODAY, -31), language: 'ru' }, charter: { language: 'ru' } }));
    const r = await cli(['check-package', '--dir', bad, '--category', 'seed-002', '--bin', '200760001231', '--answers', answers, '--trust', join(pki.dir, 'root.pem'), '--lang', 'ru']);
    expect(r.code).toBe(1);
    const out = r.stdout;
    expect(out).toContain('В PDF есть заполняемые поля (1). Сделайте документ нередактируемым');
    expect(out).toContain('Документ изменён после подписания.');
    expect(out).toContain('Документ не подписан. Подпишите его ЭЦП организации.');
    expect(out).toContain(`Документ выдан ${addDays(TODAY, -31)}, 31 дн. назад; допускается не старше 30 дней.`);
    expect(out).toContain('Обязательный документ не приложен. Приложите документ.');
    expect(out).toContain('Указанный язык (ru) не совпадает с текстом (текст: kk).');
    expect(out).toContain(`Подписант — не поставщик: ожидался БИН/ИИН 200760001231, найден: ${SUBJECTS.head.bin}.`);
    expect(out).toContain('Не указан язык документа.');
    expect(out).toContain('Пакет нельзя подать, пока ошибки не исправлены.');
  });

  it('usage: an unknown category without --template → exit 3', async () => {
    const r = await cli(['check-package', '--dir', dir, '--category', 'no-such']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('--template');
  });
});
