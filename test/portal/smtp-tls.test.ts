/** SMTP over implicit TLS and STARTTLS with authentication, trusting an internal CA (certificates always verified). */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, decodeMimeHeader, demoId, signIn, startTestPortal, tmpDir, freshIin } from './helpers';

const decode = decodeMimeHeader;

let dir = '';
let key: Buffer;
let cert: Buffer;
beforeAll(() => {
  dir = tmpDir('portal-smtp-tls-');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
    '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
  key = fs.readFileSync(path.join(dir, 'key.pem'));
  cert = fs.readFileSync(path.join(dir, 'cert.pem'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function runCase(mode: 'tls' | 'starttls', trustCa: boolean) {
  const got: { user?: string; secure: boolean; subject: string }[] = [];
  const opts: SMTPServerOptions = {
    secure: mode === 'tls', key, cert, logger: false,
    onAuth(auth, session, cb) {
      if (auth.username === 'portal' && auth.password === 's3cret-pass') return cb(null, { user: auth.username });
      return cb(new Error('bad credentials'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        got.push({ user: String(session.user ?? ''), secure: session.secure, subject: decode(/^Subject: (.*(?:\r?\n[ \t].*)*)$/im.exec(Buffer.concat(chunks).toString())?.[1] ?? '') });
        cb();
      });
    },
  };
  const server = new SMTPServer(opts);
  server.on('error', () => {}); // the refused-certificate case makes the client hang up mid-handshake
  const port = await new Promise<number>((res) => server.listen(0, '127.0.0.1', () => res((server.server.address() as { port: number }).port)));
  const portal = await startTestPortal({
    tickMs: 0,
    smtp: { host: '127.0.0.1', port, security: mode, user: 'portal', pass: 's3cret-pass', from: 'portal@example.kz', retryBaseMs: 10, maxAttempts: 5, ...(trustCa ? { caFile: path.join(dir, 'cert.pem') } : {}) },
  });
  try {
    const head = await signIn(portal.url, 'orgHead');
    const r = await call(portal.url, 'POST', `/api/orgs/${demoId('org', 'organizer')}/employees`, { token: head, body: { iin: freshIin(), fullName: 'Mail Test', email: `mail-${mode}@example.kz`, roles: ['secretary'], preferredLanguage: 'en' } });
    expect(r.status).toBe(200);
    await portal.tick();
    const row = await portal.db.selectFrom('email_outbox').selectAll().where('to_address', '=', `mail-${mode}@example.kz`).executeTakeFirstOrThrow();
    return { got, row };
  } finally {
    await portal.cleanup();
    await new Promise<void>((res) => server.close(() => res()));
  }
}

describe('SMTP security', () => {
  it('implicit TLS with authentication, trusting the configured CA', async () => {
    const { got, row } = await runCase('tls', true);
    expect(row.status).toBe('sent');
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ user: 'portal', secure: true });
    expect(got[0]!.subject).toContain('You were added to');
  });

  it('STARTTLS with authentication', async () => {
    const { got, row } = await runCase('starttls', true);
    expect(row.status).toBe('sent');
    expect(got[0]).toMatchObject({ user: 'portal', secure: true });
  });

  it('an untrusted certificate is refused: the mail stays in the outbox with the error', async () => {
    const { got, row } = await runCase('tls', false);
    expect(got).toHaveLength(0);
    expect(row.status).toBe('pending');
    expect(row.attempts).toBe(1);
    expect(row.last_error).toMatch(/certificate/i);
  });
});
