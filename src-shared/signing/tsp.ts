/**
 * RFC 3161 time-stamp protocol: request building and reply checking. The HTTP
 * transport is injected (src-main posts with Node, the portal with its own client).
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { AppError } from '../rpc/errors';
import { ab, equalBytes, toHex } from './bytes';
import { encode, parseDer } from './der';
import { cryptoEngine, randomBytes } from './engine';
import { digestBytes } from './digest';
import { OID } from './oids';

/** POSTs DER and returns the response body; throws on HTTP errors. */
export type HttpPost = (url: string, body: Uint8Array, contentType: string) => Promise<Uint8Array>;
/** GETs a URL (CRLs). */
export type HttpGet = (url: string) => Promise<Uint8Array>;

export const DEFAULT_TSA_URL = 'http://tsp.pki.gov.kz:80';

export interface TimestampRequestOptions {
  /** The bytes to timestamp (for a signature timestamp: the SignerInfo signature value). */
  data: Uint8Array;
  digestAlgorithm?: string;
  /** TSA policy; NCA RK wants 1.2.398.3.3.2.6.2 for RSA signatures. */
  policy?: string;
  tsaUrl: string;
  post: HttpPost;
}

export interface TstFacts {
  genTime: string;
  policy: string;
  serialHex: string;
  imprintAlgorithm: string;
  imprintHex: string;
  tsaName?: string;
  nonceHex?: string;
}

export function tstInfoOfToken(tokenDer: Uint8Array): { signedData: pkijs.SignedData; tst: pkijs.TSTInfo; tstDer: Uint8Array } {
  cryptoEngine();
  const ci = new pkijs.ContentInfo({ schema: parseDer(tokenDer) });
  const sd = new pkijs.SignedData({ schema: ci.content });
  if (sd.encapContentInfo.eContentType !== OID.tstInfo || !sd.encapContentInfo.eContent) throw new Error('not a timestamp token');
  const econtent = sd.encapContentInfo.eContent;
  // eContent may be a constructed OCTET STRING (BER); join its pieces.
  const tstDer = econtent.idBlock.isConstructed
    ? new Uint8Array(
        (econtent.valueBlock.value as asn1js.OctetString[]).flatMap((p) => Array.from(p.valueBlock.valueHexView)),
      )
    : new Uint8Array(econtent.valueBlock.valueHexView);
  const tst = new pkijs.TSTInfo({ schema: parseDer(tstDer) });
  return { signedData: sd, tst, tstDer };
}

export function tstFacts(tst: pkijs.TSTInfo): TstFacts {
  const facts: TstFacts = {
    genTime: tst.genTime.toISOString(),
    policy: tst.policy,
    serialHex: toHex(tst.serialNumber.valueBlock.valueHexView),
    imprintAlgorithm: tst.messageImprint.hashAlgorithm.algorithmId,
    imprintHex: toHex(tst.messageImprint.hashedMessage.valueBlock.valueHexView),
  };
  if (tst.nonce) facts.nonceHex = toHex(tst.nonce.valueBlock.valueHexView);
  if (tst.tsa && tst.tsa.type === 4) {
    const rdn = tst.tsa.value as pkijs.RelativeDistinguishedNames;
    const cn = rdn.typesAndValues.find((t) => t.type === OID.cn);
    if (cn) facts.tsaName = String((cn.value as { valueBlock: { value: string } }).valueBlock.value);
  }
  return facts;
}

/** Gets a timestamp token (DER ContentInfo) over `data` and checks status, imprint and nonce. */
export async function requestTimestamp(o: TimestampRequestOptions): Promise<{ token: Uint8Array; facts: TstFacts }> {
  cryptoEngine();
  const digestAlgorithm = o.digestAlgorithm ?? OID.sha256;
  const imprint = await digestBytes(digestAlgorithm, o.data);
  const nonce = randomBytes(8);
  nonce[0] = (nonce[0]! & 0x3f) | 0x40; // positive, minimal DER INTEGER (no leading zero)
  const req = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: digestAlgorithm }),
      hashedMessage: new asn1js.OctetString({ valueHex: ab(imprint) }),
    }),
    nonce: new asn1js.Integer({ valueHex: ab(nonce) }),
    certReq: true,
    ...(o.policy ? { reqPolicy: o.policy } : {}),
  });
  let reply: Uint8Array;
  try {
    reply = await o.post(o.tsaUrl, encode(req.toSchema()), 'application/timestamp-query');
  } catch (e) {
    throw new AppError('tsa_failed', 'Could not reach the timestamp service', { url: o.tsaUrl, reason: (e as Error).message });
  }
  let resp: pkijs.TimeStampResp;
  try {
    resp = new pkijs.TimeStampResp({ schema: parseDer(reply) });
  } catch {
    throw new AppError('tsa_failed', 'The timestamp service sent an unreadable reply', { url: o.tsaUrl });
  }
  const status = resp.status.status;
  if ((status !== 0 && status !== 1) || !resp.timeStampToken) {
    const text = resp.status.statusStrings?.map((x) => x.valueBlock.value).join('; ');
    throw new AppError('tsa_failed', 'The timestamp service refused the request', { url: o.tsaUrl, status, ...(text ? { text } : {}) });
  }
  const token = encode(resp.timeStampToken.toSchema());
  const { tst } = tstInfoOfToken(token);
  if (!equalBytes(new Uint8Array(tst.messageImprint.hashedMessage.valueBlock.valueHexView), imprint)) {
    throw new AppError('tsa_failed', 'The timestamp covers different data', { url: o.tsaUrl });
  }
  const gotNonce = tst.nonce ? new Uint8Array(tst.nonce.valueBlock.valueHexView) : undefined;
  if (!gotNonce || !equalBytes(stripZero(gotNonce), stripZero(nonce))) {
    throw new AppError('tsa_failed', 'The timestamp reply does not answer our request (nonce)', { url: o.tsaUrl });
  }
  if (o.policy && tst.policy !== o.policy) {
    throw new AppError('tsa_failed', 'The timestamp has a different policy than requested', { url: o.tsaUrl, policy: tst.policy });
  }
  return { token, facts: tstFacts(tst) };
}

function stripZero(b: Uint8Array): Uint8Array {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}
