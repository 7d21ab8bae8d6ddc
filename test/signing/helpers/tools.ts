/** Wrappers around the independent validators used by the signing tests. */
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], opts: { input?: Uint8Array | string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): RunResult {
  const r = spawnSync(cmd, args, { input: opts.input, env: opts.env ?? process.env, cwd: opts.cwd, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status ?? -1, stdout: r.stdout?.toString() ?? '', stderr: r.stderr?.toString() ?? '' };
}

/** `openssl cms -verify -binary` against a CA file (strict: never -noverify). */
export function opensslCmsVerify(cmsPath: string, contentPath: string, caFile: string): RunResult {
  return run('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', cmsPath, '-content', contentPath, '-CAfile', caFile, '-out', '/dev/null']);
}

/** A throw-away NSS database trusting `rootPem` for pdfsig. */
export function makeNssDb(dir: string, rootPemPath: string): string {
  const db = join(dir, 'nssdb');
  mkdirSync(db, { recursive: true });
  const a = run('certutil', ['-N', '-d', `sql:${db}`, '--empty-password']);
  if (a.code !== 0) throw new Error(`certutil -N failed: ${a.stderr}`);
  const b = run('certutil', ['-A', '-d', `sql:${db}`, '-n', 'seriktes-test-root', '-t', 'CT,C,C', '-i', rootPemPath]);
  if (b.code !== 0) throw new Error(`certutil -A failed: ${b.stderr}`);
  return db;
}

export interface PdfsigSignature {
  text: string;
  valid: boolean;
  total: boolean;
  trusted: boolean;
}

/** Runs pdfsig and splits its text per signature (pdfsig exits 0 even on a digest mismatch). */
export function pdfsig(file: string, nssDb: string): { raw: string; signatures: PdfsigSignature[] } {
  const r = run('pdfsig', ['-nssdir', `sql:${nssDb}`, file]);
  return parsePdfsig(r.stdout + r.stderr);
}

/** Same, without blocking the event loop (needed when pdfsig queries an OCSP responder in this process). */
export function pdfsigAsync(file: string, nssDb: string): Promise<{ raw: string; signatures: PdfsigSignature[] }> {
  return new Promise((resolve) => {
    execFile('pdfsig', ['-nssdir', `sql:${nssDb}`, file], { timeout: 60_000 }, (_e, stdout, stderr) => resolve(parsePdfsig(String(stdout) + String(stderr))));
  });
}

function parsePdfsig(raw: string): { raw: string; signatures: PdfsigSignature[] } {
  const parts = raw.split(/^Signature #\d+:/m).slice(1);
  return {
    raw,
    signatures: parts.map((text) => ({
      text,
      valid: text.includes('Signature Validation: Signature is Valid.'),
      total: text.includes('Total document signed'),
      trusted: text.includes('Certificate Validation: Certificate is Trusted.'),
    })),
  };
}

/** A small PDF made by pdf-lib: classic xref table (useObjectStreams false) or xref/object streams. */
export async function makePdf(opts: { objectStreams?: boolean; pages?: number; text?: string } = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < (opts.pages ?? 1); i++) {
    const page = doc.addPage([595, 842]);
    page.drawText(opts.text ?? `Seriktes test document, page ${i + 1}`, { x: 50, y: 780, size: 14, font });
  }
  return doc.save({ useObjectStreams: opts.objectStreams ?? false });
}

export function flipByte(b: Uint8Array, at: number): Uint8Array {
  const c = new Uint8Array(b);
  c[at] = c[at]! ^ 0x01;
  return c;
}
