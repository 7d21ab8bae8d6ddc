/**
 * The portal's clock is the authority on "now" for deadlines, sessions and
 * audit entries. It is injected everywhere; the database never supplies time.
 * The demo clock runs with real time plus an offset that `POST /api/demo/clock`
 * moves (only in demo mode and tests).
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export class MovableClock implements Clock {
  private offsetMs = 0;
  constructor(private readonly base: Clock = systemClock, initialOffsetMs = 0) {
    this.offsetMs = initialOffsetMs;
  }
  now(): Date {
    return new Date(this.base.now().getTime() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
  /** Time only moves forward: deadlines already passed must stay passed. */
  setTo(target: Date): void {
    const delta = target.getTime() - this.now().getTime();
    if (delta > 0) this.offsetMs += delta;
  }
  get offset(): number {
    return this.offsetMs;
  }
}

export const iso = (d: Date): string => d.toISOString();
