/**
 * The live channel: a WebSocket per open app that only says "the feed moved
 * to seq N in a scope you read"; the app then pulls. It carries no data, so
 * a missed message costs nothing but latency: the next pull from the old
 * cursor has everything (no gap).
 *
 * `poke()` is called after every commit that may have written the feed
 * (push, REST writes); a slow poll of the feed head is the safety net for
 * writers that do not poke (scheduled jobs, another process). Each check
 * re-reads the connected users' scopes, so a user removed from an
 * organization stops hearing about it at once (they still get the one
 * "changed" for their own removal, so their app pulls and purges).
 */
import type { WebSocket } from 'ws';
import type { LiveMessage } from '../../src-shared/sync/protocol';
import type { PortalContext } from '../context';
import { feedHead } from './feed';
import { readableScopes } from './pull';
import { akiReadableScopes } from '../aki/scopes';

interface Client {
  ws: WebSocket;
  userId: string;
  tokenHash: string;
  scopes: Set<string>;
  alive: boolean;
}

export interface LiveHubOptions {
  /** Keepalive ping period; a socket that missed the previous pong is dropped. */
  pingMs?: number;
  /** Safety-net poll of the feed head. */
  pollMs?: number;
}

export class LiveHub {
  private readonly clients = new Set<Client>();
  private lastSeq = 0;
  private checking: Promise<void> | null = null;
  private again = false;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly ctx: PortalContext,
    opts: LiveHubOptions = {},
  ) {
    const ping = setInterval(() => void this.keepalive(), opts.pingMs ?? 25_000);
    const poll = setInterval(() => {
      if (this.clients.size) this.poke();
    }, opts.pollMs ?? 1000);
    ping.unref();
    poll.unref();
    this.timers.push(ping, poll);
  }

  async start(): Promise<void> {
    this.lastSeq = await feedHead(this.ctx.db);
  }

  get size(): number {
    return this.clients.size;
  }

  async add(ws: WebSocket, user: { id: string; tokenHash: string }): Promise<void> {
    const client: Client = { ws, userId: user.id, tokenHash: user.tokenHash, scopes: new Set(), alive: true };
    ws.on('pong', () => {
      client.alive = true;
    });
    ws.on('close', () => this.clients.delete(client));
    ws.on('error', () => this.clients.delete(client));
    // Messages from the client are not part of the protocol; they are ignored.
    ws.on('message', () => {});
    client.scopes = new Set(await readableScopes(this.ctx.db, user.id));
    // Registered before reading the head: a commit in between is announced, never lost.
    this.clients.add(client);
    send(client, { type: 'hello', seq: await feedHead(this.ctx.db) });
  }

  /** Something may have committed: tell the sockets that can read it. Concurrent pokes coalesce. */
  poke(): void {
    if (this.checking) {
      this.again = true;
      return;
    }
    this.checking = this.check()
      .catch((e) => this.ctx.log('live check failed', e))
      .finally(() => {
        this.checking = null;
        if (this.again) {
          this.again = false;
          this.poke();
        }
      });
  }

  /** Waits for the running check (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.checking) await this.checking;
  }

  private async check(): Promise<void> {
    const { db } = this.ctx;
    const head = await feedHead(db);
    if (head <= this.lastSeq) return;
    const from = this.lastSeq;
    const changed = new Set((await db.selectFrom('change_feed').select('scope').distinct().where('seq', '>', from).where('seq', '<=', head).execute()).map((r) => r.scope));
    this.lastSeq = head;
    if (this.clients.size === 0) return;
    const userIds = [...new Set([...this.clients].map((c) => c.userId))];
    const orgs = await db.selectFrom('memberships').select(['user_id', 'organization_id']).where('user_id', 'in', userIds).execute();
    for (const c of this.clients) {
      const now = new Set(['public', `user:${c.userId}`, ...orgs.filter((o) => o.user_id === c.userId).map((o) => `org:${o.organization_id}`)]);
      // AKI: a category's customer reads `aki-category:<id>` (issue 6).
      for (const scope of await akiReadableScopes(db, c.userId)) now.add(scope);
      const interested = [...changed].some((s) => c.scopes.has(s) || now.has(s));
      c.scopes = now;
      if (interested) send(c, { type: 'changed', seq: head });
    }
  }

  private async keepalive(): Promise<void> {
    if (this.clients.size === 0) return;
    // A signed-out or expired session loses its socket too.
    const hashes = [...new Set([...this.clients].map((c) => c.tokenHash))];
    const valid = new Set(
      (await this.ctx.db.selectFrom('sessions').select('token_hash').where('token_hash', 'in', hashes).where('expires_at', '>', this.ctx.nowIso()).execute().catch(() => null))?.map((r) => r.token_hash) ?? hashes,
    );
    for (const c of this.clients) {
      if (!valid.has(c.tokenHash)) {
        c.ws.close(4401, 'session ended');
        this.clients.delete(c);
        continue;
      }
      if (!c.alive) {
        c.ws.terminate();
        this.clients.delete(c);
        continue;
      }
      c.alive = false;
      c.ws.ping();
    }
  }

  close(): void {
    for (const t of this.timers) clearInterval(t);
    for (const c of this.clients) c.ws.close(1001, 'portal shutting down');
    this.clients.clear();
  }
}

function send(c: Client, msg: LiveMessage): void {
  if (c.ws.readyState === c.ws.OPEN) c.ws.send(JSON.stringify(msg));
}
