/**
 * Short signing sessions: an opened key (a non-extractable WebCrypto key, or the NCALayer storage
 * and certificate the user chose) kept in memory under a random id, so the user can see the
 * certificate first and then sign a batch without typing the password again. A session belongs
 * to the account that opened it, ends after `ttlMs` without use, on close, and when another
 * account (or nobody) is signed in. Nothing of it is ever written anywhere.
 */
import { randomBytes } from 'node:crypto';
import { AppError } from '../../src-shared/rpc/errors';

export const KEY_SESSION_TTL_MS = 5 * 60_000;

interface Entry<K> {
  key: K;
  /** The open account (object identity): a sign-out and sign-in opens a new one, so the session ends. */
  owner: object;
  lastUsed: number;
  /** Calls using the key right now: an idle timer never ends a session in the middle of a batch. */
  busy: number;
  timer: NodeJS.Timeout | null;
}

export interface KeySessionOptions {
  ttlMs?: number;
  now?: () => Date;
}

export class KeySessions<K> {
  private readonly sessions = new Map<string, Entry<K>>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(o: KeySessionOptions = {}) {
    this.ttlMs = o.ttlMs ?? KEY_SESSION_TTL_MS;
    this.now = o.now ? () => o.now!().getTime() : () => Date.now();
  }

  open(key: K, owner: object): string {
    const id = `ks_${randomBytes(24).toString('base64url')}`;
    const e: Entry<K> = { key, owner, lastUsed: this.now(), busy: 0, timer: null };
    this.sessions.set(id, e);
    this.arm(id, e);
    return id;
  }

  /**
   * Runs `fn` with the session's key. Refuses (key_session_expired) when the session is unknown,
   * idle too long, or belongs to an account that is no longer the signed-in one.
   */
  async use<T>(id: string, currentOwner: object | null, fn: (key: K) => Promise<T>): Promise<T> {
    this.sweep(currentOwner);
    const e = this.sessions.get(id);
    if (!e) throw new AppError('key_session_expired', 'The signing key was closed or timed out: open it again');
    e.busy++;
    e.lastUsed = this.now();
    try {
      return await fn(e.key);
    } finally {
      e.busy--;
      e.lastUsed = this.now();
      if (this.sessions.get(id) === e) this.arm(id, e);
    }
  }

  /** Marks the session used (during a long batch, before each file). */
  touch(id: string): void {
    const e = this.sessions.get(id);
    if (e) e.lastUsed = this.now();
  }

  close(id: string): boolean {
    const e = this.sessions.get(id);
    if (!e) return false;
    this.drop(id, e);
    return true;
  }

  /** Drops sessions of other accounts and idle ones. */
  sweep(currentOwner: object | null): void {
    const now = this.now();
    for (const [id, e] of this.sessions) {
      if (e.owner !== currentOwner || (e.busy === 0 && now - e.lastUsed >= this.ttlMs)) this.drop(id, e);
    }
  }

  get size(): number {
    return this.sessions.size;
  }

  closeAll(): void {
    for (const [id, e] of this.sessions) this.drop(id, e);
  }

  private arm(id: string, e: Entry<K>): void {
    if (e.timer) clearTimeout(e.timer);
    e.timer = setTimeout(() => {
      e.timer = null;
      if (this.sessions.get(id) !== e || e.busy > 0) return;
      // With an injected clock the timer only nudges: the clock decides whether the session is idle.
      if (this.now() - e.lastUsed >= this.ttlMs) this.drop(id, e);
      else this.arm(id, e);
    }, this.ttlMs);
    e.timer.unref();
  }

  private drop(id: string, e: Entry<K>): void {
    if (e.timer) clearTimeout(e.timer);
    e.timer = null;
    this.sessions.delete(id);
    // The key object becomes unreachable here; a CryptoKey cannot be wiped, only forgotten.
    (e as { key?: K }).key = undefined;
  }
}
