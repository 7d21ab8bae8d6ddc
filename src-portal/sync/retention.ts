/**
 * Mutation results are kept at least MUTATION_RETENTION_DAYS by the portal
 * clock (longer than any realistic offline spell), then purged, so a client
 * that replays after months still gets the first result.
 */
import { MUTATION_RETENTION_DAYS } from '../../src-shared/sync/protocol';
import type { PortalContext } from '../context';

const DAY_MS = 86_400_000;
/** Purging more often than this is pointless: results live for months. */
const PURGE_EVERY_MS = 3600_000;

export function retentionCutoff(nowMs: number): string {
  return new Date(nowMs - MUTATION_RETENTION_DAYS * DAY_MS).toISOString();
}

export class MutationResultPurger {
  private lastRunMs = Number.NEGATIVE_INFINITY;
  constructor(private readonly ctx: PortalContext) {}

  /** Called on every portal tick; runs at most hourly by the portal clock. Returns how many results were purged. */
  async tick(): Promise<number> {
    const now = this.ctx.clock.now().getTime();
    if (now - this.lastRunMs < PURGE_EVERY_MS) return 0;
    this.lastRunMs = now;
    const r = await this.ctx.db.deleteFrom('applied_mutations').where('created_at', '<', retentionCutoff(now)).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
