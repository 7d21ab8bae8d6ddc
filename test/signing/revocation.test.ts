/**
 * Revocation by OCSP (local `openssl ocsp` responder) and CRL (`openssl ca -gencrl`)
 * served on loopback: revoked after the timestamp → still valid at signing time;
 * revoked before → invalid; offline → never plain valid.
 */
import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// pdfsig/openssl child processes: allow for a loaded CI machine.
vi.setConfig({ testTimeout: 90_000 });
import { onlineRevocation } from '../../src-main/signing/http';
import { identityFromPkcs12, signFileCms } from '../../src-main/signing/sign-file';
import { verifyFile } from '../../src-main/signing/verify-file';
import { startRevocationServer, startTsa, type LocalServer } from './helpers/services';
import { createTestPki, KZ_EKU, SUBJECTS, type IssuedCert, type TestPki } from './helpers/test-pki';
import { run } from './helpers/tools';

let pki: TestPki;
let tsa: LocalServer;
let rev: Awaited<ReturnType<typeof startRevocationServer>>;
let content: string;

beforeAll(async () => {
  pki = createTestPki();
  tsa = await startTsa(pki);
  rev = await startRevocationServer(pki);
  content = pki.write('doc.txt', 'Application for pre-qualification\n');
});
afterAll(async () => {
  await tsa?.close();
  await rev?.close();
  pki?.cleanup();
});

const anchors = () => [{ der: pki.root.der, kind: 'custom' as const }];

/** Issues a certificate the local CA/responder knows about. */
function issue(spec: Parameters<TestPki['issue']>[0]): IssuedCert {
  const c = pki.issue(spec);
  rev.issued.push(c.serialHex);
  return c;
}

const certNotAfter = (c: IssuedCert) => c.cert.validity.notAfter.toISOString();

async function signWith(cert: IssuedCert, name: string, timestamp = true) {
  const id = await identityFromPkcs12(pki.p12(cert, 'pw'), 'pw');
  const out = join(pki.dir, `${name}.p7s`);
  await signFileCms({ identity: id, inPath: content, outPath: out, ...(timestamp ? { timestamp: { url: tsa.url } } : {}) });
  return out;
}

/** Async on purpose: the responder runs in this process, a blocking spawn would deadlock. */
async function opensslOcspStatus(cert: IssuedCert): Promise<string> {
  const certPath = pki.write(`ocsp-${cert.serialHex}.pem`, cert.pem);
  const args = ['ocsp', '-issuer', join(pki.dir, 'root.pem'), '-cert', certPath, '-url', rev.ocspUrl, '-CAfile', join(pki.dir, 'root.pem')];
  return new Promise((resolve) => {
    execFile('openssl', args, { timeout: 20_000 }, (_err, stdout, stderr) => resolve(String(stdout) + String(stderr)));
  });
}

describe('OCSP', () => {
  it('good certificate: revocation good and the verdict is valid (openssl ocsp agrees)', async () => {
    const cert = issue({ subject: SUBJECTS.individual, kind: 'sign', roles: [KZ_EKU.individual], ocspUrl: rev.ocspUrl });
    const out = await signWith(cert, 'good');
    expect(await opensslOcspStatus(cert)).toMatch(/: good/);
    const report = await verifyFile({ inPath: out, contentPath: content, anchors: anchors(), online: onlineRevocation });
    const s = report.signatures[0]!;
    expect(s.revocation.status).toBe('good');
    expect(s.revocation.checks[0]).toMatchObject({ source: 'ocsp', status: 'good' });
    expect(s.reasons).toEqual([]);
    expect(report.verdict).toBe('valid');
    // Same file offline: indeterminate, never plain valid.
    const offline = await verifyFile({ inPath: out, contentPath: content, anchors: anchors() });
    expect(offline.verdict).toBe('indeterminate');
  });

  it('revoked after the timestamp → valid at signing time; revoked before → invalid', async () => {
    const later = issue({ subject: SUBJECTS.individual, kind: 'sign', roles: [KZ_EKU.individual], ocspUrl: rev.ocspUrl });
    const out = await signWith(later, 'later');
    await new Promise((r) => setTimeout(r, 1100)); // genTime has one-second precision
    rev.revoked.push({ serialHex: later.serialHex, revokedAt: new Date() });
    expect(await opensslOcspStatus(later)).toMatch(/: revoked/);
    const r1 = await verifyFile({ inPath: out, contentPath: content, anchors: anchors(), online: onlineRevocation });
    expect(r1.signatures[0]!.revocation.status).toBe('revoked_after_signing');
    expect(r1.signatures[0]!.revocation.checks[0]!.revocationTime).toBeDefined();
    expect(r1.verdict).toBe('valid');

    const before = issue({ subject: SUBJECTS.individual, kind: 'sign', roles: [KZ_EKU.individual], ocspUrl: rev.ocspUrl });
    rev.revoked.push({ serialHex: before.serialHex, revokedAt: new Date(Date.now() - 24 * 3600_000) });
    const out2 = await signWith(before, 'before');
    const r2 = await verifyFile({ inPath: out2, contentPath: content, anchors: anchors(), online: onlineRevocation });
    expect(r2.signatures[0]!.revocation.status).toBe('revoked');
    expect(r2.signatures[0]!.reasons).toContain('revoked_before_signing');
    expect(r2.verdict).toBe('invalid');
  });

  it('revoked and no timestamp → invalid (nothing proves the signature is older)', async () => {
    const cert = issue({ subject: SUBJECTS.individual, kind: 'sign', roles: [KZ_EKU.individual], ocspUrl: rev.ocspUrl });
    const out = await signWith(cert, 'no-ts', false);
    await new Promise((r) => setTimeout(r, 1100));
    rev.revoked.push({ serialHex: cert.serialHex, revokedAt: new Date() });
    const r = await verifyFile({ inPath: out, contentPath: content, anchors: anchors(), online: onlineRevocation });
    expect(r.signatures[0]!.revocation.status).toBe('revoked');
    expect(r.verdict).toBe('invalid');
  });
});

describe('validity now vs at signing time', () => {
  it('a certificate that expired after a timestamped signature stays valid; without the timestamp it is indeterminate', async () => {
    const short = issue({ subject: SUBJECTS.individual, kind: 'sign', roles: [KZ_EKU.individual], ocspUrl: rev.ocspUrl, notAfter: new Date(Date.now() + 6000) });
    const withTs = await signWith(short, 'short-ts');
    const withoutTs = await signWith(short, 'short-no-ts', false);
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(certNotAfter(short)) - Date.now() + 1200)));
    const r1 = await verifyFile({ inPath: withTs, contentPath: content, anchors: anchors(), online: onlineRevocation });
    const s1 = r1.signatures[0]!;
    expect(s1.validityNow).toBe('expired');
    expect(s1.validityAtSigning).toBe('valid');
    expect(r1.verdict).toBe('valid');
    const r2 = await verifyFile({ inPath: withoutTs, contentPath: content, anchors: anchors(), online: onlineRevocation });
    expect(r2.signatures[0]!.reasons).toContain('cert_expired_no_timestamp');
    expect(r2.verdict).toBe('indeterminate');
  });
});

describe('TSA certificate revocation', () => {
  it('a timestamp from a TSA certificate revoked before genTime is invalid; a good TSA certificate is checked too', async () => {
    const tsaCert = issue({ subject: { commonName: 'Revocable TSA' }, kind: 'tsa', ocspUrl: rev.ocspUrl });
    const tsa2 = await startTsa(pki, '1.2.398.3.3.2.6.2', pki.write('tsa2.pem', tsaCert.pem));
    try {
      const user = issue({ subject: SUBJECTS.individual, kind: 'sign', roles: [KZ_EKU.individual], ocspUrl: rev.ocspUrl });
      const id = await identityFromPkcs12(pki.p12(user, 'pw'), 'pw');
      const good = join(pki.dir, 'tsa-good.p7s');
      await signFileCms({ identity: id, inPath: content, outPath: good, timestamp: { url: tsa2.url } });
      const r1 = await verifyFile({ inPath: good, contentPath: content, anchors: anchors(), online: onlineRevocation });
      expect(r1.signatures[0]!.timestamp?.revocation?.[0]).toMatchObject({ source: 'ocsp', status: 'good' });
      expect(r1.verdict).toBe('valid');

      rev.revoked.push({ serialHex: tsaCert.serialHex, revokedAt: new Date(Date.now() - 3600_000) });
      const bad = join(pki.dir, 'tsa-bad.p7s');
      await signFileCms({ identity: id, inPath: content, outPath: bad, timestamp: { url: tsa2.url } });
      const r2 = await verifyFile({ inPath: bad, contentPath: content, anchors: anchors(), online: onlineRevocation });
      expect(r2.signatures[0]!.timestamp?.status).toBe('invalid');
      expect(r2.signatures[0]!.timestamp?.problems).toContain('timestamp_tsa_revoked');
      expect(r2.verdict).toBe('invalid');
    } finally {
      await tsa2.close();
    }
  });
});

describe('CRL', () => {
  it('uses the CDP when there is no OCSP address; good → valid, revoked before → invalid (openssl verify -crl_check agrees)', async () => {
    const good = issue({ subject: SUBJECTS.head, kind: 'sign', roles: [KZ_EKU.legalEntity], crlUrl: rev.crlUrl });
    const bad = issue({ subject: SUBJECTS.head, kind: 'sign', roles: [KZ_EKU.legalEntity], crlUrl: rev.crlUrl });
    rev.revoked.push({ serialHex: bad.serialHex, revokedAt: new Date(Date.now() - 3600_000) });

    const crlDer = pki.write('current.crl', new Uint8Array(await (await fetch(rev.crlUrl)).arrayBuffer()));
    const crlPem = join(pki.dir, 'current-crl.pem');
    execFileSync('openssl', ['crl', '-inform', 'DER', '-in', crlDer, '-out', crlPem]);
    const check = (c: IssuedCert) =>
      run('openssl', ['verify', '-crl_check', '-CAfile', join(pki.dir, 'root.pem'), '-CRLfile', crlPem, pki.write(`crl-${c.serialHex}.pem`, c.pem)]);
    expect(check(good).code).toBe(0);
    expect(check(bad).stdout + check(bad).stderr).toContain('certificate revoked');

    const r1 = await verifyFile({ inPath: await signWith(good, 'crl-good'), contentPath: content, anchors: anchors(), online: onlineRevocation });
    expect(r1.signatures[0]!.revocation.checks[0]).toMatchObject({ source: 'crl', status: 'good' });
    expect(r1.verdict).toBe('valid');
    const r2 = await verifyFile({ inPath: await signWith(bad, 'crl-bad'), contentPath: content, anchors: anchors(), online: onlineRevocation });
    expect(r2.signatures[0]!.revocation.checks[0]).toMatchObject({ source: 'crl', status: 'revoked' });
    expect(r2.verdict).toBe('invalid');
  });

  it('a stale CRL (nextUpdate passed) is not accepted: indeterminate', async () => {
    const cert = issue({ subject: SUBJECTS.head, kind: 'sign', roles: [KZ_EKU.legalEntity], crlUrl: rev.crlUrl });
    const out = await signWith(cert, 'crl-stale');
    rev.options.staleCrl = true;
    try {
      const r = await verifyFile({ inPath: out, contentPath: content, anchors: anchors(), online: onlineRevocation });
      expect(r.signatures[0]!.revocation.checks[0]!.error).toMatch(/stale/);
      expect(r.signatures[0]!.revocation.status).toBe('unknown');
      expect(r.verdict).toBe('indeterminate');
    } finally {
      rev.options.staleCrl = false;
    }
  });

  it('an unreachable revocation service gives indeterminate, not valid', async () => {
    const cert = issue({ subject: SUBJECTS.individual, kind: 'sign', roles: [KZ_EKU.individual], ocspUrl: 'http://127.0.0.1:9/ocsp' });
    const r = await verifyFile({ inPath: await signWith(cert, 'unreach'), contentPath: content, anchors: anchors(), online: onlineRevocation });
    expect(r.signatures[0]!.revocation.status).toBe('unknown');
    expect(r.verdict).toBe('indeterminate');
  });
});
