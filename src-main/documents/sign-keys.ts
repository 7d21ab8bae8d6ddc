/**
 * Opening a key for document signing: a local .p12 (decrypted in memory, the private key imported
 * as a non-extractable WebCrypto key) or a key in NCALayer (its certificate read through NCALayer's
 * own dialog, so the user sees who will sign before anything is signed).
 */
import { AppError } from '../../src-shared/rpc/errors';
import * as pkijs from 'pkijs';
import { certificateDer, certificateFacts, parseCertificate, validityAt, type CertificateFacts } from '../../src-shared/signing/cert-facts';
import { assertKeyStrongEnough } from '../../src-shared/signing/key-strength';
import { buildChain } from '../../src-shared/signing/chain';
import { certificateSummary } from '../../src-shared/documents/badges';
import type { CertificateSummary } from '../../src-shared/documents/model';
import { identityFromPkcs12, type SigningIdentity } from '../signing/sign-file';
import { anchorsFromFolder, testRootDirs } from '../signing/trust-store';
import type { CallOptions, NcaLayerClient } from '../ncalayer/client';
import { checkReturnedCms, ncaSignCms } from '../ncalayer/sign';
import { HARDWARE_STORAGES, STORAGES, cmsFromText, type NcaLocale, type StorageName } from '../ncalayer/protocol';
import { digestBytes } from '../../src-shared/signing/digest';
import { parseSignedData } from '../../src-shared/signing/cms-build';

/** What a key session holds. */
export type SessionKey =
  | { kind: 'local'; identity: SigningIdentity; facts: CertificateFacts }
  | { kind: 'ncalayer'; client: () => NcaLayerClient; storage: StorageName; certificate: Uint8Array; facts: CertificateFacts; locale: NcaLocale };

const AUTH_HINT = 'This is an authentication key (AUTH_RSA256_… / AUTH_GOST…): choose the signing key (RSA256_… / GOSTKNCA_…)';

/** The checks a signing key must pass, whichever way it was opened; AUTH keys get a hint about the file names. */
export function assertSigningKey(facts: CertificateFacts, now: Date): void {
  if (facts.purpose === 'AUTH') throw new AppError('cert_auth_key_for_signing', AUTH_HINT);
  const v = validityAt(facts, now);
  if (v === 'expired') throw new AppError('cert_expired', 'The certificate has expired', { notAfter: facts.notAfter });
  if (v === 'not_yet_valid') throw new AppError('cert_not_yet_valid', 'The certificate is not valid yet', { notBefore: facts.notBefore });
  assertKeyStrongEnough(facts);
}

/** Opens a .p12 held in memory; the caller wipes `p12` afterwards. */
export async function openLocalKey(p12: Uint8Array, password: string, now: Date): Promise<SessionKey> {
  try {
    const identity = await identityFromPkcs12(p12, password, now);
    return { kind: 'local', identity, facts: identity.facts };
  } catch (e) {
    if (e instanceof AppError && e.code === 'cert_auth_key_for_signing') throw new AppError('cert_auth_key_for_signing', AUTH_HINT);
    throw e;
  }
}

/** 'any' lets NCALayer's dialog choose, but getKeyInfo needs a storage: a plugged-in token, else key files. */
async function storageFor(client: NcaLayerClient, allowed: StorageName[] | null, call: CallOptions): Promise<StorageName> {
  if (allowed?.length === 1) return allowed[0]!;
  const active = await client.getActiveTokens(call).catch(() => [] as string[]);
  const usable = active.filter((s): s is StorageName => HARDWARE_STORAGES.includes(s as StorageName) && (!allowed || allowed.includes(s as StorageName)));
  return usable[0] ?? allowed?.[0] ?? STORAGES.file;
}

/**
 * Asks NCALayer which key the user means: `getKeyInfo` shows NCALayer's key dialog and returns the
 * certificate. NCALayer builds (or KAZTOKEN) without it get a small signature through `basics.sign`
 * instead, and the certificate is taken from that (verified) CMS.
 */
export async function openNcaLayerKey(client: () => NcaLayerClient, allowed: StorageName[] | null, locale: NcaLocale, now: Date, call: CallOptions = {}): Promise<SessionKey> {
  const c = client();
  const storage = await storageFor(c, allowed, call);
  let certificate: Uint8Array;
  try {
    const info = await c.getKeyInfo(storage, call);
    if (!info.pem) throw new AppError('ncalayer_error', 'NCALayer did not return the certificate of the key', { code: 'NO_CERTIFICATE' });
    certificate = cmsFromText(info.pem);
  } catch (e) {
    // Cancel, not running, timeouts: the user's answer or a clear failure, no second dialog.
    if (!(e instanceof AppError) || e.code !== 'ncalayer_error') throw e;
    certificate = await certificateBySigning(c, storage, locale, now, call);
  }
  const facts = certificateFacts(parseCertificate(certificate));
  assertSigningKey(facts, now);
  return { kind: 'ncalayer', client, storage, certificate, facts, locale };
}

async function certificateBySigning(c: NcaLayerClient, storage: StorageName, locale: NcaLocale, now: Date, call: CallOptions): Promise<Uint8Array> {
  const probe = new TextEncoder().encode(`Seriktes key check ${now.toISOString()}`);
  const cms = await ncaSignCms(c, { data: probe, purpose: 'sign', storages: [storage], locale, call });
  const signer = await checkReturnedCms(cms, (oid) => digestBytes(oid, probe), { purpose: 'sign', now });
  const mine = (parseSignedData(cms).certificates ?? [])
    .filter((x): x is pkijs.Certificate => x instanceof pkijs.Certificate)
    .find((x) => certificateFacts(x).serialNumberHex === signer.serialNumberHex);
  if (!mine) throw new AppError('ncalayer_error', 'NCALayer did not return the certificate of the key', { code: 'NO_CERTIFICATE' });
  return certificateDer(mine);
}

/** Whether the certificate chains to the NCA RK TEST CAs (the same anchors `--trust-test-roots` uses). */
export async function issuedUnderTestRoots(certificate: Uint8Array, chain: Uint8Array[], now: Date): Promise<boolean> {
  const anchors = testRootDirs().flatMap((d) => anchorsFromFolder(d, 'test', true));
  if (anchors.length === 0) return false;
  try {
    const r = await buildChain(parseCertificate(certificate), { anchors, intermediates: chain.map((d) => parseCertificate(d)), at: now });
    // An expired test chain is still a test chain: only the anchor's kind matters here.
    return r.anchorKind === 'test';
  } catch {
    return false;
  }
}

export async function summaryOf(key: SessionKey, now: Date): Promise<CertificateSummary> {
  const cert = key.kind === 'local' ? key.identity.certificate : key.certificate;
  const chain = key.kind === 'local' ? key.identity.chain : [];
  return certificateSummary(key.facts, await issuedUnderTestRoots(cert, chain, now));
}
