/**
 * Certificate path building to administrator-configured trust anchors. Anchors
 * may be roots or issuing CAs (NCA RK test material ships only issuing CAs).
 */
import type * as pkijs from 'pkijs';
import { equalBytes, toHex } from './bytes';
import { certificateFacts, parseCertificate, validityAt, type ValidityState } from './cert-facts';
import { encode } from './der';
import { verifyCertificateSignature, type MathResult } from './signature-math';

/** production: NCA RK roots from the configured folder; test: NCA test roots (--trust-test-roots); custom: given by the user (--trust). */
export type TrustKind = 'production' | 'test' | 'custom';
export interface TrustAnchor {
  der: Uint8Array;
  kind: TrustKind;
  label?: string;
}

export interface ChainLink {
  subject: string;
  issuer: string;
  serialNumberHex: string;
  notAfter: string;
  /** Signature of this certificate by the next one (or self for a root); 'anchor' = trusted as is. */
  signature: MathResult | 'anchor' | 'issuer_missing';
  validityAtCheck: ValidityState;
}

export interface ChainResult {
  status: 'trusted' | 'untrusted' | 'invalid';
  anchorKind?: TrustKind;
  links: ChainLink[];
  /** Certificates from leaf towards the anchor, for revocation checking (leaf first). */
  path: pkijs.Certificate[];
  problems: string[];
}

const nameBytes = (n: pkijs.RelativeDistinguishedNames) => encode(n.toSchema());
const der = (c: pkijs.Certificate) => encode(c.toSchema());

function skiOf(c: pkijs.Certificate): string | undefined {
  return certificateFacts(c).subjectKeyIdHex;
}

function issuerCandidates(cert: pkijs.Certificate, pool: pkijs.Certificate[]): pkijs.Certificate[] {
  const want = nameBytes(cert.issuer);
  const aki = certificateFacts(cert).authorityKeyIdHex;
  const byName = pool.filter((p) => equalBytes(nameBytes(p.subject), want) && !equalBytes(der(p), der(cert)));
  if (!aki) return byName;
  // Prefer a key-identifier match, but NCA RSA test certs carry short AKIs, so fall back to the name.
  const byKey = byName.filter((p) => skiOf(p) === aki);
  return byKey.length ? [...byKey, ...byName.filter((p) => !byKey.includes(p))] : byName;
}

export async function buildChain(
  leaf: pkijs.Certificate,
  o: { anchors: TrustAnchor[]; intermediates: pkijs.Certificate[]; at: Date },
): Promise<ChainResult> {
  const anchorCerts = o.anchors.map((a) => ({ a, cert: parseCertificate(a.der) }));
  const pool = [...o.intermediates, ...anchorCerts.map((x) => x.cert)];
  const links: ChainLink[] = [];
  const path: pkijs.Certificate[] = [];
  const problems: string[] = [];
  let current = leaf;
  for (let depth = 0; depth < 10; depth++) {
    const f = certificateFacts(current);
    const link: ChainLink = {
      subject: f.subject.dn,
      issuer: f.issuer.dn,
      serialNumberHex: f.serialNumberHex,
      notAfter: f.notAfter,
      signature: 'issuer_missing',
      validityAtCheck: validityAt(f, o.at),
    };
    links.push(link);
    path.push(current);
    const asAnchor = anchorCerts.find((x) => equalBytes(der(x.cert), der(current)));
    if (asAnchor) {
      link.signature = 'anchor';
      return finish({ status: 'trusted', anchorKind: asAnchor.a.kind, links, path, problems });
    }
    if (link.validityAtCheck !== 'valid') problems.push(`chain_cert_${link.validityAtCheck}`);
    // Only CA certificates may issue: a leaf's key signing another "certificate" proves nothing.
    const candidates = issuerCandidates(current, pool).filter((c) => {
      const cf = certificateFacts(c);
      const ok = cf.isCa && (cf.keyUsage.length === 0 || cf.keyUsage.includes('keyCertSign'));
      if (!ok) problems.push('chain_issuer_not_ca');
      return ok;
    });
    let next: pkijs.Certificate | undefined;
    for (const c of candidates) {
      const r = await verifyCertificateSignature(current, c);
      link.signature = r;
      if (r === 'ok') {
        next = c;
        break;
      }
    }
    if (!next) {
      if (f.selfSigned) link.signature = await verifyCertificateSignature(current, current);
      if (link.signature === 'bad') problems.push('chain_signature_invalid');
      else if (link.signature === 'unsupported') problems.push('chain_algorithm_unsupported');
      else problems.push('chain_untrusted');
      return finish({ status: link.signature === 'bad' ? 'invalid' : 'untrusted', links, path, problems });
    }
    current = next;
  }
  problems.push('chain_too_long');
  return finish({ status: 'untrusted', links, path, problems });
}

function finish(r: ChainResult): ChainResult {
  // A trusted path whose certificates were not valid at the time of checking is not acceptable.
  if (r.status === 'trusted' && r.problems.some((p) => p.startsWith('chain_cert_'))) return { ...r, status: 'invalid' };
  return r;
}

export const certificateId = (c: pkijs.Certificate) => toHex(c.serialNumber.valueBlock.valueHexView);
