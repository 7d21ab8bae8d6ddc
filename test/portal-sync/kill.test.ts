/**
 * Kills at random points of a push stream (issue 15), the PostgreSQL side:
 * the portal process killed and restarted on the same database, and
 * PostgreSQL dropping the portal's connections mid-transaction. A few trials
 * here; `npm run soak -- --only sync-kill-postgres` runs the full campaign
 * (and the SQLite one). The SQLite kill after commit is processes.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { BACKENDS } from './backends';
import { runKillCampaign, type CampaignReport } from './kill-campaign';

/** At most 20 trials in `npm test` (issue 15); the soak runs hundreds. */
const TRIALS = { portal: 1, connections: 5 } as const;

const clean = (r: CampaignReport) => ({ lost: r.lost, duplicated: r.duplicated, changedAnswers: r.changedAnswers, auditOk: r.auditOk });

describe.each(BACKENDS.filter((b) => b === 'postgres'))('kills mid-push on %s', (backend) => {
  it(`the portal process killed at random points (${TRIALS.portal} trial(s)): nothing lost or duplicated, every answer replays unchanged`, async () => {
    const r = await runKillCampaign({ backend, victim: 'portal', trials: TRIALS.portal, batchesPerTrial: 3 });
    expect(clean(r), `seed ${r.seed}`).toEqual({ lost: [], duplicated: [], changedAnswers: [], auditOk: true });
    expect(r.sent).toBeGreaterThan(0);
  }, 120_000);

  it(`the database drops the portal's connections mid-transaction (${TRIALS.connections} trials): 5xx then retried; nothing lost or duplicated`, async () => {
    const r = await runKillCampaign({ backend, victim: 'connections', trials: TRIALS.connections, batchesPerTrial: 2 });
    expect(clean(r), `seed ${r.seed}`).toEqual({ lost: [], duplicated: [], changedAnswers: [], auditOk: true });
    expect(r.acknowledged).toBe(r.sent);
  }, 120_000);
});
