/**
 * Which CA certificates prove that the server on wss://127.0.0.1:13579 is NCALayer.
 *
 * NCALayer's TLS certificate chains to the NCA RK roots, which Node's bundled CA list does not
 * contain. The app never turns verification off; it looks for the roots, in this order, and uses
 * the first source that gives any:
 *   1. `SERIKTES_NCALAYER_CA` — a PEM bundle named by the administrator;
 *   2. `resources/ncalayer/nca-roots.pem` shipped with the app;
 *   3. the operating system, where the NCALayer installer leaves them:
 *      - `tls.getCACertificates('system')` when the runtime has it (Node ≥ 22.15, i.e. Electron's
 *        Node; not the Node 20 of the build machine). Windows: the user's and machine's trusted root
 *        stores; macOS: the keychains' trusted roots; Linux: OpenSSL's system directory (which the
 *        NCALayer installer does NOT touch, hence the next source);
 *      - Linux: the NSS databases the official installer writes to (`certutil -A -n root_rsa.cer
 *        -t "TCu,Cu,"` and `nca_rsa.cer`): `~/.pki/nssdb` (Chromium and most desktop programs),
 *        Firefox profiles and the snap Chromium database, read with `certutil` (libnss3-tools)
 *        when it is installed. Only certificates the database trusts as CAs for TLS are taken.
 *
 * The system store is used whole (as a browser would for the same socket): no public CA issues
 * certificates for 127.0.0.1, so the extra roots do not widen who can pose as NCALayer.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';

/** Bundled NCA roots (resources/ncalayer/nca-roots.pem), looked up next to the app. */
export const BUNDLED_CA_CANDIDATES = (baseDir: string) => [join(baseDir, 'resources', 'ncalayer', 'nca-roots.pem'), join(baseDir, '..', 'resources', 'ncalayer', 'nca-roots.pem')];

/** Nicknames the official NCALayer installer gives the NCA RK RSA root and issuing CA in NSS. */
export const INSTALLER_NICKNAMES = ['root_rsa.cer', 'nca_rsa.cer'];

/** Subject words of NCA RK certificates (kk, ru, en), for certificates added under other nicknames. */
const NCA_SUBJECT = /КУӘЛАНДЫРУШЫ|ҰКО|НУЦ|УДОСТОВЕРЯЮЩИЙ ЦЕНТР|\bNCA\b/i;

export type TrustSourceKind = 'env' | 'bundled' | 'system' | 'nss';

export interface NcaTrustRoots {
  /** PEM certificates to pass as the TLS `ca`; empty when nothing was found. */
  pems: string[];
  /** Where they came from (for diagnostics), e.g. `nss:/home/u/.pki/nssdb#root_rsa.cer`. */
  sources: string[];
  /** Where we looked, found or not (shown in the error's details). */
  searched: string[];
}

export interface TrustRootOptions {
  env?: NodeJS.ProcessEnv;
  /** Folder the app runs from (resources/ are looked up there and one level up). */
  baseDir?: string;
  platform?: NodeJS.Platform;
  /** `tls.getCACertificates` when the runtime has it; injectable for tests on Node 20. */
  getCACertificates?: ((type: 'system') => string[]) | null;
  /** The `certutil` command (NSS tools); null = do not read NSS databases. */
  certutil?: string | null;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export function pemBlocks(text: string): string[] {
  return (text.match(PEM_BLOCK) ?? []).map((b) => b + '\n');
}

/** True when the certificate's subject names NCA RK (any language). Unparseable → false. */
export function looksLikeNcaCertificate(pem: string): boolean {
  try {
    return NCA_SUBJECT.test(new X509Certificate(pem).subject);
  } catch {
    return false;
  }
}

function runtimeGetCACertificates(): ((type: 'system') => string[]) | null {
  const f = (tls as unknown as { getCACertificates?: (type: 'system') => string[] }).getCACertificates;
  return typeof f === 'function' ? f : null;
}

/** NSS databases the NCALayer installer writes to, for one home folder (those that exist). */
export function nssDatabases(home: string): string[] {
  const dirs = [join(home, '.pki', 'nssdb'), join(home, 'snap', 'chromium', 'current', '.pki', 'nssdb')];
  const firefox = join(home, '.mozilla', 'firefox');
  try {
    for (const name of readdirSync(firefox)) dirs.push(join(firefox, name));
  } catch {
    // no Firefox profiles
  }
  // sql: databases only (cert9.db); the installer also skips the legacy dbm format.
  return dirs.filter((d) => existsSync(join(d, 'cert9.db')));
}

/** `certutil -L` listing → nickname and SSL trust flags per line. */
export function parseCertutilList(text: string): { nickname: string; sslTrust: string }[] {
  const out: { nickname: string; sslTrust: string }[] = [];
  for (const line of text.split('\n')) {
    const m = /^(.+?)\s+([A-Za-z]*),([A-Za-z]*),([A-Za-z]*)\s*$/.exec(line);
    if (!m || m[1] === undefined || m[2] === undefined) continue;
    out.push({ nickname: m[1].trim(), sslTrust: m[2] });
  }
  return out;
}

function certutilText(certutil: string, args: string[]): string | null {
  try {
    return execFileSync(certutil, args, { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null; // not installed, not a database, or no such nickname
  }
}

/**
 * NCA certificates from one NSS database: the installer's nicknames, plus any certificate whose
 * nickname names NCA RK — but only those trusted as a CA for TLS (`C` or `T` in the SSL flags), so
 * a user who distrusted a certificate stays distrusting.
 */
export function readNssDatabase(certutil: string, dir: string): { nickname: string; pem: string }[] {
  const listing = certutilText(certutil, ['-L', '-d', `sql:${dir}`]);
  if (listing === null) return [];
  const out: { nickname: string; pem: string }[] = [];
  for (const { nickname, sslTrust } of parseCertutilList(listing)) {
    if (!/[CT]/.test(sslTrust)) continue;
    const named = INSTALLER_NICKNAMES.includes(nickname.toLowerCase());
    if (!named && !NCA_SUBJECT.test(nickname)) continue;
    const pemText = certutilText(certutil, ['-L', '-d', `sql:${dir}`, '-n', nickname, '-a']);
    for (const pem of pemBlocks(pemText ?? '')) {
      // Other nicknames must also carry an NCA subject; the installer's own names are taken as given.
      if (named || looksLikeNcaCertificate(pem)) out.push({ nickname, pem });
    }
  }
  return out;
}

function fromFile(path: string): string[] {
  try {
    return pemBlocks(readFileSync(path, 'utf8'));
  } catch {
    return [];
  }
}

export function findNcaTrustRoots(o: TrustRootOptions = {}): NcaTrustRoots {
  const env = o.env ?? process.env;
  const searched: string[] = [];

  const envPath = env.SERIKTES_NCALAYER_CA;
  if (envPath) {
    // An explicit bundle is the administrator's decision: no fallback when it is unreadable.
    searched.push(`env:${envPath}`);
    const pems = fromFile(envPath);
    return { pems, sources: pems.length ? [`env:${envPath}`] : [], searched };
  }

  for (const p of BUNDLED_CA_CANDIDATES(o.baseDir ?? process.cwd())) {
    searched.push(`bundled:${p}`);
    const pems = existsSync(p) ? fromFile(p) : [];
    if (pems.length) return { pems, sources: [`bundled:${p}`], searched };
  }

  // The operating system: every OS source together (Linux keeps NCA roots in NSS, not in the system store).
  const pems: string[] = [];
  const sources: string[] = [];
  const getCAs = o.getCACertificates === undefined ? runtimeGetCACertificates() : o.getCACertificates;
  if (getCAs) {
    searched.push('system');
    let system: string[] = [];
    try {
      system = getCAs('system');
    } catch {
      system = [];
    }
    const nca = system.filter(looksLikeNcaCertificate);
    // Only when the store holds NCA roots: otherwise the list would just be Node's own roots again.
    if (nca.length) {
      pems.push(...system);
      sources.push(`system:${nca.length} NCA of ${system.length}`);
    }
  }
  const platform = o.platform ?? process.platform;
  const certutil = o.certutil === undefined ? 'certutil' : o.certutil;
  if (platform === 'linux' && certutil) {
    const home = env.HOME || homedir();
    for (const dir of nssDatabases(home)) {
      searched.push(`nss:${dir}`);
      for (const { nickname, pem } of readNssDatabase(certutil, dir)) {
        if (pems.includes(pem)) continue;
        pems.push(pem);
        sources.push(`nss:${dir}#${nickname}`);
      }
    }
  }
  return { pems, sources, searched };
}
