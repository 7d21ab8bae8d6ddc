/**
 * A fixed-window request counter per key (client address) for public read routes. In memory: a
 * restart resets it, which is fine for a limiter whose only job is to keep scrapers and loops from
 * walking the serial space or hogging the portal.
 */
export class FixedWindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly max: number, private readonly windowMs: number) {}

  /** Counts one request; returns 0 when allowed, else the milliseconds until the window resets. */
  take(key: string, nowMs: number): number {
    if (this.windows.size > 10_000) this.sweep(nowMs);
    let w = this.windows.get(key);
    if (!w || nowMs - w.start >= this.windowMs) {
      w = { start: nowMs, count: 0 };
      this.windows.set(key, w);
    }
    if (w.count >= this.max) return Math.max(1, w.start + this.windowMs - nowMs);
    w.count++;
    return 0;
  }

  private sweep(nowMs: number): void {
    for (const [k, w] of this.windows) if (nowMs - w.start >= this.windowMs) this.windows.delete(k);
  }
}
