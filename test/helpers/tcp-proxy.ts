import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A loopback TCP proxy that plays the network between an app and the
 * portal: `cut()` drops every open connection and refuses new ones until
 * `restore()`, as a lost Wi-Fi would. HTTP and WebSocket pass through unchanged.
 */
export class TcpProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private down = false;
  private cutAt: number | null = null;
  /** Bytes sent from the app towards the portal since start. */
  upstreamBytes = 0;
  port = 0;

  constructor(private readonly targetPort: number, private readonly targetHost = '127.0.0.1') {}

  async start(port = 0): Promise<string> {
    this.server = createServer((client) => {
      if (process.env.SERIKTES_DEBUG_SYNC) process.stderr.write(`proxy ${this.port}: connection while ${this.down ? 'down' : 'up'}\n`);
      if (this.down) return client.destroy();
      const upstream = connect(this.targetPort, this.targetHost);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.on('data', (d: Buffer) => {
        this.upstreamBytes += d.length;
        if (this.cutAt !== null && this.upstreamBytes >= this.cutAt) {
          this.cutAt = null;
          this.cut();
        }
      });
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((ok) => this.server!.listen(port, '127.0.0.1', () => ok()));
    this.port = (this.server.address() as AddressInfo).port;
    return `http://127.0.0.1:${this.port}`;
  }

  cut(): void {
    this.down = true;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  /** Drops open connections but accepts new ones (a socket reset, not an outage). */
  dropConnections(): void {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  /** Cuts the network once `n` more bytes have gone towards the portal (mid-upload). */
  cutAfter(n: number): void {
    this.cutAt = this.upstreamBytes + n;
  }

  restore(): void {
    this.down = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((ok) => (this.server ? this.server.close(() => ok()) : ok()));
  }
}
