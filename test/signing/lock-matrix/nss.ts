/**
 * Co-signing with NSS, the way poppler's `pdfsig -add-signature` does it: the .p12 is imported
 * into a throw-away NSS database (certutil -N, pk12util -i) and pdfsig appends a new signature
 * field and its signature as an incremental update.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../helpers/tools';

const NSS_PASSWORD = 'nss-db-pw';

export interface NssSigner {
  db: string;
  nick: string;
}

/** A password-protected NSS database holding the key and certificate of `p12Path`, and trusting `rootPem`. */
export function nssSigner(dir: string, p12Path: string, p12Password: string, rootPem: string): NssSigner {
  const db = join(dir, 'nss-signer');
  mkdirSync(db, { recursive: true });
  const pw = join(dir, 'nss-signer.pw');
  writeFileSync(pw, NSS_PASSWORD);
  const steps: [string, string[]][] = [
    ['certutil', ['-N', '-d', `sql:${db}`, '-f', pw]],
    ['pk12util', ['-i', p12Path, '-d', `sql:${db}`, '-k', pw, '-W', p12Password]],
    ['certutil', ['-A', '-d', `sql:${db}`, '-n', 'seriktes-test-root', '-t', 'CT,C,C', '-i', rootPem, '-f', pw]],
  ];
  for (const [cmd, args] of steps) {
    const r = run(cmd, args);
    if (r.code !== 0) throw new Error(`${cmd} ${args[0]}: ${r.stdout}${r.stderr}`);
  }
  const nicks = run('pdfsig', ['-nssdir', `sql:${db}`, '-nss-pwd', NSS_PASSWORD, '-list-nicks', '/dev/null']);
  const nick = /seriktes-test/.exec(nicks.stdout + nicks.stderr)?.[0] ?? 'seriktes-test';
  return { db, nick };
}

/** pdfsig -add-signature (adbe.pkcs7.detached: poppler 22 refuses -etsi with -add-signature); async so OCSP/TSA servers in this process keep answering. */
export function nssCoSign(s: NssSigner, inPath: string, outPath: string, fieldName: string): Promise<{ code: number; output: string }> {
  const args = ['-nssdir', `sql:${s.db}`, '-nss-pwd', NSS_PASSWORD, '-add-signature', '-nick', s.nick, '-new-signature-field-name', fieldName, '-reason', 'NSS co-signature', inPath, outPath];
  return new Promise((res) => {
    execFile('pdfsig', args, { timeout: 60_000 }, (err, stdout, stderr) => res({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, output: String(stdout) + String(stderr) }));
  });
}
