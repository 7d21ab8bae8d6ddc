/**
 * The app's half of EDS sign-in: fetch a challenge from the portal, check it
 * names our portal, sign its exact bytes with an AUTH key (through NCALayer or
 * from a local .p12 whose password lives only for this call), and hand the CMS
 * back. The portal does the real verification; the checks here only make sure
 * a wrong key is reported clearly before anything is sent.
 */
import { createHash } from 'node:crypto';
import { AppError } from '../../src-shared/rpc/errors';
import { checkChallengeText, originOf, EdsChallengeSchema, type EdsChallenge, type EdsChallengeUse } from '../../src-shared/ncalayer/eds-auth';
import { createDetachedCms, localRsaSigner } from '../../src-shared/signing/cms-build';
import { openPkcs12 } from '../../src-shared/signing/pkcs12';
import { validityAt } from '../../src-shared/signing/cert-facts';
import { digestBytes } from '../../src-shared/signing/digest';
import type { NcaLayerClient, CallOptions } from './client';
import { checkReturnedCms, ncaSignCms } from './sign';
import type { NcaLocale, StorageName } from './protocol';

/** What the portal client needs: one unauthenticated (or authenticated) POST. */
export type PortalPost = (path: string, body: unknown) => Promise<unknown>;

export async function fetchChallenge(post: PortalPost, portalUrl: string, now: Date, use: EdsChallengeUse): Promise<EdsChallenge> {
  const ch = EdsChallengeSchema.parse(await post('/api/auth/eds/challenge', { use }));
  if (!checkChallengeText(ch.challenge, originOf(portalUrl), now, use)) {
    // Never sign a challenge that names another site or is stale: it could be a relayed login.
    throw new AppError('eds_challenge_invalid', 'The challenge does not name this portal or has expired');
  }
  return ch;
}

export type EdsKeySource =
  | { kind: 'ncalayer'; client: NcaLayerClient; storages?: StorageName[] | null; locale?: NcaLocale; call?: CallOptions }
  | { kind: 'pkcs12'; file: Uint8Array; password: string };

/** Signs the challenge text; returns DER CMS. */
export async function signChallenge(challenge: string, source: EdsKeySource, now: Date): Promise<Uint8Array> {
  const bytes = new TextEncoder().encode(challenge);
  if (source.kind === 'ncalayer') {
    const cms = await ncaSignCms(source.client, {
      data: bytes,
      purpose: 'auth',
      attached: false,
      ...(source.storages !== undefined ? { storages: source.storages } : {}),
      ...(source.locale ? { locale: source.locale } : {}),
      ...(source.call ? { call: source.call } : {}),
    });
    await checkReturnedCms(cms, (oid) => digestBytes(oid, bytes), { purpose: 'auth', now });
    return cms;
  }
  const store = openPkcs12(source.file, source.password);
  try {
    if (store.facts.purpose === 'SIGN') throw new AppError('cert_sign_key_for_auth', 'A signing key cannot be used to sign in');
    const v = validityAt(store.facts, now);
    if (v === 'expired') throw new AppError('cert_expired', 'The certificate has expired', { notAfter: store.facts.notAfter });
    if (v === 'not_yet_valid') throw new AppError('cert_not_yet_valid', 'The certificate is not valid yet', { notBefore: store.facts.notBefore });
    if (store.key.kind !== 'rsa') throw new AppError('key_gost_container', 'GOST keys sign through NCALayer');
    return await createDetachedCms({
      contentDigest: new Uint8Array(createHash('sha256').update(bytes).digest()),
      certificate: store.certificate,
      chain: store.chain,
      signer: await localRsaSigner(store.key.pkcs8),
      signingTime: now,
    });
  } finally {
    store.dispose();
  }
}

/** Challenge → signature → the proof body the portal expects. */
export async function edsProof(post: PortalPost, portalUrl: string, source: EdsKeySource, now: Date, use: EdsChallengeUse = 'sign-in'): Promise<{ challengeId: string; cms: string }> {
  const ch = await fetchChallenge(post, portalUrl, now, use);
  const cms = await signChallenge(ch.challenge, source, now);
  return { challengeId: ch.challengeId, cms: Buffer.from(cms).toString('base64') };
}
