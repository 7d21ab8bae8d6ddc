/** HTTP for TSA, OCSP and CRL requests (plain HTTP is normal for these services: their answers are signed). */
import type { HttpGet, HttpPost } from '../../src-shared/signing/tsp';
import type { RevocationTransport } from '../../src-shared/signing/revocation';

const TIMEOUT_MS = 20_000;
const MAX_BYTES = 32 * 1024 * 1024;

function checkUrl(url: string): void {
  const u = new URL(url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`unsupported URL scheme ${u.protocol}`);
}

async function body(res: Response, url: string): Promise<Uint8Array> {
  if (!res.ok) throw new Error(`HTTP ${res.status} from ${url}`);
  const b = new Uint8Array(await res.arrayBuffer());
  if (b.length > MAX_BYTES) throw new Error(`response from ${url} is too large`);
  return b;
}

export const httpPost: HttpPost = async (url, data, contentType) => {
  checkUrl(url);
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: data as unknown as BodyInit,
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  return body(res, url);
};

export const httpGet: HttpGet = async (url) => {
  checkUrl(url);
  return body(await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) }), url);
};

export const onlineRevocation: RevocationTransport = { post: httpPost, get: httpGet };
