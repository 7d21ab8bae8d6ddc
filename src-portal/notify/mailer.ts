/**
 * The mail worker: sends due outbox rows through SMTP (nodemailer), one at a
 * time, and marks each `sent` only after the server accepted it.
 *
 * Delivery guarantee, honestly: if the portal crashes after the SMTP server
 * answered 250 but before the row is marked sent, the mail is sent again on
 * restart. That window is milliseconds wide; the resend carries the same
 * Message-ID (fixed when the row was written), so receiving systems and
 * people can recognise the duplicate. Otherwise each mail is sent once;
 * failures are retried with exponential backoff (retryBaseMs × 2^n, ≤ 1 h)
 * up to maxAttempts, then the row is marked `failed` and kept for inspection.
 */
import fs from 'node:fs';
import path from 'node:path';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import type { PortalContext } from '../context';
import type { SmtpSettings } from '../settings';
import { renderMessage, type MessageVars } from './messages';

export function createTransport(s: SmtpSettings): Transporter {
  return nodemailer.createTransport({
    host: s.host,
    port: s.port,
    secure: s.security === 'tls',
    requireTLS: s.security === 'starttls',
    ignoreTLS: s.security === 'none',
    ...(s.user ? { auth: { user: s.user, pass: s.pass ?? '' } } : {}),
    // Certificates are always verified; an internal CA is added, never verification switched off.
    ...(s.caFile ? { tls: { ca: fs.readFileSync(s.caFile) } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
}

const fileSettings: SmtpSettings = { host: 'file', port: 1, security: 'none', from: 'Seriktes <no-reply@seriktes.local>', retryBaseMs: 1000, maxAttempts: 5 };

export class MailWorker {
  private transport: Transporter | null = null;
  private running: Promise<number> | null = null;
  constructor(private readonly ctx: PortalContext) {}

  /** Sends every due mail; concurrent calls share one run so a mail is never sent twice in parallel. */
  flush(): Promise<number> {
    const s = this.ctx.smtp ?? (this.ctx.mailDir ? fileSettings : null);
    if (!s) return Promise.resolve(0);
    this.running ??= this.run(s).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** The file "transport": nodemailer builds the same MIME message; it is written atomically as `<id>.eml`. */
  private fileTransport(dir: string): Transporter {
    const stream = nodemailer.createTransport({ streamTransport: true, buffer: true });
    return {
      sendMail: async (mail: SendMailOptions) => {
        const info = (await stream.sendMail(mail)) as unknown as { message: Buffer };
        fs.mkdirSync(dir, { recursive: true });
        const id = String(mail.messageId ?? '').replace(/[^A-Za-z0-9@.-]/g, '');
        const tmp = path.join(dir, `.${id}.tmp`);
        fs.writeFileSync(tmp, info.message);
        fs.renameSync(tmp, path.join(dir, `${id}.eml`));
        return info;
      },
      close: () => stream.close(),
    } as unknown as Transporter;
  }

  private async run(s: SmtpSettings): Promise<number> {
    const { db } = this.ctx;
    this.transport ??= this.ctx.smtp ? createTransport(s) : this.fileTransport(this.ctx.mailDir!);
    let sent = 0;
    const due = await db
      .selectFrom('email_outbox')
      .selectAll()
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', this.ctx.nowIso())
      .orderBy('created_at')
      .limit(100)
      .execute();
    for (const row of due) {
      const msg = renderMessage(row.language, row.template, JSON.parse(row.vars_json) as MessageVars);
      try {
        await this.transport.sendMail({
          from: s.from,
          to: row.to_address,
          subject: msg.subject,
          text: `${msg.body}\n\n--\n${msg.footer}\n`,
          messageId: row.message_id,
          headers: { 'Content-Language': row.language },
        });
      } catch (err) {
        const attempts = row.attempts + 1;
        const delay = Math.min(s.retryBaseMs * 2 ** (attempts - 1), 3600_000);
        await db
          .updateTable('email_outbox')
          .set({
            attempts,
            last_error: err instanceof Error ? err.message.slice(0, 500) : String(err).slice(0, 500),
            next_attempt_at: new Date(this.ctx.clock.now().getTime() + delay).toISOString(),
            status: attempts >= s.maxAttempts ? 'failed' : 'pending',
          })
          .where('id', '=', row.id)
          .execute();
        // The server is probably down: leave the rest for the next tick instead of hammering it.
        this.transport.close();
        this.transport = null;
        break;
      }
      await db
        .updateTable('email_outbox')
        // A temporary password is needed only until the mail is out: it is not kept at rest afterwards.
        .set({ status: 'sent', sent_at: this.ctx.nowIso(), attempts: row.attempts + 1, last_error: null, vars_json: withoutSecrets(row.vars_json) })
        .where('id', '=', row.id)
        .execute();
      sent++;
    }
    return sent;
  }

  close(): void {
    this.transport?.close();
    this.transport = null;
  }
}

/** Drops secret values (temporary passwords) from a sent mail's stored variables. */
export function withoutSecrets(varsJson: string): string {
  try {
    const vars = JSON.parse(varsJson) as Record<string, unknown>;
    for (const key of Object.keys(vars)) if (/pass(word)?|secret|token/i.test(key)) vars[key] = '[sent]';
    return JSON.stringify(vars);
  } catch {
    return '{}';
  }
}
