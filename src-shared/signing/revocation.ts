/**
 * Revocation status by OCSP (AIA) and CRL (CDP). Network access is injected;
 * without it the status is "not_checked", which never yields a plain "valid".
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { equalBytes } from './bytes';
import { certificateFacts } from './cert-facts';
import { encode, parseDer } from './der';
import { cryptoEngine } from './engine';
import type { HttpGet, HttpPost } from './tsp';

/** Clock skew tolerated between us and OCSP/CRL issuers. */
const SKEW_MS = 10 * 60_000;

export interface RevocationTransport {
  post: HttpPost;
  get: HttpGet;
}

export interface RevocationCheck {
  certificateSerialHex: string;
  subject: string;
  source: 'ocsp' | 'crl' | 'none';
  url?: string;
  status: 'good' | 'revoked' | 'unknown' | 'error';
  revocationTime?: string;
  error?: string;
}

async function viaOcsp(cert: pkijs.Certificate, issuer: pkijs.Certificate, url: string, t: RevocationTransport) {
  const req = new pkijs.OCSPRequest();
  await req.createForCertificate(cert, { hashAlgorithm: 'SHA-1', issuerCertificate: issuer });
  const body = await t.post(url, encode(req.toSchema(true)), 'application/ocsp-request');
  const resp = new pkijs.OCSPResponse({ schema: parseDer(body) });
  if (resp.responseStatus.valueBlock.valueDec !== 0 || !resp.responseBytes) {
    throw new Error(`OCSP responder status ${resp.responseStatus.valueBlock.valueDec}`);
  }
  const basic = new pkijs.BasicOCSPResponse({ schema: parseDer(new Uint8Array(resp.responseBytes.response.valueBlock.valueHexView)) });
  // Responders that sign with the issuer's own key often attach no certificate.
  if (!basic.certs || basic.certs.length === 0) basic.certs = [issuer];
  const signedOk = await basic.verify({ trustedCerts: [issuer] });
  if (!signedOk) throw new Error('OCSP response signature is not from the issuer or its responder');
  const status = await basic.getCertificateStatus(cert, issuer);
  if (!status.isForCertificate) throw new Error('OCSP response is for another certificate');
  const now = Date.now();
  for (const single of basic.tbsResponseData.responses) {
    if (single.thisUpdate.getTime() > now + SKEW_MS) throw new Error('OCSP response is from the future');
    if (single.nextUpdate && single.nextUpdate.getTime() < now - SKEW_MS) throw new Error('OCSP response is stale');
  }
  let revocationTime: Date | undefined;
  if (status.status === 1) {
    for (const single of basic.tbsResponseData.responses) {
      if (!equalBytes(new Uint8Array(single.certID.serialNumber.valueBlock.valueHexView), new Uint8Array(cert.serialNumber.valueBlock.valueHexView))) continue;
      const info = single.certStatus as asn1js.Constructed;
      const inner = info.valueBlock?.value?.[0] as asn1js.AsnType | undefined;
      if (inner instanceof asn1js.GeneralizedTime) revocationTime = inner.toDate();
    }
  }
  return { status: status.status === 0 ? 'good' : status.status === 1 ? 'revoked' : 'unknown', revocationTime } as const;
}

async function viaCrl(cert: pkijs.Certificate, issuer: pkijs.Certificate, url: string, t: RevocationTransport) {
  const body = await t.get(url);
  const crl = new pkijs.CertificateRevocationList({ schema: parseDer(body) });
  const ok = await crl.verify({ issuerCertificate: issuer });
  if (!ok) throw new Error('CRL signature does not verify with the issuer');
  if (crl.nextUpdate && crl.nextUpdate.value.getTime() < Date.now() - SKEW_MS) throw new Error('CRL is stale (nextUpdate passed)');
  const serial = new Uint8Array(cert.serialNumber.valueBlock.valueHexView);
  const hit = (crl.revokedCertificates ?? []).find((r) => equalBytes(new Uint8Array(r.userCertificate.valueBlock.valueHexView), serial));
  return hit ? ({ status: 'revoked', revocationTime: hit.revocationDate.value } as const) : ({ status: 'good' } as const);
}

export async function checkRevocation(cert: pkijs.Certificate, issuer: pkijs.Certificate, t: RevocationTransport | undefined): Promise<RevocationCheck> {
  cryptoEngine();
  const f = certificateFacts(cert);
  const base = { certificateSerialHex: f.serialNumberHex, subject: f.subject.dn };
  if (!t) return { ...base, source: 'none', status: 'unknown', error: 'offline' };
  const errors: string[] = [];
  for (const url of f.ocspUrls) {
    try {
      const r = await viaOcsp(cert, issuer, url, t);
      const out: RevocationCheck = { ...base, source: 'ocsp', url, status: r.status };
      if (r.revocationTime) out.revocationTime = r.revocationTime.toISOString();
      return out;
    } catch (e) {
      errors.push(`ocsp ${url}: ${(e as Error).message}`);
    }
  }
  for (const url of f.crlUrls) {
    try {
      const r = await viaCrl(cert, issuer, url, t);
      const out: RevocationCheck = { ...base, source: 'crl', url, status: r.status };
      if ('revocationTime' in r && r.revocationTime) out.revocationTime = r.revocationTime.toISOString();
      return out;
    } catch (e) {
      errors.push(`crl ${url}: ${(e as Error).message}`);
    }
  }
  if (f.ocspUrls.length === 0 && f.crlUrls.length === 0) return { ...base, source: 'none', status: 'unknown', error: 'no OCSP or CRL address in the certificate' };
  return { ...base, source: 'none', status: 'error', error: errors.join('; ') };
}
