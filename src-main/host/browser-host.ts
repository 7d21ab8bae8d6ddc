import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, realpath, stat, unlink } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { securityHeaders } from '../../src-shared/security/csp';
import type { Backend } from '../backend/backend';

export interface BrowserHostOptions {
  backend: Backend;
  /** Folder with the built renderer (index.html, app.js, fonts). */
  rendererDir: string;
  /** Where browser uploads are stored before main hands out a handle. */
  uploadDir: string;
  port?: number;
  maxUploadBytes?: number;
}

export interface BrowserHost {
  origin: string;
  /** The URL to open: carries a fresh one-time token. */
  appUrl: string;
  /** Mints another one-time token URL (a second browser window, tests). */
  issueAppUrl(): string;
  close(): Promise<void>;
}

const COOKIE = 'seriktes_session';
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

const safeEqual = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

/**
 * Serves the renderer and the RPC contract on 127.0.0.1 so the whole app
 * runs in an ordinary browser (and in Playwright). Other local programs and
 * web pages must not drive it: the one-time token becomes an HttpOnly
 * SameSite=Strict cookie, and Host and Origin are checked on every request
 * and on the WebSocket upgrade (DNS-rebinding and cross-site protection).
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const rendererRoot = await realpath(options.rendererDir);
  await mkdir(options.uploadDir, { recursive: true });
  const maxUpload = options.maxUploadBytes ?? 512 * 1024 * 1024;
  const pendingTokens = new Set<string>();
  const sessions = new Set<string>();
  let origin = '';
  let allowedHosts: string[] = [];

  const issueAppUrl = () => {
    const token = randomBytes(24).toString('base64url');
    pendingTokens.add(token);
    return `${origin}/?token=${token}`;
  };

  const headers = () => securityHeaders([origin.replace(/^http/, 'ws')]);
  const hostOk = (req: IncomingMessage) => allowedHosts.includes(req.headers.host ?? '');
  // Same-origin fetches and WebSockets from our page always send Origin; anything else is refused.
  const originOk = (req: IncomingMessage) => req.headers.origin === origin;
  const sessionOk = (req: IncomingMessage) => {
    const sid = parseCookies(req.headers.cookie)[COOKIE];
    return sid !== undefined && [...sessions].some((s) => safeEqual(s, sid));
  };

  const deny = (res: ServerResponse, status: number, code: string, message: string) => {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers() });
    res.end(JSON.stringify({ code, message }));
  };

  const readJson = async (req: IncomingMessage, limit = 16 * 1024): Promise<unknown> => {
    let size = 0;
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > limit) throw new Error('too large');
      chunks.push(chunk as Buffer);
    }
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  };

  async function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string) {
    const rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname.slice(1));
    const candidate = resolve(rendererRoot, rel);
    if (candidate !== rendererRoot && !candidate.startsWith(rendererRoot + sep)) return deny(res, 404, 'not_found', 'Not found');
    let file = candidate;
    try {
      const real = await realpath(candidate);
      if (!real.startsWith(rendererRoot + sep)) return deny(res, 404, 'not_found', 'Not found');
      if (!(await stat(real)).isFile()) throw new Error('dir');
      file = real;
    } catch {
      // Client-side routes fall back to the app shell.
      if (extname(rel)) return deny(res, 404, 'not_found', 'Not found');
      file = join(rendererRoot, 'index.html');
    }
    res.writeHead(200, {
      'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': file.endsWith('index.html') ? 'no-store' : 'no-cache',
      ...headers(),
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  }

  async function handleUpload(req: IncomingMessage, res: ServerResponse, url: URL) {
    const name = (url.searchParams.get('name') ?? 'file').replace(/[\\/\0]/g, '_').slice(0, 255) || 'file';
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > maxUpload) return deny(res, 413, 'file_too_large', 'File too large');
    const target = join(options.uploadDir, `${randomBytes(12).toString('hex')}.upload`);
    let size = 0;
    try {
      await pipeline(
        req,
        async function* (source) {
          for await (const chunk of source) {
            size += (chunk as Buffer).length;
            if (size > maxUpload) throw Object.assign(new Error('too large'), { tooLarge: true });
            yield chunk;
          }
        },
        createWriteStream(target),
      );
    } catch (err) {
      await unlink(target).catch(() => undefined);
      if ((err as { tooLarge?: boolean }).tooLarge) return deny(res, 413, 'file_too_large', 'File too large');
      return deny(res, 400, 'file_unreadable', 'Upload failed');
    }
    const info = await options.backend.files.register(target, name);
    res.writeHead(200, { 'Content-Type': 'application/json', ...headers() });
    res.end(JSON.stringify({ ok: true, value: info }));
  }

  const server = createServer((req, res) => {
    void (async () => {
      if (!hostOk(req)) return deny(res, 421, 'forbidden', 'Unexpected Host header');
      const url = new URL(req.url ?? '/', origin);
      if (url.pathname === '/session' && req.method === 'POST') {
        if (!originOk(req)) return deny(res, 403, 'forbidden', 'Foreign origin');
        let token: unknown;
        try {
          token = (await readJson(req) as { token?: unknown }).token;
        } catch {
          return deny(res, 400, 'invalid_input', 'Invalid body');
        }
        const match = typeof token === 'string' ? [...pendingTokens].find((t) => safeEqual(t, token as string)) : undefined;
        if (!match) return deny(res, 401, 'unauthorized', 'Invalid or used token');
        pendingTokens.delete(match);
        const sid = randomBytes(32).toString('base64url');
        sessions.add(sid);
        res.writeHead(204, { 'Set-Cookie': `${COOKIE}=${sid}; HttpOnly; SameSite=Strict; Path=/`, ...headers() });
        return res.end();
      }
      if (url.pathname === '/upload' && req.method === 'POST') {
        if (!originOk(req)) return deny(res, 403, 'forbidden', 'Foreign origin');
        if (!sessionOk(req)) return deny(res, 401, 'unauthorized', 'No session');
        return handleUpload(req, res, url);
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return deny(res, 405, 'not_supported', 'Method not allowed');
      const fileMatch = /^\/files\/([0-9a-f]{64})$/.exec(url.pathname);
      if (fileMatch) {
        // The account's own files, for the built-in viewer: session cookie required (SameSite=Strict keeps other sites out).
        if (!sessionOk(req)) return deny(res, 401, 'unauthorized', 'No session');
        if (req.headers.origin !== undefined && !originOk(req)) return deny(res, 403, 'forbidden', 'Foreign origin');
        const path = options.backend.filePath(fileMatch[1]!);
        if (!path) return deny(res, 404, 'not_found', 'Not found');
        const size = (await stat(path)).size;
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(size), 'Cache-Control': 'no-store', ...headers() });
        if (req.method === 'HEAD') return res.end();
        return void createReadStream(path).pipe(res);
      }
      // A cross-site page may embed or fetch us with the cookie absent (SameSite) — it still gets only static code.
      return serveStatic(req, res, url.pathname);
    })().catch(() => {
      if (!res.headersSent) deny(res, 500, 'internal', 'Internal error');
      else res.destroy();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 8 * 1024 * 1024 });
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const url = new URL(req.url ?? '/', origin);
    if (!hostOk(req)) return refuse(421, 'Misdirected Request');
    if (url.pathname !== '/rpc') return refuse(404, 'Not Found');
    if (!originOk(req)) return refuse(403, 'Forbidden');
    if (!sessionOk(req)) return refuse(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      const unsubscribe = options.backend.onEvent((event, payload) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event, payload }));
      });
      ws.on('message', (data) => {
        let msg: { id?: unknown; method?: unknown; input?: unknown };
        try {
          msg = JSON.parse(String(data));
        } catch {
          return ws.send(JSON.stringify({ id: null, reply: { ok: false, error: { code: 'invalid_input', message: 'Not JSON' } } }));
        }
        const id = typeof msg.id === 'number' || typeof msg.id === 'string' ? msg.id : null;
        void options.backend.call(msg.method, msg.input).then((reply) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, reply }));
        });
      });
      ws.on('close', () => {
        unsubscribe();
        sockets.delete(ws);
      });
    });
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  allowedHosts = [`127.0.0.1:${port}`];

  return {
    origin,
    appUrl: issueAppUrl(),
    issueAppUrl,
    async close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
