/**
 * "Now" is the portal's time (SPEC §3: deadlines and statuses follow the portal's clock, not the
 * PC's). The app learns the offset between the portal's clock and its own at every sync and adds
 * it to its own clock; in demo mode the portal's clock may run weeks ahead of the PC.
 */
export class PortalClock {
  constructor(
    private offset = 0,
    private readonly local: () => number = () => Date.now(),
  ) {}

  /** Milliseconds to add to the local clock to read the portal's. */
  get offsetMs(): number {
    return this.offset;
  }

  now(): Date {
    return new Date(this.local() + this.offset);
  }

  nowIso(): string {
    return this.now().toISOString();
  }

  /**
   * One answer of the portal: its time `serverIso`, stamped while the request was in flight
   * between the local instants `sentAt` and `receivedAt`; the midpoint is the best guess of
   * when the portal read its clock. Returns false (and changes nothing) for an unreadable time.
   */
  learn(serverIso: string, sentAt: number, receivedAt: number): boolean {
    const server = Date.parse(serverIso);
    if (!Number.isFinite(server) || receivedAt < sentAt) return false;
    this.offset = Math.round(server - (sentAt + receivedAt) / 2);
    return true;
  }

  set(offsetMs: number): void {
    if (Number.isFinite(offsetMs)) this.offset = Math.round(offsetMs);
  }
}
