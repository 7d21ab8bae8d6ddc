/**
 * NCALayer wire format (the team's NCALayer research notes, §1; src-main/ncalayer/README.md): the
 * request shapes the client sends and how each kind of answer maps to a result
 * or to one of our error codes. Pure functions, shared by the client and tests.
 */
import { AppError } from '../../src-shared/rpc/errors';

export const NCALAYER_DEFAULT_URL = 'wss://127.0.0.1:13579';
export const NCALAYER_INSTALL_URL = 'https://ncl.pki.gov.kz';
export const HEARTBEAT = '--heartbeat--';

export const BASICS = 'kz.gov.pki.knca.basics';
export const COMMON_UTILS = 'kz.gov.pki.knca.commonUtils';
export const KAZTOKEN_EXTENSIONS = 'kz.digiflow.mobile.extensions';

/** Storage type names as NCALayer spells them. */
export const STORAGES = {
  file: 'PKCS12',
  kaztoken: 'AKKaztokenStore',
  idCard: 'AKKZIDCardStore',
  etoken72k: 'AKEToken72KStore',
  etoken5110: 'AKEToken5110Store',
  jacarta: 'AKJaCartaStore',
  akey: 'AKAKEYStore',
} as const;
export type StorageKind = keyof typeof STORAGES;
export type StorageName = (typeof STORAGES)[StorageKind];
export const HARDWARE_STORAGES: StorageName[] = [STORAGES.kaztoken, STORAGES.idCard, STORAGES.etoken72k, STORAGES.etoken5110, STORAGES.jacarta, STORAGES.akey];

export const EKU = {
  emailProtection: '1.3.6.1.5.5.7.3.4',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const;

export type NcaLocale = 'kk' | 'ru';
/** NCALayer dialogs speak kk and ru only; English users get Russian. */
export const ncaLocaleOf = (lang: string): NcaLocale => (lang === 'kk' ? 'kk' : 'ru');

export interface BasicsSignArgs {
  allowedStorages: string[] | null;
  format: 'cms' | 'xml';
  data: string | string[];
  signingParams: { decode?: boolean; encapsulate?: boolean; digested?: boolean; tsaProfile?: Record<string, never> | null };
  signerParams: { extKeyUsageOids: string[]; iin?: string; bin?: string; serialNumber?: string; chain?: string[] | null };
  locale?: NcaLocale;
}

export interface KeyInfo {
  alias?: string;
  keyId?: string;
  algorithm?: string;
  subjectCn?: string;
  subjectDn?: string;
  issuerCn?: string;
  issuerDn?: string;
  serialNumber?: string;
  certNotBefore?: string;
  certNotAfter?: string;
  authorityKeyIdentifier?: string;
  pem?: string;
}

export type NcaMessage = Record<string, unknown>;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The first frame after the socket opens: `{"result":{"version":"1.4"}}`. */
export function parseGreeting(text: string): string {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    msg = null;
  }
  const version = isObj(msg) && isObj(msg.result) ? msg.result.version : undefined;
  if (typeof version !== 'string') throw new AppError('ncalayer_error', 'NCALayer did not greet as expected', { greeting: text.slice(0, 200) });
  return version;
}

/** Whether a basics answer says the module itself is missing (old NCALayer): then commonUtils is tried. */
export function isModuleMissing(msg: NcaMessage): boolean {
  return msg.errorCode === 'MODULE_NOT_FOUND' || msg.code === 'MODULE_NOT_FOUND';
}

/** `kz.gov.pki.knca.basics`: `{status:true, body:{result}}`; no result = the user cancelled; `status:false` = error with code/message/details. */
export function basicsResult(msg: NcaMessage): string | string[] {
  if (msg.status === true) {
    const body = isObj(msg.body) ? msg.body : {};
    const result = body.result;
    if (result === undefined || result === null) throw new AppError('ncalayer_cancelled', 'Cancelled in the NCALayer dialog');
    if (typeof result === 'string' || (Array.isArray(result) && result.every((r) => typeof r === 'string'))) return result;
    throw new AppError('ncalayer_error', 'Unexpected NCALayer result', { code: 'BAD_RESULT' });
  }
  throw ncaError(String(msg.code ?? msg.errorCode ?? 'UNKNOWN'), msg.message, msg.details);
}

/** `kz.gov.pki.knca.commonUtils` (and KAZTOKEN extensions): `{code:"200", responseObject}`; `"500"` + `action.canceled` = cancelled. */
export function commonUtilsResult(msg: NcaMessage): unknown {
  const code = String(msg.code ?? msg.errorCode ?? 'UNKNOWN');
  if (code === '200') return msg.responseObject;
  if (msg.message === 'action.canceled') throw new AppError('ncalayer_cancelled', 'Cancelled in the NCALayer dialog');
  throw ncaError(code, msg.message, msg.details);
}

function ncaError(code: string, message: unknown, details: unknown): AppError {
  const d: Record<string, unknown> = { ncaCode: code };
  if (typeof message === 'string') d.ncaMessage = message.slice(0, 500);
  if (typeof details === 'string') d.ncaDetails = details.slice(0, 500);
  return new AppError('ncalayer_error', `NCALayer: ${code}${typeof message === 'string' ? `: ${message}` : ''}`, d);
}

/** NCALayer wraps CMS in `-----BEGIN CMS-----` armor (some versions); commonUtils returns bare base64. */
export function cmsFromText(text: string): Uint8Array {
  const b64 = text
    .split(/\r?\n/)
    .filter((l) => !l.startsWith('-----'))
    .join('')
    .replace(/\s+/g, '');
  if (b64 && !/^[A-Za-z0-9+/]+=*$/.test(b64)) throw new AppError('ncalayer_error', 'NCALayer returned a CMS that is not base64', { code: 'BAD_RESULT' });
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

export const toBase64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
