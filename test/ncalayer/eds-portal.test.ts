/**
 * EDS sign-in against a real portal: challenge, link after a password sign-in,
 * sign-in with the AUTH key through the NCALayer simulator and from a .p12;
 * refusals: SIGN key, expired key, replayed / expired / foreign challenge,
 * untrusted root, unlinked certificate, another person's certificate.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MovableClock, systemClock } from '../../src-portal/clock';
import { NcaLayerClient } from '../../src-main/ncalayer/client';
import { edsProof, signChallenge, type PortalPost } from '../../src-main/ncalayer/eds-sign-in';
import { createDetachedCms, localRsaSigner } from '../../src-shared/signing/cms-build';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';
import { createTestPki, KZ_EKU } from '../signing/helpers/test-pki';
import { call, signIn, startTestPortal } from '../portal/helpers';
import { startNcaLayerSimulator, type RunningSimulator } from './simulator';

/** An AUTH certificate of the right person from a CA nobody configured (self-issued, own key). */
function selfSignedAuth(forIin: string) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '0badca';
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  const name = [{ type: '2.5.4.3', value: 'FAKE CA USER' }, { type: '2.5.4.5', value: `IIN${forIin}` }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([{ name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true }, { name: 'extKeyUsage', clientAuth: true }]);
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  const der = new Uint8Array(Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary'));
  return { cert, pem: forge.pki.certificateToPem(cert), der, serialHex: '0badca', keyPem };
}

type Portal = Awaited<ReturnType<typeof startTestPortal>>;
let portal: Portal;
let clock: MovableClock;
let sim: RunningSimulator;
let nca: NcaLayerClient;
const pki = createTestPki();
let iin = '';
let certs: Record<'auth' | 'sign' | 'expired' | 'stranger' | 'foreignRoot', ReturnType<typeof pki.issue>>;

const post = (token?: string): PortalPost => async (path, body) => {
  const r = await call(portal.url, 'POST', path, { body, token: token ?? null });
  if (r.status !== 200) throw Object.assign(new Error(r.json?.message ?? String(r.status)), { code: r.json?.code, status: r.status });
  return r.json;
};
const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code ?? String(e));
const p12 = (c: ReturnType<typeof pki.issue>) => ({ kind: 'pkcs12' as const, file: pki.p12(c, 'Qwerty12'), password: 'Qwerty12' });

beforeAll(async () => {
  clock = new MovableClock(systemClock);
  portal = await startTestPortal({ clock, eds: { anchors: [{ der: pki.root.der, kind: 'test' }] } });
  const token = await signIn(portal.url, 'organizer');
  iin = (await call(portal.url, 'GET', '/api/me', { token })).json.iin as string;
  const person = { commonName: 'СЕРІКОВ ДАНИЯР', surname: 'СЕРІКОВ', iin, locality: 'АСТАНА' };
  certs = {
    auth: pki.issue({ subject: person, kind: 'auth', roles: [KZ_EKU.individual] }),
    sign: pki.issue({ subject: person, kind: 'sign', roles: [KZ_EKU.individual] }),
    expired: pki.issue({ subject: person, kind: 'auth', notBefore: new Date(Date.now() - 400 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) }),
    stranger: pki.issue({ subject: { commonName: 'БӨТЕН АДАМ', iin: '850722400563' }, kind: 'auth' }),
    foreignRoot: selfSignedAuth(iin),
  };
  const key = (c: typeof certs.auth) => ({ storage: 'PKCS12', certDer: c.der, keyPem: c.keyPem, chainDer: [pki.root.der] });
  sim = await startNcaLayerSimulator({ keys: [key(certs.sign), key(certs.auth), key(certs.stranger)] });
  nca = new NcaLayerClient({ url: sim.url, ca: sim.caPem });
});
afterAll(async () => {
  nca.close();
  await sim.close();
  await portal.cleanup();
  pki.cleanup();
});

describe('EDS sign-in on the portal', () => {
  it('issues challenges naming the portal origin, valid for 5 minutes', async () => {
    const ch = (await post()('/api/auth/eds/challenge', { use: 'sign-in' })) as { challenge: string; expiresAt: string };
    const text = JSON.parse(ch.challenge) as { origin: string; purpose: string; nonce: string; issuedAt: string };
    expect(text.origin).toBe(new URL(portal.url).origin);
    expect(text.purpose).toBe('seriktes-eds-sign-in');
    expect(Date.parse(ch.expiresAt) - Date.parse(text.issuedAt)).toBe(5 * 60_000);
    const again = (await post()('/api/auth/eds/challenge', { use: 'sign-in' })) as { challenge: string };
    expect(JSON.parse(again.challenge).nonce).not.toBe(text.nonce);
  });

  it('an unlinked certificate cannot sign in; linking needs a session; then the AUTH key signs in (NCALayer)', async () => {
    const viaNca = { kind: 'ncalayer' as const, client: nca, locale: 'kk' as const };
    sim.script({ kind: 'choose', pick: (_k, f) => f.subject.iin === iin && f.purpose === 'AUTH' });
    expect(await codeOf(post()('/api/auth/eds/sign-in', await edsProof(post(), portal.url, viaNca, new Date())))).toBe('eds_not_linked');
    const anon = await call(portal.url, 'POST', '/api/me/eds/link', { body: { challengeId: '00000000-0000-4000-8000-000000000000', cms: 'AAAA' } });
    expect(anon.status).toBe(401);

    const token = await signIn(portal.url, 'organizer');
    sim.script({ kind: 'choose', pick: (_k, f) => f.subject.iin === iin && f.purpose === 'AUTH' });
    const link = (await post(token)('/api/me/eds/link', await edsProof(post(token), portal.url, viaNca, new Date(), 'link'))) as { iin: string };
    expect(link.iin).toBe(iin);
    const links = await call(portal.url, 'GET', '/api/me/eds', { token });
    expect(links.json.links.map((l: { iin: string }) => l.iin)).toEqual([iin]);
    // The NCALayer request asked for an AUTH key.
    const req = sim.requests.at(-1) as { args: { signerParams: { extKeyUsageOids: string[] } } };
    expect(req.args.signerParams.extKeyUsageOids).toEqual(['1.3.6.1.5.5.7.3.2']);

    sim.script({ kind: 'choose', pick: (_k, f) => f.subject.iin === iin && f.purpose === 'AUTH' });
    const session = (await post()('/api/auth/eds/sign-in', await edsProof(post(), portal.url, viaNca, new Date()))) as { token: string; user: { email: string } };
    expect(session.user.email).toBe('organizer@demo.seriktes.kz');
    const me = await call(portal.url, 'GET', '/api/me', { token: session.token });
    expect(me.status).toBe(200);
    // Linking another person's certificate to this account is refused.
    sim.script({ kind: 'choose', pick: (_k, f) => f.subject.iin === '850722400563' });
    expect(await codeOf(post(token)('/api/me/eds/link', await edsProof(post(token), portal.url, viaNca, new Date(), 'link')))).toBe('eds_iin_mismatch');
  });

  it('a local .p12 AUTH key signs in too; the password is used only for the call', async () => {
    const s = (await post()('/api/auth/eds/sign-in', await edsProof(post(), portal.url, p12(certs.auth), new Date()))) as { user: { email: string } };
    expect(s.user.email).toBe('organizer@demo.seriktes.kz');
  });

  it('a replayed challenge is refused, even with a valid signature', async () => {
    const proof = await edsProof(post(), portal.url, p12(certs.auth), new Date());
    expect(await codeOf(post()('/api/auth/eds/sign-in', proof))).toBe('ok');
    expect(await codeOf(post()('/api/auth/eds/sign-in', proof))).toBe('eds_challenge_invalid');
  });

  it('a sign-in challenge cannot link, and a link challenge cannot sign in', async () => {
    const token = await signIn(portal.url, 'organizer');
    expect(await codeOf(post(token)('/api/me/eds/link', await edsProof(post(token), portal.url, p12(certs.auth), new Date(), 'sign-in')))).toBe('eds_challenge_invalid');
    expect(await codeOf(post()('/api/auth/eds/sign-in', await edsProof(post(), portal.url, p12(certs.auth), new Date(), 'link')))).toBe('eds_challenge_invalid');
  });

  it('an expired challenge (portal clock + 5 min) is refused', async () => {
    const proof = await edsProof(post(), portal.url, p12(certs.auth), new Date());
    clock.advance(5 * 60_000 + 1000);
    try {
      expect(await codeOf(post()('/api/auth/eds/sign-in', proof))).toBe('eds_challenge_invalid');
    } finally {
      clock.advance(-(5 * 60_000 + 1000));
    }
  });

  /** A CMS made directly (bypassing the app's own checks) with any certificate. */
  async function forged(c: ReturnType<typeof pki.issue>, mutate?: (text: string) => string) {
    const ch = (await post()('/api/auth/eds/challenge', { use: 'sign-in' })) as { challengeId: string; challenge: string };
    const text = mutate ? mutate(ch.challenge) : ch.challenge;
    const pkcs8 = new Uint8Array(createPrivateKey(c.keyPem).export({ type: 'pkcs8', format: 'der' }));
    const cms = await createDetachedCms({
      contentDigest: new Uint8Array(createHash('sha256').update(text).digest()),
      certificate: c.der,
      signer: await localRsaSigner(pkcs8),
      signingTime: new Date(),
    });
    return { challengeId: ch.challengeId, cms: Buffer.from(cms).toString('base64') };
  }

  it('a SIGN key is refused (by the app before sending, and by the portal)', async () => {
    expect(await codeOf(edsProof(post(), portal.url, p12(certs.sign), new Date()))).toBe('cert_sign_key_for_auth');
    expect(await codeOf(post()('/api/auth/eds/sign-in', await forged(certs.sign)))).toBe('cert_sign_key_for_auth');
  });

  it('an expired AUTH key is refused (by the app and by the portal)', async () => {
    expect(await codeOf(edsProof(post(), portal.url, p12(certs.expired), new Date()))).toBe('cert_expired');
    expect(await codeOf(post()('/api/auth/eds/sign-in', await forged(certs.expired)))).toBe('cert_expired');
  });

  it('a certificate from an untrusted root, a signature over other bytes, and an unlinked person are refused', async () => {
    expect(await codeOf(post()('/api/auth/eds/sign-in', await forged(certs.foreignRoot)))).toBe('eds_certificate_rejected');
    expect(await codeOf(post()('/api/auth/eds/sign-in', await forged(certs.auth, (t) => t.replace('"nonce":"', '"nonce":"x'))))).toBe('signature_invalid');
    expect(await codeOf(post()('/api/auth/eds/sign-in', await forged(certs.stranger)))).toBe('eds_not_linked');
    expect(await codeOf(post()('/api/auth/eds/sign-in', { challengeId: '00000000-0000-4000-8000-000000000000', cms: 'AAAA' }))).toBe('eds_challenge_invalid');
  });

  it('the app refuses to sign a challenge naming another origin', async () => {
    expect(await codeOf(edsProof(post(), 'http://portal.example.kz', p12(certs.auth), new Date()))).toBe('eds_challenge_invalid');
    // signChallenge itself signs whatever it is given: the origin check lives in fetchChallenge.
    expect((await signChallenge('x', p12(certs.auth), new Date())).length).toBeGreaterThan(500);
  });
});

describe('EDS sign-in with revocation checking configured', () => {
  it('a good certificate signs in; a revoked one and one the responder does not know are refused', async () => {
    const { startRevocationServer } = await import('../signing/helpers/services');
    const { onlineRevocation } = await import('../../src-portal/auth-eds/trust');
    const rev = await startRevocationServer(pki);
    const strict = await startTestPortal({ eds: { anchors: [{ der: pki.root.der, kind: 'test' }], revocation: onlineRevocation } });
    try {
      const person = { commonName: 'СЕРІКОВ ДАНИЯР', iin };
      const good = pki.issue({ subject: person, kind: 'auth', ocspUrl: rev.ocspUrl });
      const revoked = pki.issue({ subject: person, kind: 'auth', ocspUrl: rev.ocspUrl });
      const unknown = pki.issue({ subject: person, kind: 'auth', ocspUrl: rev.ocspUrl });
      rev.issued.push(good.serialHex, revoked.serialHex);
      rev.revoked.push({ serialHex: revoked.serialHex, revokedAt: new Date(Date.now() - 3600_000) });
      const postTo = (token?: string): PortalPost => async (path, body) => {
        const r = await call(strict.url, 'POST', path, { body, token: token ?? null });
        if (r.status !== 200) throw Object.assign(new Error(r.json?.message ?? String(r.status)), { code: r.json?.code, details: r.json?.details });
        return r.json;
      };
      const token = await signIn(strict.url, 'organizer');
      await postTo(token)('/api/me/eds/link', await edsProof(postTo(token), strict.url, p12(good), new Date(), 'link'));
      const s = (await postTo()('/api/auth/eds/sign-in', await edsProof(postTo(), strict.url, p12(good), new Date()))) as { user: { email: string } };
      expect(s.user.email).toBe('organizer@demo.seriktes.kz');
      const refused = (await postTo()('/api/auth/eds/sign-in', await edsProof(postTo(), strict.url, p12(revoked), new Date())).catch((e) => e)) as { code: string; details: { reason: string } };
      expect(refused.code).toBe('eds_certificate_rejected');
      expect(refused.details.reason).toBe('revocation_revoked');
      const unsure = (await postTo()('/api/auth/eds/sign-in', await edsProof(postTo(), strict.url, p12(unknown), new Date())).catch((e) => e)) as { code: string; details: { reason: string } };
      expect(unsure.code).toBe('eds_certificate_rejected');
      expect(unsure.details.reason).toBe('revocation_unknown');
      expect(rev.requests).toBeGreaterThanOrEqual(4);
    } finally {
      await strict.cleanup();
      await rev.close();
    }
  });
});

describe('EDS challenges behind a TLS proxy', () => {
  it('name the configured public origin; the app checks it against its own portal URL', async () => {
    const proxied = await startTestPortal({ eds: { anchors: [{ der: pki.root.der, kind: 'test' }], publicOrigin: 'https://portal.example.kz' } });
    try {
      const postTo: PortalPost = async (path, body) => {
        const r = await call(proxied.url, 'POST', path, { body });
        if (r.status !== 200) throw Object.assign(new Error(String(r.status)), { code: r.json?.code });
        return r.json;
      };
      const ch = (await postTo('/api/auth/eds/challenge', { use: 'sign-in' })) as { challenge: string };
      expect(JSON.parse(ch.challenge).origin).toBe('https://portal.example.kz');
      // An app configured with the direct URL refuses; one configured with the public URL proceeds (and the portal accepts the origin).
      expect(await codeOf(edsProof(postTo, proxied.url, p12(certs.auth), new Date()))).toBe('eds_challenge_invalid');
      expect(await codeOf(postTo('/api/auth/eds/sign-in', await edsProof(postTo, 'https://portal.example.kz/', p12(certs.auth), new Date())))).toBe('eds_not_linked');
    } finally {
      await proxied.cleanup();
    }
  });
});
