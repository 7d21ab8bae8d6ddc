/** The portal as the app's `npm start` runs it: a child process from the CLI, stopped by SIGTERM. */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { call, tmpDir } from './helpers';

const ROOT = path.resolve(__dirname, '../..');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('portal CLI', () => {
  it('serves with --demo on a free port, answers health and refuses malformed HTTP with the envelope, stops on SIGTERM', async () => {
    const dataDir = tmpDir();
    dirs.push(dataDir);
    const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['src-portal/cli.ts', '--data', dataDir, '--port', '0', '--demo'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 30_000);
      child.stdout.on('data', () => {
        const m = /listening on (http:\/\/[^\s]+)/.exec(out);
        if (m) {
          clearTimeout(t);
          resolve(m[1]!);
        }
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    try {
      const h = await call(url, 'GET', '/api/health');
      expect(h.json).toMatchObject({ status: 'ok', demo: true });
      expect(fs.existsSync(path.join(dataDir, 'portal.lock'))).toBe(true);
      // A request line Node cannot parse still gets {code, message}.
      const { port } = new URL(url);
      const raw = await new Promise<string>((resolve) => {
        const s = net.connect(Number(port), '127.0.0.1', () => s.write('GET /api/health\u0000 HTTP/1.1\r\nHost: x\r\n\r\n'));
        let buf = '';
        s.on('data', (c) => (buf += c.toString()));
        s.on('close', () => resolve(buf));
      });
      expect(raw).toMatch(/^HTTP\/1\.1 400/);
      expect(JSON.parse(raw.split('\r\n\r\n')[1]!)).toMatchObject({ code: 'invalid_input' });
    } finally {
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
    expect(fs.existsSync(path.join(dataDir, 'portal.lock'))).toBe(false);
  });
});
