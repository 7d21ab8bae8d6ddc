/**
 * TEST-ONLY fault injection (issue 4: "the portal is killed after committing
 * but before answering; the replay returns the first result").
 *
 * SERIKTES_PORTAL_FAULT=crash-after-commit makes the process SIGKILL itself
 * right after a push committed and before the answer is written. It is
 * honoured only in demo mode or under the test runner; a production portal
 * ignores the variable.
 *
 * SERIKTES_PORTAL_FAULT=poison stands for a portal bug that data can trigger
 * (issue 15: one unstorable text made every push answer 500): see POISON_MARK.
 */
export type PortalFault = 'crash-after-commit' | 'poison' | null;

/** SERIKTES_PORTAL_FAULT=poison: applying a mutation whose arguments contain this text throws a plain Error after its writes. */
export const POISON_MARK = '\u2620poison';

export function portalFault(demo: boolean): PortalFault {
  const wanted = process.env.SERIKTES_PORTAL_FAULT;
  const testMode = process.env.VITEST === 'true' || process.env.NODE_ENV === 'test';
  if (!wanted || !(demo || testMode)) return null;
  return wanted === 'crash-after-commit' || wanted === 'poison' ? wanted : null;
}

export function crashNow(): never {
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL cannot be caught; this only satisfies the type checker.
  throw new Error('unreachable');
}
