import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { startPortal, type StartPortalOptions, type RunningPortal } from '../../src-portal/server';
import { DEMO_PASSWORD, DEMO_USERS } from '../../src-portal/seed/demo-data';
import { demoId, demoBin } from '../../src-portal/seed/seed';
import { withCheckDigit, isValidIin } from '../../src-shared/domain/identity';

export { DEMO_PASSWORD, demoId, demoBin };

export function tmpDir(prefix = 'portal-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startTestPortal(opts: Partial<StartPortalOptions> = {}): Promise<RunningPortal & { dataDir: string; cleanup(): Promise<void> }> {
  const dataDir = opts.dataDir ?? tmpDir();
  const portal = await startPortal({ dataDir, port: 0, host: '127.0.0.1', demo: true, tickMs: 0, smtp: null, log: () => {}, ...opts });
  return {
    ...portal,
    dataDir,
    async cleanup() {
      await portal.close();
      if (!opts.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface CallResult {
  status: number;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  headers: Headers;
  bytes: Buffer;
}

export async function call(
  base: string,
  method: string,
  url: string,
  o: { token?: string | null; body?: unknown; raw?: Uint8Array; query?: Record<string, string | number>; contentType?: string } = {},
): Promise<CallResult> {
  const u = new URL(url, base);
  for (const [k, v] of Object.entries(o.query ?? {})) u.searchParams.set(k, String(v));
  const headers: Record<string, string> = {};
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  let body: BodyInit | undefined;
  if (o.raw) {
    headers['content-type'] = o.contentType ?? 'application/octet-stream';
    body = new Uint8Array(o.raw);
  } else if (o.body !== undefined) {
    headers['content-type'] = o.contentType ?? 'application/json';
    body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
  }
  const res = await fetch(u, { method, headers, body });
  const bytes = Buffer.from(await res.arrayBuffer());
  let json: unknown = null;
  if ((res.headers.get('content-type') ?? '').includes('application/json') && bytes.length) json = JSON.parse(bytes.toString('utf8'));
  return { status: res.status, json, headers: res.headers, bytes };
}

export const demoUser = (key: string) => {
  const u = DEMO_USERS.find((x) => x.key === key);
  if (!u) throw new Error(`no demo user ${key}`);
  return { ...u, id: demoId('user', key) };
};

export async function signIn(base: string, key: string, password = DEMO_PASSWORD): Promise<string> {
  const r = await call(base, 'POST', '/api/auth/sign-in', { body: { login: demoUser(key).email, password } });
  if (r.status !== 200) throw new Error(`sign-in ${key}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json.token as string;
}

let iinCounter = 0;
/** A fresh valid IIN (born 1990-01-01 + counter days, male, 20th century). */
export function freshIin(): string {
  for (;;) {
    iinCounter++;
    const serial = String(1000 + (iinCounter % 8999)).padStart(4, '0');
    const day = String(1 + (Math.floor(iinCounter / 8999) % 28)).padStart(2, '0');
    const v = withCheckDigit(`9001${day}3${serial}`);
    if (v && isValidIin(v)) return v;
  }
}

export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** A small but real PDF. */
export function samplePdf(extra = ''): Buffer {
  return Buffer.from(`%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% ${extra}\ntrailer<</Root 1 0 R>>\n%%EOF\n`, 'latin1');
}

/** Decodes RFC 2047 encoded-words (B and Q) in a mail header, joining adjacent words. */
export function decodeMimeHeader(v: string): string {
  return v
    .replace(/\r?\n[ \t]+/g, ' ')
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=/gi, (_, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, x: string) => String.fromCharCode(parseInt(x, 16))), 'latin1').toString('utf8'),
    );
}
