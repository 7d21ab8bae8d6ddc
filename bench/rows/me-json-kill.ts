/**
 * Soak campaign `me-json-kill` (issue 15): many kill -9 trials of the browser host while it rewrites
 * me.json (test/helpers/me-json-kill.ts; `npm test` runs 3). Needs dist/ (`node scripts/build.mjs`).
 * Fails when any trial leaves me.json damaged or a back end that reopens signed out.
 */
import { createBackend } from '../../src-main/backend/backend';
import { meJsonKillTrial } from '../../test/helpers/me-json-kill';
import { startTestPortal } from '../../test/portal/helpers';
import { progress, reportRow, timing, type BenchContext, type BenchRow } from '../harness';

const TRIALS = 100;

export async function meJsonKillCampaign(ctx: BenchContext): Promise<BenchRow[]> {
  const portal = await startTestPortal({ dataDir: ctx.tempDir('soak-portal') });
  ctx.defer(() => portal.cleanup());
  const dataDir = ctx.tempDir('soak-app');
  const backend = await createBackend({ dataDir, hostKind: 'browser', portalUrl: portal.url, version: 'soak', periodicPullMs: 0 });
  const signedIn = await backend.call('auth.signIn', { login: 'metal.head@demo.seriktes.kz', password: 'Seriktes-demo-2026' });
  await backend.close();
  if (!signedIn.ok) throw new Error(`sign-in failed: ${signedIn.error.code}`);
  const userId = (signedIn.value as { user: { id: string } }).user.id;
  const cycles: number[] = [];
  let damaged = 0;
  let signedOut = 0;
  for (let i = 0; i < TRIALS; i++) {
    const t = await meJsonKillTrial({ dataDir, portalUrl: portal.url, userId, killAfterCycles: 1 + Math.floor(Math.random() * 20) });
    cycles.push(t.cycles);
    if (t.meJson !== 'valid') damaged++;
    if (t.signedInAs !== userId) signedOut++;
    if ((i + 1) % 10 === 0) progress(`me-json-kill: ${i + 1}/${TRIALS} trials, ${damaged} damaged me.json, ${signedOut} signed out`);
  }
  if (damaged || signedOut) throw new Error(`${damaged} of ${TRIALS} trials left me.json damaged, ${signedOut} reopened signed out`);
  return [
    reportRow({ id: 'S-me-json-kill', title: 'kill -9 while me.json is rewritten' }, '0 damaged, 0 signed out', null, null, [
      `${TRIALS} trials, ${cycles.reduce((a, b) => a + b, 0)} sync cycles (me.json writes) in all; median ${timing(cycles).medianMs} cycles before the kill`,
    ]),
  ];
}
