/**
 * A faithful NCALayer stand-in for tests: wss:// with its own test TLS CA,
 * the greeting, `--heartbeat--`, `kz.gov.pki.knca.basics` sign (cms), the
 * `kz.gov.pki.knca.commonUtils` methods, KAZTOKEN's getVersion, and the exact
 * answer shapes recorded from the real thing (ncalayer-js-client test-data.json):
 * PEM-armored CMS, cancel = status:true without result, commonUtils "500" /
 * action.canceled, "argument type mismatch" errors, INVOCATION_ERROR with details.
 *
 * Keys are real (test PKI certificates and RSA keys); CMS are built by the
 * signing core, CAdES-BES with signingTime like NCALayer's.
 *
 * What the "user" does in the dialog is scripted: `sim.script({ kind: 'cancel' })`.
 */
import { createHash, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import forge from 'node-forge';
import { WebSocketServer, type WebSocket } from 'ws';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { addUnsignedTimestamp, createDetachedCms, localRsaSigner, parseSignedData, signatureValueOf } from '../../src-shared/signing/cms-build';
import { requestTimestamp } from '../../src-shared/signing/tsp';
import { digestBytes } from '../../src-shared/signing/digest';
import { OID } from '../../src-shared/signing/oids';
import type { Signer } from '../../src-shared/signing/cms-build';
import { parseGostPrivateKeyInfo, signGost } from '../../src-shared/signing/gost';
import { certificateFacts, parseCertificate, type CertificateFacts } from '../../src-shared/signing/cert-facts';

export interface SimKey {
  storage: string;
  certDer: Uint8Array;
  /** RSA private key, PEM (PKCS#1 or PKCS#8); or a GOST key as PKCS#8 DER in `gostPkcs8`. */
  keyPem?: string;
  gostPkcs8?: Uint8Array;
  chainDer?: Uint8Array[];
  alias?: string;
}

export type UserAction =
  | { kind: 'choose'; pick?: (k: SimKey, facts: CertificateFacts) => boolean }
  | { kind: 'cancel' }
  /** Never answers (the dialog stays open). */
  | { kind: 'hang' }
  /** Answers (choosing the first candidate) only after `delayMs`. */
  | { kind: 'late'; delayMs: number }
  /** Closes the socket instead of answering. */
  | { kind: 'drop' };

export interface SimulatorOptions {
  keys: SimKey[];
  version?: string;
  /** Answer like KAZTOKEN desktop (getVersion works). */
  kaztoken?: boolean;
  /** Old NCALayer: no basics module. */
  basics?: boolean;
  /** Hardware tokens currently plugged in (getActiveTokens). */
  activeTokens?: string[];
  now?: () => Date;
  /**
   * Where `tsaProfile: {}` gets its timestamp (NCALayer uses tsp.pki.gov.kz): an RFC 3161 URL.
   * Without it the profile is ignored, as if the TSA were unreachable and NCALayer signed without.
   */
  tsaUrl?: string;
  /** A misbehaving NCALayer that offers every key whatever the filters say (tests the app's own checks). */
  ignoreFilters?: boolean;
}

export interface RunningSimulator {
  url: string;
  /** PEM of the TLS root: what the client must be given as `ca`. */
  caPem: string;
  requests: unknown[];
  script(...actions: UserAction[]): void;
  options: SimulatorOptions;
  /** Sockets currently open (a test checks that a timed-out socket was closed). */
  openSockets(): number;
  close(): Promise<void>;
}

let tlsCache: { caPem: string; certPem: string; keyPem: string } | undefined;

/** A TLS root and a server certificate for 127.0.0.1 / localhost. */
export function simulatorTls(): { caPem: string; certPem: string; keyPem: string } {
  if (tlsCache) return tlsCache;
  const gen = () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return {
      priv: forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()),
      pub: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
      pem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    };
  };
  const caKey = gen();
  const leafKey = gen();
  const now = Date.now();
  const ca = forge.pki.createCertificate();
  ca.publicKey = caKey.pub;
  ca.serialNumber = '01';
  ca.validity.notBefore = new Date(now - 86_400_000);
  ca.validity.notAfter = new Date(now + 30 * 86_400_000);
  const caName = [{ name: 'commonName', value: 'NCA RK TEST TLS ROOT (Seriktes simulator)' }, { name: 'countryName', value: 'KZ' }];
  ca.setSubject(caName);
  ca.setIssuer(caName);
  ca.setExtensions([{ name: 'basicConstraints', cA: true, critical: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }, { name: 'subjectKeyIdentifier' }]);
  ca.sign(caKey.priv, forge.md.sha256.create());
  const leaf = forge.pki.createCertificate();
  leaf.publicKey = leafKey.pub;
  leaf.serialNumber = '02';
  leaf.validity.notBefore = new Date(now - 86_400_000);
  leaf.validity.notAfter = new Date(now + 30 * 86_400_000);
  leaf.setSubject([{ name: 'commonName', value: '127.0.0.1' }]);
  leaf.setIssuer(caName);
  leaf.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
  ]);
  leaf.sign(caKey.priv, forge.md.sha256.create());
  tlsCache = { caPem: forge.pki.certificateToPem(ca), certPem: forge.pki.certificateToPem(leaf), keyPem: leafKey.pem };
  return tlsCache;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const mismatch = (method: string) => ({ code: '500', message: `java.lang.IllegalArgumentException: argument type mismatch. Method: ${method}` });
const CANCELED = { code: '500', message: 'action.canceled' };

function pemArmor(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN CMS-----\n${(b64.match(/.{1,64}/g) ?? []).join('\n')}\n-----END CMS-----\n`;
}

function pkcs8Of(pem: string): Uint8Array {
  return new Uint8Array(createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' }));
}

/** CAdES-BES over `content` (or a ready digest), with signingTime, optionally attached. */
async function buildCms(key: SimKey, o: { content?: Uint8Array; digest?: Uint8Array; attach: boolean; now: Date; tsaUrl?: string }): Promise<Uint8Array> {
  // Like Kalkan, the digest follows the key: SHA-256 for RSA, GOST 34.311 / Streebog for GOST keys.
  const { signer, digestOid } = key.gostPkcs8 ? gostSigner(key.gostPkcs8) : { signer: await localRsaSigner(pkcs8Of(key.keyPem!)), digestOid: OID.sha256 };
  const digest = o.digest ?? (digestOid === OID.sha256 ? new Uint8Array(createHash('sha256').update(o.content ?? new Uint8Array()).digest()) : await digestBytes(digestOid, o.content ?? new Uint8Array()));
  const cms = await createDetachedCms({
    contentDigest: digest,
    digestAlgorithm: digestOid,
    certificate: key.certDer,
    chain: key.chainDer ?? [],
    signer,
    signingTime: o.now,
  });
  const stamped = o.tsaUrl ? await timestamped(cms, o.tsaUrl) : cms;
  if (!o.attach || !o.content) return stamped;
  const sd = parseSignedData(stamped);
  sd.encapContentInfo = new pkijs.EncapsulatedContentInfo({ eContentType: '1.2.840.113549.1.7.1', eContent: new asn1js.OctetString({ valueHex: o.content.slice().buffer }) });
  const ci = new pkijs.ContentInfo({ contentType: '1.2.840.113549.1.7.2', content: sd.toSchema(true) });
  return new Uint8Array(ci.toSchema().toBER(false));
}

const GOST_ALGS: Record<string, { sig: string; digest: string }> = {
  [OID.gost2015Key512]: { sig: OID.gost2015Sig512, digest: OID.streebog512 },
  [OID.gost2015Key256]: { sig: OID.gost2015Sig256, digest: OID.streebog256 },
  [OID.gost2004Key]: { sig: OID.gost2004Sig, digest: OID.gost34311 },
};

function gostSigner(pkcs8: Uint8Array): { signer: Signer; digestOid: string } {
  const k = parseGostPrivateKeyInfo(pkcs8);
  const alg = GOST_ALGS[k.algorithmOid];
  if (!alg) throw new Error(`unsupported GOST key ${k.algorithmOid}`);
  const signer: Signer = async (tbs) => ({
    kind: 'signature',
    signatureAlgorithm: alg.sig,
    signature: signGost({ signatureAlgorithmOid: alg.sig, curve: k.curve, privateKey: k.privateKey, data: tbs.signedAttributesDer!, ...(k.digestParamSetOid ? { digestParamSetOid: k.digestParamSetOid } : {}) }),
  });
  return { signer, digestOid: alg.digest };
}

async function timestamped(cms: Uint8Array, tsaUrl: string): Promise<Uint8Array> {
  const post = async (url: string, body: Uint8Array, contentType: string) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body: body as unknown as BodyInit });
    return new Uint8Array(await res.arrayBuffer());
  };
  const { token } = await requestTimestamp({ data: signatureValueOf(cms, 0), tsaUrl, post });
  return addUnsignedTimestamp(cms, 0, token);
}

export async function startNcaLayerSimulator(opts: SimulatorOptions): Promise<RunningSimulator> {
  const tls = simulatorTls();
  const server: Server = createServer({ key: tls.keyPem, cert: tls.certPem });
  const wss = new WebSocketServer({ server });
  const requests: unknown[] = [];
  const actions: UserAction[] = [];
  const sockets = new Set<WebSocket>();
  const now = () => opts.now?.() ?? new Date();

  const factsOf = (k: SimKey) => certificateFacts(parseCertificate(k.certDer));

  const candidates = (storages: string[] | null, ekus: string[], filter: { iin?: string; bin?: string; serial?: string; keyType?: string }, allowExpired = false) =>
    opts.keys.filter((k) => {
      if (opts.ignoreFilters) return true;
      const f = factsOf(k);
      if (storages && !storages.includes(k.storage)) return false;
      if (k.storage !== 'PKCS12' && !(opts.activeTokens ?? []).includes(k.storage)) return false;
      if (!ekus.every((o) => f.extendedKeyUsage.includes(o))) return false;
      if (filter.iin && f.subject.iin !== filter.iin) return false;
      if (filter.bin && f.subject.bin !== filter.bin) return false;
      if (filter.serial && f.serialNumberHex.toLowerCase() !== filter.serial.toLowerCase()) return false;
      if (filter.keyType === 'SIGNATURE' && f.purpose !== 'SIGN') return false;
      if (filter.keyType === 'AUTHENTICATION' && f.purpose !== 'AUTH') return false;
      if (!allowExpired && Date.parse(f.notAfter) < now().getTime()) return false;
      return true;
    });

  type Choice = { key: SimKey; lateMs?: number } | { cancel: true } | { transport: 'hang' | 'drop' };
  /** What the user does in the dialog: a key, a cancel, or a transport action. */
  const userChooses = (list: SimKey[]): Choice => {
    const a = actions.shift() ?? { kind: 'choose' };
    if (a.kind === 'cancel') return { cancel: true };
    if (a.kind === 'hang' || a.kind === 'drop') return { transport: a.kind };
    const pick = a.kind === 'choose' && a.pick ? list.find((k) => a.pick!(k, factsOf(k))) : list[0];
    if (!pick) return { cancel: true }; // nothing selectable: the user can only close the dialog
    return a.kind === 'late' ? { key: pick, lateMs: a.delayMs } : { key: pick };
  };
  /** A reply, or an instruction to the socket layer (no reply, drop, reply late). */
  const deliver = (choice: { lateMs?: number }, answer: unknown) => (choice.lateMs ? { __late: choice.lateMs, answer } : answer);

  async function basicsSign(args: unknown, choose: () => Choice): Promise<unknown> {
    if (!isObj(args)) return { status: false, code: 'INVOCATION_ERROR', message: 'An invoked method threw an exception.', details: 'org.json.JSONException: JSONObject["args"] not found.' };
    for (const name of ['signingParams', 'signerParams'] as const) {
      if (!isObj(args[name])) {
        return { code: 'INVOCATION_ERROR', details: `org.json.JSONException: JSONObject["${name}"] is not a JSONObject.`, message: 'An invoked method threw an exception.', status: false };
      }
    }
    const sp = args.signingParams as Record<string, unknown>;
    const signer = args.signerParams as Record<string, unknown>;
    if (args.format !== 'cms') return { status: false, code: 'INVALID_SIGNING_PARAMS', message: 'Only "cms" is simulated', details: `format ${String(args.format)}` };
    const data = args.data;
    const items = typeof data === 'string' ? [data] : Array.isArray(data) && data.every((d) => typeof d === 'string') ? (data as string[]) : null;
    if (!items) return { status: false, code: 'INVALID_SIGNING_PARAMS', message: 'Invalid signing parameters', details: 'data must be a string or an array of strings' };
    if (!Array.isArray(signer.extKeyUsageOids)) {
      return { code: 'INVOCATION_ERROR', details: 'org.json.JSONException: JSONObject["extKeyUsageOids"] not found.', message: 'An invoked method threw an exception.', status: false };
    }
    const decode = sp.decode === true;
    const encapsulate = sp.encapsulate !== false;
    const digested = sp.digested === true;
    const choice = choose();
    if ('cancel' in choice) return { body: {}, status: true };
    if ('transport' in choice) return { __transport: choice.transport };
    const key = choice.key;
    const out: string[] = [];
    for (const item of items) {
      const bytes = decode ? new Uint8Array(Buffer.from(item, 'base64')) : new Uint8Array(Buffer.from(item, 'utf8'));
      const tsaUrl = isObj(sp.tsaProfile) && opts.tsaUrl ? { tsaUrl: opts.tsaUrl } : {};
      const cms = await buildCms(key, digested ? { digest: bytes, attach: false, now: now(), ...tsaUrl } : { content: bytes, attach: encapsulate, now: now(), ...tsaUrl });
      out.push(pemArmor(cms));
    }
    const body = { result: typeof data === 'string' ? out[0] : out };
    return deliver(choice, { body, status: true });
  }

  async function commonUtils(method: string, args: unknown, choose: () => Choice): Promise<unknown> {
    const a = Array.isArray(args) ? args : [];
    switch (method) {
      case 'getActiveTokens':
        return { responseObject: [...(opts.activeTokens ?? [])], code: '200' };
      case 'changeLocale':
        return typeof a[0] === 'string' ? { code: '200' } : mismatch(method);
      case 'getKeyInfo': {
        if (typeof a[0] !== 'string') return mismatch(method);
        const choice = choose();
        if ('cancel' in choice) return CANCELED;
        if ('transport' in choice) return { __transport: choice.transport };
        const k = choice.key;
        const f = factsOf(k);
        return deliver(choice, {
          responseObject: {
            alias: k.alias ?? f.subjectKeyIdHex ?? 'key',
            keyId: f.subjectKeyIdHex ?? '',
            algorithm: f.algorithm,
            subjectCn: f.subject.commonName ?? '',
            subjectDn: f.subject.dn,
            issuerCn: f.issuer.commonName ?? '',
            issuerDn: f.issuer.dn,
            serialNumber: f.serialNumberHex,
            certNotAfter: String(Date.parse(f.notAfter)),
            certNotBefore: String(Date.parse(f.notBefore)),
            authorityKeyIdentifier: f.authorityKeyIdHex ?? '',
            pem: `-----BEGIN CERTIFICATE-----\n${(Buffer.from(k.certDer).toString('base64').match(/.{1,64}/g) ?? []).join('\n')}\n-----END CERTIFICATE-----`,
          },
          code: '200',
        });
      }
      case 'createCAdESFromBase64':
      case 'createCMSSignatureFromBase64':
      case 'createCAdESFromBase64Hash': {
        const hash = method === 'createCAdESFromBase64Hash';
        const [storage, keyType, data, attached] = a;
        if (typeof storage !== 'string' || typeof keyType !== 'string' || typeof data !== 'string' || (!hash && typeof attached !== 'boolean')) return mismatch(method);
        if (hash && data === '') return { code: '500' };
        const choice = choose();
        if ('cancel' in choice) return CANCELED;
        if ('transport' in choice) return { __transport: choice.transport };
        const key = choice.key;
        const bytes = new Uint8Array(Buffer.from(data, 'base64'));
        const cms = await buildCms(key, hash ? { digest: bytes, attach: false, now: now() } : { content: bytes, attach: attached === true, now: now() });
        const answer = { responseObject: Buffer.from(cms).toString('base64'), code: '200' };
        return deliver(choice, answer);
      }
      case 'signXml':
      case 'signXmls': {
        // Only the argument checks are simulated: the app never signs XML.
        const [storage, keyType, xml, tbs, parent] = a;
        const xmlOk = method === 'signXml' ? typeof xml === 'string' : Array.isArray(xml) && xml.every((x) => typeof x === 'string');
        if (typeof storage !== 'string' || typeof keyType !== 'string' || !xmlOk || typeof tbs !== 'string' || typeof parent !== 'string') return mismatch(method);
        return { code: '500', message: 'XML signing is not simulated' };
      }
      default:
        return { code: '500', message: `java.lang.NoSuchMethodException: ${method}` };
    }
  }

  async function handle(text: string): Promise<unknown> {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return { code: '500', message: 'org.json.JSONException: A JSONObject text must begin with \'{\'' };
    }
    requests.push(msg);
    if (!isObj(msg)) return { code: '500', message: 'bad request' };
    let chosenFrom: SimKey[] = opts.keys;
    const choose = () => userChooses(chosenFrom);
    if (msg.module === 'kz.gov.pki.knca.basics' && opts.basics !== false) {
      if (msg.method !== 'sign') return { status: false, code: 'METHOD_NOT_FOUND', message: `No method ${String(msg.method)}` };
      const a = msg.args;
      if (isObj(a) && isObj(a.signerParams) && Array.isArray(a.signerParams.extKeyUsageOids)) {
        const s = a.signerParams;
        chosenFrom = candidates(Array.isArray(a.allowedStorages) ? (a.allowedStorages as string[]) : null, s.extKeyUsageOids as string[], {
          ...(typeof s.iin === 'string' && s.iin ? { iin: s.iin } : {}),
          ...(typeof s.bin === 'string' && s.bin ? { bin: s.bin } : {}),
          ...(typeof s.serialNumber === 'string' && s.serialNumber ? { serial: s.serialNumber } : {}),
        }, isObj(a.signingParams) && a.signingParams.allowExpired === true);
      }
      return basicsSign(a, choose);
    }
    if (msg.module === 'kz.gov.pki.knca.commonUtils') {
      const a = Array.isArray(msg.args) ? msg.args : [];
      if (typeof a[0] === 'string') chosenFrom = candidates([a[0]], [], typeof a[1] === 'string' ? { keyType: a[1] } : {});
      return commonUtils(String(msg.method), msg.args, choose);
    }
    if (msg.module === 'kz.digiflow.mobile.extensions' && opts.kaztoken && msg.method === 'getVersion') {
      return { code: '200', responseObject: { name: 'KAZTOKENdesktop', version: '1.2.758.648' } };
    }
    return { success: false, errorCode: 'MODULE_NOT_FOUND' };
  }

  wss.on('connection', (ws) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.send(JSON.stringify({ result: { version: opts.version ?? (opts.kaztoken ? '1.2' : '1.4') } }));
    ws.on('message', (data) => {
      const text = data.toString();
      if (text === '--heartbeat--') {
        ws.send(text);
        return;
      }
      void handle(text).then((answer) => {
        if (isObj(answer) && answer.__transport === 'hang') return;
        if (isObj(answer) && answer.__transport === 'drop') {
          ws.terminate();
          return;
        }
        if (isObj(answer) && typeof answer.__late === 'number') {
          setTimeout(() => {
            if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(answer.answer));
          }, answer.__late);
          return;
        }
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(answer));
      });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  let closed = false;
  const port = (server.address() as AddressInfo).port;
  return {
    url: `wss://127.0.0.1:${port}`,
    caPem: tls.caPem,
    requests,
    options: opts,
    script: (...a) => actions.push(...a),
    openSockets: () => sockets.size,
    async close() {
      if (closed) return;
      closed = true;
      for (const s of sockets) s.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
