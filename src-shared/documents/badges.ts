/**
 * Badges and signer summaries from a verification report — computed once, here, so the app's
 * screens, the CLI and the portal's /verify page say the same thing about the same file.
 */
import type { CertificateFacts } from '../signing/cert-facts';
import type { SignatureReport, VerificationReport } from '../signing/report';
import type { DocumentLock } from './lock';
import type { Badge, CertificateSummary, SignerSummary } from './model';

export function certificateSummary(f: CertificateFacts, test = false): CertificateSummary {
  const s = f.subject;
  const fullName = [s.surname, s.commonName && s.surname && s.commonName.startsWith(s.surname) ? s.commonName.slice(s.surname.length).trim() : s.commonName, s.patronymic]
    .filter((x): x is string => !!x && x.length > 0);
  const owner = s.surname ? [...new Set(fullName)].join(' ') : s.commonName ?? s.dn;
  return {
    owner,
    ...(s.iin ? { iin: s.iin } : {}),
    ...(s.bin ? { bin: s.bin } : {}),
    ...(s.organization ? { organization: s.organization } : {}),
    roles: [...f.roles],
    purpose: f.purpose,
    algorithm: f.algorithm,
    issuer: f.issuer.commonName ?? f.issuer.dn,
    notBefore: f.notBefore,
    notAfter: f.notAfter,
    serialNumberHex: f.serialNumberHex,
    test,
  };
}

const signedUnderTest = (s: SignatureReport): boolean => s.chain.anchorKind === 'test';

export function signerSummaries(report: VerificationReport | null): SignerSummary[] {
  return (report?.signatures ?? []).map((s) => ({
    index: s.index,
    certificate: s.signer ? certificateSummary(s.signer, signedUnderTest(s)) : null,
    verdict: s.verdict,
    reasons: [...s.reasons],
    digestAlgorithm: s.digestAlgorithm,
    ...(s.claimedSigningTime ? { claimedTime: s.claimedSigningTime } : {}),
    ...(s.signingTime ? { timestampTime: s.signingTime } : {}),
    timestamped: s.timestamp?.status === 'valid',
  }));
}

/** Badges in display order: the state of the bytes first, then the facts about the signers. */
export function documentBadges(report: VerificationReport | null, lock: DocumentLock, extra: { stamped?: boolean } = {}): Badge[] {
  const out: Badge[] = [];
  const sigs = report?.signatures ?? [];
  if (lock.state === 'modified_after_signing') out.push('modified_after_signing');
  else if (lock.state === 'signature_invalid') out.push('signature_invalid');
  if (sigs.length === 0) out.push('unsigned');
  else out.push(sigs.length > 1 ? 'co_signed' : 'signed');
  if (sigs.length > 0 && sigs.every((s) => s.timestamp?.status === 'valid')) out.push('timestamped');
  if (sigs.some((s) => s.validityNow === 'expired' || s.validityAtSigning === 'expired')) out.push('cert_expired');
  if (sigs.some((s) => s.revocation.status === 'revoked' || s.revocation.status === 'revoked_after_signing')) out.push('cert_revoked');
  if (sigs.some(signedUnderTest)) out.push('test_root');
  else if (sigs.some((s) => s.chain.status !== 'trusted')) out.push('untrusted');
  if (extra.stamped) out.push('stamped');
  return out;
}
