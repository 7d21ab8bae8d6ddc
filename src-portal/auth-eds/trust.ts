/**
 * Which roots an EDS sign-in certificate must chain to. Production roots come
 * from SERIKTES_EDS_TRUST_DIR (NCA RK root and intermediate certificates);
 * test roots (SERIKTES_EDS_TEST_ROOTS_DIR) are honoured only by a demo portal
 * or when passed in code by tests — never by a production portal.
 * Revocation (OCSP, then CRL, from the certificate's own URLs) is checked when
 * SERIKTES_EDS_REVOCATION=online or a transport is passed in.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TrustAnchor, TrustKind } from '../../src-shared/signing/chain';
import type { RevocationTransport } from '../../src-shared/signing/revocation';

export interface EdsTrust {
  anchors: TrustAnchor[];
  revocation?: RevocationTransport;
  /**
   * The origin apps use to reach this portal (e.g. https://portal.example.kz behind a TLS proxy).
   * Without it the origin is taken from the request (protocol + Host), which is right when the
   * app talks to the portal directly.
   */
  publicOrigin?: string;
}

/** DER certificates from PEM (several blocks per file allowed) or DER files in a folder. */
export function loadAnchorsFromDir(dir: string, kind: TrustKind): TrustAnchor[] {
  const out: TrustAnchor[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    if (!/\.(pem|crt|cer|der)$/i.test(name)) continue;
    const bytes = fs.readFileSync(path.join(dir, name));
    const text = bytes.toString('latin1');
    if (text.includes('-----BEGIN CERTIFICATE-----')) {
      for (const m of text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)) {
        out.push({ der: new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')), kind, label: name });
      }
    } else out.push({ der: new Uint8Array(bytes), kind, label: name });
  }
  return out;
}

const TIMEOUT_MS = 15_000;
const MAX_BYTES = 16 * 1024 * 1024;
async function bodyOf(res: Response, url: string): Promise<Uint8Array> {
  if (!res.ok) throw new Error(`HTTP ${res.status} from ${url}`);
  const b = new Uint8Array(await res.arrayBuffer());
  if (b.length > MAX_BYTES) throw new Error(`response from ${url} is too large`);
  return b;
}
const httpOnly = (url: string) => {
  const p = new URL(url).protocol;
  if (p !== 'http:' && p !== 'https:') throw new Error(`unsupported URL scheme ${p}`);
};

/** OCSP/CRL over HTTP (answers are signed, so plain HTTP is the norm for these services). */
export const onlineRevocation: RevocationTransport = {
  post: async (url, body, contentType) => {
    httpOnly(url);
    return bodyOf(await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body: body as unknown as BodyInit, signal: AbortSignal.timeout(TIMEOUT_MS) }), url);
  },
  get: async (url) => {
    httpOnly(url);
    return bodyOf(await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) }), url);
  },
};

export function edsTrustFromEnv(env: NodeJS.ProcessEnv, demo: boolean): EdsTrust {
  const anchors: TrustAnchor[] = [];
  if (env.SERIKTES_EDS_TRUST_DIR) anchors.push(...loadAnchorsFromDir(env.SERIKTES_EDS_TRUST_DIR, 'production'));
  if (demo && env.SERIKTES_EDS_TEST_ROOTS_DIR) {
    for (const dir of env.SERIKTES_EDS_TEST_ROOTS_DIR.split(path.delimiter).filter(Boolean)) anchors.push(...loadAnchorsFromDir(dir, 'test'));
  }
  return {
    anchors,
    ...(env.SERIKTES_EDS_REVOCATION === 'online' ? { revocation: onlineRevocation } : {}),
    ...(env.SERIKTES_PORTAL_PUBLIC_URL ? { publicOrigin: new URL(env.SERIKTES_PORTAL_PUBLIC_URL).origin } : {}),
  };
}
