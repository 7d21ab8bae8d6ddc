/**
 * Verifies every SignerInfo of a CMS SignedData (detached content given as a
 * digester, so big files are hashed by the caller as streams) and produces the
 * report data: integrity, signer, timestamp, chain, revocation, expected IIN/BIN.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { equalBytes } from './bytes';
import { certificateFacts, parseCertificate, validityAt } from './cert-facts';
import { buildChain, type TrustAnchor } from './chain';
import { parseSignedData } from './cms-build';
import { encode } from './der';
import { digestBytes, type ContentDigester } from './digest';
import { OID } from './oids';
import { checkRevocation, type RevocationCheck, type RevocationTransport } from './revocation';
import { combineVerdicts, verdictOf, type ReasonCode, type SignatureReport, type TimestampReport, type VerificationReport } from './report';
import { verifyRawSignature } from './signature-math';
import { tstFacts, tstInfoOfToken } from './tsp';

export interface VerifyOptions {
  anchors: TrustAnchor[];
  /** Extra intermediate CA certificates (besides those inside the CMS). */
  intermediates?: Uint8Array[];
  now?: Date;
  /** Network for OCSP/CRL; absent = offline (never a plain "valid"). */
  revocation?: RevocationTransport;
  expectedIin?: string;
  expectedBin?: string;
}

interface SignerCheck {
  integrity: SignatureReport['integrity'];
  cert?: pkijs.Certificate;
  digestOid: string;
  signatureOid: string;
  ess: SignatureReport['signingCertificateV2'];
  claimedTime?: Date;
}

const certsOf = (sd: pkijs.SignedData): pkijs.Certificate[] =>
  (sd.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);

function findSignerCert(si: pkijs.SignerInfo, pool: pkijs.Certificate[]): pkijs.Certificate | undefined {
  if (si.sid instanceof pkijs.IssuerAndSerialNumber) {
    const issuer = encode(si.sid.issuer.toSchema());
    const serial = new Uint8Array(si.sid.serialNumber.valueBlock.valueHexView);
    return pool.find(
      (c) => equalBytes(encode(c.issuer.toSchema()), issuer) && equalBytes(new Uint8Array(c.serialNumber.valueBlock.valueHexView), serial),
    );
  }
  const ski = si.sid as asn1js.Primitive | undefined;
  const want = ski?.valueBlock?.valueHexView;
  if (!want) return undefined;
  const wantHex = Array.from(want, (b) => b.toString(16).padStart(2, '0')).join('');
  return pool.find((c) => certificateFacts(c).subjectKeyIdHex === wantHex);
}

function attr(si: pkijs.SignerInfo, oid: string, unsigned = false): asn1js.AsnType | undefined {
  const list = unsigned ? si.unsignedAttrs?.attributes : si.signedAttrs?.attributes;
  return list?.find((a) => a.type === oid)?.values[0];
}

async function essCheck(si: pkijs.SignerInfo, cert: pkijs.Certificate): Promise<SignatureReport['signingCertificateV2']> {
  const v2 = attr(si, OID.attrSigningCertificateV2) as asn1js.Sequence | undefined;
  const v1 = attr(si, OID.attrSigningCertificate) as asn1js.Sequence | undefined;
  const certDer = encode(cert.toSchema());
  try {
    if (v2) {
      const first = (v2.valueBlock.value[0] as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence;
      const parts = first.valueBlock.value;
      let hashOid: string = OID.sha256;
      let hashIdx = 0;
      if (parts[0] instanceof asn1js.Sequence) {
        hashOid = new pkijs.AlgorithmIdentifier({ schema: parts[0] }).algorithmId;
        hashIdx = 1;
      }
      const want = new Uint8Array((parts[hashIdx] as asn1js.OctetString).valueBlock.valueHexView);
      return equalBytes(await digestBytes(hashOid, certDer), want) ? 'ok' : 'mismatch';
    }
    if (v1) {
      const first = (v1.valueBlock.value[0] as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence;
      const want = new Uint8Array((first.valueBlock.value[0] as asn1js.OctetString).valueBlock.valueHexView);
      return equalBytes(await digestBytes(OID.sha1, certDer), want) ? 'ok' : 'mismatch';
    }
  } catch {
    return 'mismatch';
  }
  return 'absent';
}

async function checkSignerInfo(si: pkijs.SignerInfo, pool: pkijs.Certificate[], content: ContentDigester, eContentType: string): Promise<SignerCheck> {
  const digestOid = si.digestAlgorithm.algorithmId;
  const signatureOid = si.signatureAlgorithm.algorithmId;
  const base = { digestOid, signatureOid, ess: 'absent' as const };
  const cert = findSignerCert(si, pool);
  if (!cert) return { ...base, integrity: 'signer_certificate_missing' };
  const out: SignerCheck = { ...base, cert, integrity: 'ok' };
  const st = attr(si, OID.attrSigningTime) as asn1js.UTCTime | asn1js.GeneralizedTime | undefined;
  if (st && 'toDate' in st) out.claimedTime = st.toDate();
  let contentDigest: Uint8Array;
  try {
    contentDigest = await content(digestOid);
  } catch {
    return { ...out, integrity: 'unsupported_algorithm' };
  }
  if (!si.signedAttrs) return { ...out, integrity: 'unsupported_algorithm' };
  // RFC 5652 §11.1: the signed content-type attribute must name the encapsulated content type.
  const ct = attr(si, OID.attrContentType) as asn1js.ObjectIdentifier | undefined;
  if (!ct || ct.valueBlock.toString() !== eContentType) return { ...out, integrity: 'signature_invalid' };
  const md = attr(si, OID.attrMessageDigest) as asn1js.OctetString | undefined;
  if (!md || !equalBytes(new Uint8Array(md.valueBlock.valueHexView), contentDigest)) return { ...out, integrity: 'digest_mismatch' };
  const math = await verifyRawSignature({
    spkiDer: encode(cert.subjectPublicKeyInfo.toSchema()),
    publicKeyOid: cert.subjectPublicKeyInfo.algorithm.algorithmId,
    signatureAlgorithmOid: signatureOid,
    digestOid,
    data: new Uint8Array(si.signedAttrs.encodedValue),
    signature: new Uint8Array(si.signature.valueBlock.valueHexView),
  });
  out.ess = await essCheck(si, cert);
  if (math === 'bad') return { ...out, integrity: 'signature_invalid' };
  if (math === 'unsupported') return { ...out, integrity: 'unsupported_algorithm' };
  return out;
}

async function verifyTimestamp(
  tokenDer: Uint8Array,
  signatureValue: Uint8Array,
  o: VerifyOptions,
): Promise<{ report: TimestampReport; genTime?: Date }> {
  const problems: string[] = [];
  let parsed: ReturnType<typeof tstInfoOfToken>;
  try {
    parsed = tstInfoOfToken(tokenDer);
  } catch {
    return { report: { status: 'invalid', problems: ['timestamp_unreadable'] } };
  }
  const facts = tstFacts(parsed.tst);
  const imprint = await digestBytes(facts.imprintAlgorithm, signatureValue).catch(() => undefined);
  if (!imprint || !equalBytes(imprint, new Uint8Array(parsed.tst.messageImprint.hashedMessage.valueBlock.valueHexView))) {
    problems.push('timestamp_imprint_mismatch');
  }
  const pool = [...certsOf(parsed.signedData), ...(o.intermediates ?? []).map(parseCertificate), ...o.anchors.map((a) => parseCertificate(a.der))];
  const si = parsed.signedData.signerInfos[0];
  if (!si) return { report: { status: 'invalid', facts, problems: ['timestamp_no_signer'] } };
  const check = await checkSignerInfo(si, pool, (oid) => digestBytes(oid, parsed.tstDer), parsed.signedData.encapContentInfo.eContentType);
  if (check.integrity !== 'ok') problems.push(`timestamp_${check.integrity}`);
  const report: TimestampReport = { status: 'valid', facts, problems };
  if (check.cert) {
    report.tsa = certificateFacts(check.cert);
    if (!report.tsa.extendedKeyUsage.includes(OID.ekuTimeStamping)) problems.push('timestamp_not_tsa_certificate');
    const genTime = new Date(facts.genTime);
    const chain = await buildChain(check.cert, { anchors: o.anchors, intermediates: pool, at: genTime });
    report.chain = chain.links;
    if (!problems.length && chain.status === 'trusted' && o.revocation) {
      // A TSA certificate revoked before the time it vouches for makes the token worthless.
      for (let i = 0; i + 1 < chain.path.length; i++) {
        const c = await checkRevocation(chain.path[i]!, chain.path[i + 1]!, o.revocation);
        (report.revocation ??= []).push(c);
        if (c.status === 'revoked' && (!c.revocationTime || Date.parse(c.revocationTime) <= genTime.getTime())) problems.push('timestamp_tsa_revoked');
      }
    }
    if (problems.length) report.status = 'invalid';
    else if (chain.status === 'trusted') return { report, genTime };
    else {
      report.status = chain.status === 'invalid' ? 'invalid' : 'untrusted';
      problems.push(...chain.problems);
    }
    return { report };
  }
  report.status = 'invalid';
  return { report };
}

/** Verifies every signer of a CMS; `content` digests the (detached or encapsulated) content on demand. */
export async function verifyCmsSigners(cms: Uint8Array, content: ContentDigester | undefined, o: VerifyOptions): Promise<SignatureReport[]> {
  const now = o.now ?? new Date();
  const sd = parseSignedData(cms);
  const digests = new Map<string, Promise<Uint8Array>>();
  const eContent = sd.encapContentInfo.eContent;
  const encapsulated = eContent
    ? eContent.idBlock.isConstructed
      ? new Uint8Array((eContent.valueBlock.value as asn1js.OctetString[]).flatMap((p) => Array.from(p.valueBlock.valueHexView)))
      : new Uint8Array(eContent.valueBlock.valueHexView)
    : undefined;
  const digester: ContentDigester = (oid) => {
    if (!digests.has(oid)) {
      if (encapsulated) digests.set(oid, digestBytes(oid, encapsulated));
      else if (content) digests.set(oid, content(oid));
      else digests.set(oid, Promise.reject(new Error('detached CMS needs its content')));
    }
    return digests.get(oid)!;
  };
  const cmsCerts = certsOf(sd);
  const intermediates = [...cmsCerts, ...(o.intermediates ?? []).map(parseCertificate)];
  const pool = [...intermediates, ...o.anchors.map((a) => parseCertificate(a.der))];
  const reports: SignatureReport[] = [];
  for (const [index, si] of sd.signerInfos.entries()) {
    const check = await checkSignerInfo(si, pool, digester, sd.encapContentInfo.eContentType);
    const reasons: ReasonCode[] = [];
    const report: SignatureReport = {
      index,
      integrity: check.integrity,
      digestAlgorithm: check.digestOid,
      signatureAlgorithm: check.signatureOid,
      signingCertificateV2: check.ess,
      chain: { status: 'untrusted', links: [] },
      revocation: { status: 'not_checked', checks: [] },
      reasons,
      verdict: 'indeterminate',
    };
    if (check.claimedTime) report.claimedSigningTime = check.claimedTime.toISOString();
    if (check.integrity === 'digest_mismatch') reasons.push('digest_mismatch');
    if (check.integrity === 'signature_invalid') reasons.push('signature_invalid');
    if (check.integrity === 'signer_certificate_missing') reasons.push('signer_certificate_missing');
    if (check.integrity === 'unsupported_algorithm') reasons.push('unsupported_algorithm');
    if (check.ess === 'mismatch') reasons.push('signing_certificate_mismatch');

    // Timestamp (CAdES-T / PAdES B-T): the only proof of the signing time.
    let signingTime: Date | undefined;
    const token = attr(si, OID.attrTimeStampToken, true);
    if (token) {
      const ts = await verifyTimestamp(encode(token), new Uint8Array(si.signature.valueBlock.valueHexView), o);
      report.timestamp = ts.report;
      if (ts.genTime) {
        signingTime = ts.genTime;
        report.signingTime = ts.genTime.toISOString();
      } else if (ts.report.status === 'invalid') reasons.push('timestamp_invalid');
      else reasons.push('timestamp_untrusted');
    }

    if (check.cert) {
      const facts = certificateFacts(check.cert);
      report.signer = facts;
      report.purpose = facts.purpose;
      report.validityNow = validityAt(facts, now);
      if (signingTime) report.validityAtSigning = validityAt(facts, signingTime);
      if (facts.purpose === 'AUTH') reasons.push('auth_key_used_for_signing');
      else if (facts.keyUsage.length > 0 && !facts.keyUsage.includes('digitalSignature') && !facts.keyUsage.includes('nonRepudiation')) {
        reasons.push('not_signing_key');
      }
      const at = signingTime ?? now;
      if (signingTime) {
        if (report.validityAtSigning !== 'valid') reasons.push('cert_not_valid_at_signing');
      } else if (report.validityNow !== 'valid') {
        // Without a timestamp nobody can prove the signature was made while the certificate was valid.
        reasons.push(report.validityNow === 'expired' ? 'cert_expired_no_timestamp' : 'cert_not_valid_at_signing');
      }
      const chain = await buildChain(check.cert, { anchors: o.anchors, intermediates, at });
      report.chain = { status: chain.status, links: chain.links, ...(chain.anchorKind ? { anchorKind: chain.anchorKind } : {}) };
      if (chain.status === 'invalid') {
        if (chain.problems.includes('chain_signature_invalid')) reasons.push('chain_signature_invalid');
        // Outside a validity period: proven (timestamp) → invalid; only "now" without a timestamp → cannot decide.
        else if (signingTime || chain.problems.includes('chain_cert_not_yet_valid')) reasons.push('cert_not_valid_at_signing');
        else reasons.push('cert_expired_no_timestamp');
      } else if (chain.status === 'untrusted') {
        reasons.push(chain.problems.includes('chain_algorithm_unsupported') ? 'chain_algorithm_unsupported' : 'chain_untrusted');
      }

      // Revocation of every non-anchor certificate on a trusted path.
      if (chain.status === 'trusted') {
        const checks: RevocationCheck[] = [];
        for (let i = 0; i + 1 < chain.path.length; i++) {
          checks.push(await checkRevocation(chain.path[i]!, chain.path[i + 1]!, o.revocation));
        }
        report.revocation.checks = checks;
        if (!o.revocation) report.revocation.status = 'not_checked';
        else {
          const revoked = checks.filter((c) => c.status === 'revoked');
          const before = revoked.filter((c) => !c.revocationTime || !signingTime || Date.parse(c.revocationTime) <= signingTime.getTime());
          if (before.length) report.revocation.status = 'revoked';
          else if (revoked.length) report.revocation.status = 'revoked_after_signing';
          else if (checks.some((c) => c.status !== 'good')) report.revocation.status = 'unknown';
          else report.revocation.status = 'good';
        }
        if (report.revocation.status === 'revoked') reasons.push('revoked_before_signing');
        if (report.revocation.status === 'unknown') reasons.push('revocation_unknown');
        if (report.revocation.status === 'not_checked') reasons.push('revocation_not_checked');
      } else if (!o.revocation) {
        reasons.push('revocation_not_checked');
      }

      const expected: NonNullable<SignatureReport['expected']> = {};
      if (o.expectedIin) {
        expected.iin = { expected: o.expectedIin, match: facts.subject.iin === o.expectedIin, ...(facts.subject.iin ? { actual: facts.subject.iin } : {}) };
        if (!expected.iin.match) reasons.push('iin_mismatch');
      }
      if (o.expectedBin) {
        expected.bin = { expected: o.expectedBin, match: facts.subject.bin === o.expectedBin, ...(facts.subject.bin ? { actual: facts.subject.bin } : {}) };
        if (!expected.bin.match) reasons.push('bin_mismatch');
      }
      if (expected.iin || expected.bin) report.expected = expected;
    }
    report.reasons = [...new Set(reasons)];
    report.verdict = verdictOf(report.reasons);
    reports.push(report);
  }
  return reports;
}

export async function verifyCms(cms: Uint8Array, content: ContentDigester | undefined, o: VerifyOptions): Promise<VerificationReport> {
  const now = o.now ?? new Date();
  const base: VerificationReport = {
    kind: 'cms',
    verdict: 'invalid',
    checkedAt: now.toISOString(),
    trust: [...new Set(o.anchors.map((a) => a.kind))],
    online: Boolean(o.revocation),
    signatures: [],
    problems: [],
  };
  try {
    base.signatures = await verifyCmsSigners(cms, content, o);
  } catch {
    // Codes only: a parser's message (pkijs, asn1js) is neither translatable nor meant for users.
    base.problems.push('cms_unreadable');
    return base;
  }
  if (base.signatures.length === 0) base.problems.push('no_signatures');
  base.verdict = combineVerdicts(base.signatures.map((s) => s.verdict));
  return base;
}
