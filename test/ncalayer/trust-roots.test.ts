/**
 * NCA roots from where the NCALayer installer puts them: a real NSS database (certutil) in a
 * temporary HOME, the system store through an injected `getCACertificates` (Node 20 has none),
 * env / bundled precedence; the client then connects to the simulator with no bundle at all.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NcaLayerClient } from '../../src-main/ncalayer/client';
import { ncaLayerConfigFromEnv } from '../../src-main/ncalayer/config';
import { findNcaTrustRoots, looksLikeNcaCertificate, parseCertutilList } from '../../src-main/ncalayer/trust-roots';
import type { AppError } from '../../src-shared/rpc/errors';
import { startNcaLayerSimulator, type RunningSimulator } from './simulator';
import { ncaTestKeys, type NcaTestKeys } from './helpers';

const codeOf = async (p: Promise<unknown>) => p.then(() => 'no error', (e: AppError) => e.code);

let keys: NcaTestKeys;
let sim: RunningSimulator;
let tmp: string;
/** A root that has nothing to do with NCA RK (a corporate or public CA). */
let otherPem: string;
const clients: NcaLayerClient[] = [];

function newHome(name: string): string {
  const home = join(tmp, name);
  mkdirSync(join(home, '.pki', 'nssdb'), { recursive: true });
  execFileSync('certutil', ['-N', '-d', `sql:${join(home, '.pki', 'nssdb')}`, '--empty-password'], { stdio: 'ignore' });
  return home;
}

function addCert(db: string, nickname: string, pem: string, trust: string) {
  const file = join(tmp, `cert-${Math.random().toString(36).slice(2)}.pem`);
  writeFileSync(file, pem);
  execFileSync('certutil', ['-A', '-d', `sql:${db}`, '-n', nickname, '-t', trust, '-i', file], { stdio: 'ignore' });
}

function connectWith(env: NodeJS.ProcessEnv, baseDir: string, trust: Parameters<typeof ncaLayerConfigFromEnv>[2] = {}) {
  const c = new NcaLayerClient({ ...ncaLayerConfigFromEnv({ SERIKTES_NCALAYER_URL: sim.url, ...env }, baseDir, { platform: 'linux', getCACertificates: null, ...trust }), connectTimeoutMs: 3000 });
  clients.push(c);
  return c.connect();
}

beforeAll(async () => {
  keys = ncaTestKeys();
  sim = await startNcaLayerSimulator({ keys: keys.simKeys });
  tmp = mkdtempSync(join(tmpdir(), 'seriktes-trust-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=Example Corporate Root/O=Example/C=KZ', '-days', '2', '-keyout', join(tmp, 'other.key'), '-out', join(tmp, 'other.pem')], { stdio: 'ignore' });
  otherPem = readFileSync(join(tmp, 'other.pem'), 'utf8');
});
afterAll(async () => {
  for (const c of clients) c.close();
  await sim.close();
  keys.pki.cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

describe('NCA roots for NCALayer TLS', () => {
  it('the installer’s NSS entry (root_rsa.cer, TCu,Cu,) in ~/.pki/nssdb → connects with no env or bundled file', async () => {
    const home = newHome('installed');
    addCert(join(home, '.pki', 'nssdb'), 'root_rsa.cer', sim.caPem, 'TCu,Cu,');
    const roots = findNcaTrustRoots({ env: { HOME: home }, baseDir: join(tmp, 'app'), platform: 'linux', getCACertificates: null });
    expect(roots.sources).toEqual([`nss:${join(home, '.pki', 'nssdb')}#root_rsa.cer`]);
    expect(roots.pems).toHaveLength(1);
    expect(await connectWith({ HOME: home }, join(tmp, 'app'))).toBe('1.4');
  });

  it('without it → ncalayer_tls_untrusted, with what to do and where we looked', async () => {
    const home = newHome('empty');
    const c = new NcaLayerClient({ ...ncaLayerConfigFromEnv({ SERIKTES_NCALAYER_URL: sim.url, HOME: home }, join(tmp, 'app'), { platform: 'linux', getCACertificates: null }) });
    clients.push(c);
    const err = (await c.connect().catch((e: AppError) => e)) as AppError;
    expect(err.code).toBe('ncalayer_tls_untrusted');
    expect(err.message).toMatch(/ncl\.pki\.gov\.kz/);
    expect(err.message).toMatch(/nca-roots\.pem/);
    expect(err.details).toMatchObject({ installUrl: 'https://ncl.pki.gov.kz' });
    expect((err.details as { searched: string[] }).searched).toContain(`nss:${join(home, '.pki', 'nssdb')}`);
  });

  it('an entry the user distrusts, or an unrelated nickname, is not taken; an NCA-named nickname is', async () => {
    const home = newHome('distrusted');
    const db = join(home, '.pki', 'nssdb');
    addCert(db, 'nca_rsa.cer', sim.caPem, ',,');
    addCert(db, 'Some corporate root', otherPem, 'CT,C,C');
    expect(findNcaTrustRoots({ env: { HOME: home }, baseDir: join(tmp, 'app'), platform: 'linux', getCACertificates: null }).pems).toEqual([]);
    expect(await codeOf(connectWith({ HOME: home }, join(tmp, 'app')))).toBe('ncalayer_tls_untrusted');
    // Firefox profile with the CA under a name that says NCA (its subject does too).
    const profile = join(home, '.mozilla', 'firefox', 'abc.default-release');
    mkdirSync(profile, { recursive: true });
    execFileSync('certutil', ['-N', '-d', `sql:${profile}`, '--empty-password'], { stdio: 'ignore' });
    addCert(profile, 'NCA RK TEST TLS ROOT', sim.caPem, 'C,,');
    expect(await connectWith({ HOME: home }, join(tmp, 'app'))).toBe('1.4');
  });

  it('no certutil → NSS is skipped (not an error); not Linux → NSS is not read', async () => {
    const home = newHome('no-certutil');
    addCert(join(home, '.pki', 'nssdb'), 'root_rsa.cer', sim.caPem, 'TCu,Cu,');
    expect(findNcaTrustRoots({ env: { HOME: home }, baseDir: tmp, platform: 'linux', getCACertificates: null, certutil: join(tmp, 'no-such-certutil') }).pems).toEqual([]);
    expect(findNcaTrustRoots({ env: { HOME: home }, baseDir: tmp, platform: 'win32', getCACertificates: null }).pems).toEqual([]);
  });

  it('the system store (tls.getCACertificates) is used when it holds NCA roots', async () => {
    const home = newHome('system');
    const system = [otherPem, sim.caPem];
    const roots = findNcaTrustRoots({ env: { HOME: home }, baseDir: tmp, platform: 'win32', getCACertificates: () => system });
    expect(roots.sources).toEqual(['system:1 NCA of 2']);
    expect(await connectWith({ HOME: home }, tmp, { platform: 'win32', getCACertificates: () => system })).toBe('1.4');
    // A store with no NCA root adds nothing (it would only repeat Node's own roots).
    expect(findNcaTrustRoots({ env: { HOME: home }, baseDir: tmp, platform: 'win32', getCACertificates: () => [otherPem] }).pems).toEqual([]);
  });

  it('env bundle, then the bundled file, come before the OS; an unreadable env bundle does not fall back', async () => {
    const home = newHome('precedence');
    addCert(join(home, '.pki', 'nssdb'), 'root_rsa.cer', sim.caPem, 'TCu,Cu,');
    const app = join(tmp, 'bundled-app');
    mkdirSync(join(app, 'resources', 'ncalayer'), { recursive: true });
    writeFileSync(join(app, 'resources', 'ncalayer', 'nca-roots.pem'), keys.pki.root.pem);
    const bundled = findNcaTrustRoots({ env: { HOME: home }, baseDir: app, platform: 'linux', getCACertificates: null });
    expect(bundled.sources[0]).toMatch(/^bundled:/);
    // The bundled file names a different root: the administrator's choice wins over NSS.
    expect(await codeOf(connectWith({ HOME: home }, app))).toBe('ncalayer_tls_untrusted');
    const envFile = join(tmp, 'env-roots.pem');
    writeFileSync(envFile, sim.caPem);
    expect(await connectWith({ HOME: home, SERIKTES_NCALAYER_CA: envFile }, app)).toBe('1.4');
    expect(findNcaTrustRoots({ env: { HOME: home, SERIKTES_NCALAYER_CA: join(tmp, 'missing.pem') }, baseDir: app, platform: 'linux', getCACertificates: null }).pems).toEqual([]);
  });

  it('parses certutil listings and recognises NCA subjects', () => {
    const listing = 'Certificate Nickname                                         Trust Attributes\n                                                             SSL,S/MIME,JAR/XPI\n\nroot_rsa.cer                                                 CT,C,\nҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA)                          ,,   \n';
    expect(parseCertutilList(listing)).toEqual([
      { nickname: 'root_rsa.cer', sslTrust: 'CT' },
      { nickname: 'ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA)', sslTrust: '' },
    ]);
    expect(looksLikeNcaCertificate(sim.caPem)).toBe(true);
    expect(looksLikeNcaCertificate(keys.pki.root.pem)).toBe(true); // ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ TEST
    expect(looksLikeNcaCertificate(otherPem)).toBe(false);
    expect(looksLikeNcaCertificate('garbage')).toBe(false);
  });
});
