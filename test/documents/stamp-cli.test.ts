/**
 * `seriktes stamp` through the real CLI entry (the bundled dist/main/cli.cjs, like test/signing/cli.test.ts):
 * --out-dir naming, --json output, localized text, a logo, exit codes for usage errors and refusals.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { serialOfPdf } from '../../src-shared/documents/serial';
import { openPdf } from '../../src-shared/pdf';
import { decodePage, discPng, qpdfCheck, readBytes, tempDir, textPdf, write } from './stamp-helpers';

const ROOT = resolve(__dirname, '../..');
// The bundled command line (scripts/build.mjs; the vitest global setup keeps it fresh), as users run it.
const CLI = join(ROOT, 'dist', 'main', 'cli.cjs');
const tmp = tempDir('seriktes-stamp-cli-');

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, cwd: tmp.dir, timeout: 60_000 }, (err, stdout, stderr) =>
      res({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) }),
    );
  });
}

// Each CLI call is a child process.
vi.setConfig({ testTimeout: 120_000 });

beforeAll(async () => {
  write(tmp.path('Өтінім.pdf'), await textPdf({ pages: 2 }));
  write(tmp.path('logo.png'), discPng());
});
afterAll(() => tmp.cleanup());

describe('CLI stamp', () => {
  it('--out-dir names the file with the serial; --json; codes decode; localized human output', async () => {
    const outDir = tmp.path('out');
    mkdirSync(outDir);
    const r = await cli(['stamp', '--in', tmp.path('Өтінім.pdf'), '--out-dir', outDir, '--portal-url', 'https://portal.example.kz/', '--logo', tmp.path('logo.png'), '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { serial: string; out: string; qrUrl: string; notes: string[] };
    expect(j.out).toBe(join(outDir, `Өтінім_${j.serial}.pdf`));
    expect(readdirSync(outDir)).toEqual([`Өтінім_${j.serial}.pdf`]);
    expect(j.qrUrl).toBe(`https://portal.example.kz/verify/${j.serial}`);
    expect(j.notes).toEqual(['transparency_pdfa2b']);
    expect(qpdfCheck(j.out).code).toBe(0);
    expect(decodePage(j.out)).toEqual([`CODE-128:${j.serial}`, `QR-Code:${j.qrUrl}`]);
    expect(serialOfPdf(openPdf(readBytes(j.out)).view())).toBe(j.serial);

    const ru = await cli(['stamp', '--in', tmp.path('Өтінім.pdf'), '--out', tmp.path('ru.pdf'), '--qr', 'egov', '--bin', '160340000666', '--lang', 'ru'], {
      SERIKTES_EGOV_REGISTRY_URL: 'https://registry.example.kz/{bin}',
    });
    expect(ru.code).toBe(0);
    expect(ru.stdout).toMatch(/^Серийный номер: SRK-/m);
    expect(ru.stdout).toContain(`Файл: ${tmp.path('ru.pdf')}`);
    expect(ru.stdout).toContain('QR-код: https://registry.example.kz/160340000666');
    expect(ru.stdout).not.toContain('Примечания'); // no logo: no transparency note
  });

  it('exit codes: usage 3 (missing --out, egov without --bin, bad opacity), failure 4 with a translated refusal', async () => {
    const usage = await cli(['stamp', '--in', tmp.path('Өтінім.pdf'), '--portal-url', 'https://p.kz']);
    expect(usage.code).toBe(3);
    expect(usage.stderr).toContain('--out');
    expect((await cli(['stamp', '--in', tmp.path('Өтінім.pdf'), '--out', tmp.path('x.pdf'), '--qr', 'egov'])).code).toBe(3);
    expect((await cli(['stamp', '--in', tmp.path('Өтінім.pdf'), '--out', tmp.path('x.pdf'), '--qr', 'none', '--opacity', '0.9'])).code).toBe(3);

    write(tmp.path('stamped.pdf'), readBytes(tmp.path('ru.pdf')));
    const twice = await cli(['stamp', '--in', tmp.path('stamped.pdf'), '--out', tmp.path('twice.pdf'), '--qr', 'none', '--lang', 'kk']);
    expect(twice.code).toBe(4);
    expect(twice.stderr).toContain('Құжатта сериялық нөмір бар');
    expect(twice.stderr).toContain('[document_already_stamped]');
    const garbage = tmp.path('garbage.pdf');
    write(garbage, 'definitely not a PDF');
    const bad = await cli(['stamp', '--in', garbage, '--out', tmp.path('y.pdf'), '--qr', 'none']);
    expect(bad.code).toBe(4);
    expect(bad.stderr).toContain('[pdf_invalid]');
    const re = await cli(['stamp', '--in', tmp.path('stamped.pdf'), '--out', tmp.path('twice.pdf'), '--qr', 'none', '--restamp', '--json']);
    expect(re.code).toBe(0);
    expect(JSON.parse(re.stdout)).toMatchObject({ notes: ['restamped'], previousSerial: expect.stringMatching(/^SRK-/) });
  });
});
