/**
 * Checks a sign-in CMS with the shared verifier and applies the sign-in policy:
 * exactly one signer, signature over this challenge, an AUTH certificate
 * (clientAuth), valid now, chaining to a configured root, not revoked when
 * revocation checking is on, and carrying an IIN.
 */
import type * as asn1js from 'asn1js';
import { AppError } from '../../src-shared/rpc/errors';
import { parseSignedData } from '../../src-shared/signing/cms-build';
import { digestBytes } from '../../src-shared/signing/digest';
import { equalBytes } from '../../src-shared/signing/bytes';
import { verifyCmsSigners } from '../../src-shared/signing/verify-cms';
import { OID } from '../../src-shared/signing/oids';
import type { CertificateFacts } from '../../src-shared/signing/cert-facts';
import type { EdsTrust } from './trust';

function encapsulatedContent(cms: Uint8Array): Uint8Array | undefined {
  const e = parseSignedData(cms).encapContentInfo.eContent;
  if (!e) return undefined;
  if (e.idBlock.isConstructed) return new Uint8Array((e.valueBlock.value as asn1js.OctetString[]).flatMap((p) => Array.from(p.valueBlock.valueHexView)));
  return new Uint8Array(e.valueBlock.valueHexView);
}

export async function verifyEdsProof(cms: Uint8Array, challengeText: string, trust: EdsTrust, now: Date): Promise<CertificateFacts> {
  const challenge = new TextEncoder().encode(challengeText);
  let reports;
  try {
    const attached = encapsulatedContent(cms);
    // An attached CMS must carry exactly the challenge; a detached one is checked against it.
    if (attached && !equalBytes(attached, challenge)) throw new AppError('signature_invalid', 'The CMS carries other content than the challenge');
    reports = await verifyCmsSigners(cms, (oid) => digestBytes(oid, challenge), {
      anchors: trust.anchors,
      now,
      ...(trust.revocation ? { revocation: trust.revocation } : {}),
    });
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('signature_invalid', 'The CMS cannot be read');
  }
  if (reports.length !== 1) throw new AppError('signature_invalid', 'Exactly one signature is expected', { signers: reports.length });
  const r = reports[0]!;
  if (r.integrity !== 'ok' || r.signingCertificateV2 === 'mismatch' || !r.signer) {
    throw new AppError('signature_invalid', 'The signature does not verify over the challenge', { integrity: r.integrity });
  }
  const facts = r.signer;
  if (!facts.extendedKeyUsage.includes(OID.ekuClientAuth)) throw new AppError('cert_sign_key_for_auth', 'Sign in with an authentication (AUTH) key');
  if (r.validityNow === 'expired') throw new AppError('cert_expired', 'The certificate has expired', { notAfter: facts.notAfter });
  if (r.validityNow !== 'valid') throw new AppError('cert_not_yet_valid', 'The certificate is not valid yet', { notBefore: facts.notBefore });
  if (r.chain.status !== 'trusted') throw new AppError('eds_certificate_rejected', 'The certificate does not chain to a trusted root', { reason: 'chain_' + r.chain.status });
  if (trust.revocation && r.revocation.status !== 'good') {
    throw new AppError('eds_certificate_rejected', 'The certificate is revoked or its status is unknown', { reason: 'revocation_' + r.revocation.status });
  }
  if (!facts.subject.iin) throw new AppError('eds_certificate_rejected', 'The certificate carries no IIN', { reason: 'no_iin' });
  return facts;
}
