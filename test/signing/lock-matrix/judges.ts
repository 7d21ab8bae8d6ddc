/**
 * The three places that enforce "locked after signing", each asked about every file of a row set:
 *   cli    — `verify --json` through the CLI's own entry point (main, in this process: no tsx start
 *            per file; OCSP answers from the responder in this process), exit code and report;
 *   pkg    — ONE `check-package --json` over a folder with one file requirement per file;
 *   portal — the reference portal's upload (create → PUT → finalize), one portal per test file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../../src-main/cli/index';
import { startTestPortal, signIn } from '../../portal/helpers';
import { uploadFile } from '../../portal/documents-helpers';

export interface Row {
  /** [a-z0-9_]: also the check-package requirement key and the file name. */
  key: string;
  bytes: Uint8Array;
}

export interface CliVerdict {
  code: number;
  verdict: string;
  /** Per signature, in file order: verdict and reasons. */
  signatures: { verdict: string; reasons: string[]; fieldName?: string }[];
  stderr: string;
}
export interface PackageVerdict {
  lockState: string;
  errors: string[];
}
export interface PortalVerdict {
  status: number;
  code: string | null;
}
export interface Verdicts {
  cli: CliVerdict;
  pkg: PackageVerdict;
  portal: PortalVerdict;
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const env = { ...process.env };
  delete env.SERIKTES_TRUST_DIR;
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

export async function cliVerify(path: string, rootPem: string): Promise<CliVerdict> {
  const r = await cli(['verify', '--in', path, '--trust', rootPem, '--json']);
  let report: { verdict?: string; signatures?: { verdict: string; reasons: string[]; fieldName?: string }[] } = {};
  try {
    report = JSON.parse(r.out) as typeof report;
  } catch {
    /* a refusal before any report (an error code on stderr) */
  }
  return {
    code: r.code,
    verdict: report.verdict ?? 'error',
    signatures: (report.signatures ?? []).map((s) => ({ verdict: s.verdict, reasons: s.reasons, ...(s.fieldName ? { fieldName: s.fieldName } : {}) })),
    stderr: r.err,
  };
}

/** One check-package run over every row (a template with one signed-PDF requirement per row). */
export async function checkPackage(rows: Row[], dir: string, rootPem: string): Promise<Map<string, PackageVerdict>> {
  const pkg = join(dir, 'package');
  mkdirSync(pkg, { recursive: true });
  for (const r of rows) writeFileSync(join(pkg, `${r.key}.pdf`), r.bytes);
  const template = {
    requirements: rows.map((r) => ({ type: 'file', key: r.key, label: { kk: r.key, ru: r.key, en: r.key }, required: true, accept: ['pdf'], signed: true })),
  };
  const templatePath = join(dir, 'matrix-template.json');
  writeFileSync(templatePath, JSON.stringify(template));
  const r = await cli(['check-package', '--dir', pkg, '--category', 'lock-matrix', '--template', templatePath, '--trust', rootPem, '--json']);
  if (r.code !== 0 && r.code !== 1) throw new Error(`check-package exited ${r.code}: ${r.err}`);
  const report = JSON.parse(r.out) as { items: { field: string; severity: string; code: string }[]; documents: Record<string, { lock: { state: string } }> };
  return new Map(
    rows.map((row) => [
      row.key,
      { lockState: report.documents[row.key]?.lock.state ?? 'absent', errors: report.items.filter((i) => i.field === row.key && i.severity === 'error').map((i) => i.code) },
    ]),
  );
}

export interface MatrixPortal {
  upload(row: Row): Promise<PortalVerdict>;
  close(): Promise<void>;
}

export async function matrixPortal(rootDer: Uint8Array): Promise<MatrixPortal> {
  const portal = await startTestPortal({ eds: { anchors: [{ der: rootDer, kind: 'test', label: 'test root' }] } });
  const token = await signIn(portal.url, 'supplier');
  return {
    async upload(row) {
      const r = await uploadFile(portal.url, token, row.bytes, `${row.key}.pdf`);
      return { status: r.status, code: (r.json?.code as string | undefined) ?? null };
    },
    close: () => portal.cleanup(),
  };
}

/** Every judge on every row: CLI per file, check-package once, the portal per upload. */
export async function judgeAll(rows: Row[], o: { dir: string; rootPem: string; portal: MatrixPortal }): Promise<Map<string, Verdicts>> {
  const files = join(o.dir, 'files');
  mkdirSync(files, { recursive: true });
  const pkg = await checkPackage(rows, o.dir, o.rootPem);
  const out = new Map<string, Verdicts>();
  for (const row of rows) {
    const path = join(files, `${row.key}.pdf`);
    writeFileSync(path, row.bytes);
    out.set(row.key, { cli: await cliVerify(path, o.rootPem), pkg: pkg.get(row.key)!, portal: await o.portal.upload(row) });
  }
  return out;
}
