/** A real SMTP server on loopback that keeps what it receives (recipient, decoded subject, language, body). */
import { SMTPServer } from 'smtp-server';
import { decodeMimeHeader } from '../portal/helpers';

export interface ReceivedMail {
  messageId: string;
  to: string;
  subject: string;
  language: string;
  raw: string;
}

export class SmtpReceiver {
  readonly received: ReceivedMail[] = [];
  private server: SMTPServer | null = null;
  port = 0;

  /** Listens on `port` (0: any free one, remembered for a restart on the same port). */
  async start(port = this.port): Promise<number> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const headers = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
          const h = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(headers)?.[1]?.trim() ?? '';
          this.received.push({ messageId: h('Message-ID'), to: session.envelope.rcptTo.map((r) => r.address).join(','), subject: decodeMimeHeader(h('Subject')), language: h('Content-Language'), raw });
          cb();
        });
      },
    });
    this.port = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve((server.server.address() as { port: number }).port));
    });
    this.server = server;
    return this.port;
  }

  settings() {
    return { host: '127.0.0.1', port: this.port, security: 'none' as const, from: 'Seriktes <portal@example.kz>', retryBaseMs: 50, maxAttempts: 50 };
  }

  to(address: string): ReceivedMail[] {
    return this.received.filter((m) => m.to === address);
  }

  close(): Promise<void> {
    const s = this.server;
    this.server = null;
    return s ? new Promise((resolve) => s.close(() => resolve())) : Promise.resolve();
  }
}
