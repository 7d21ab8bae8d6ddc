/**
 * TEST-ONLY fault injection (issue 4: "the portal is killed after committing
 * but before answering; the replay returns the first result").
 *
 * SERIKTES_PORTAL_FAULT=crash-after-commit makes the process SIGKILL itself
 * right after a push committed and before the answer is written. It is
 * honoured only in demo mode or under the test runner; a production portal
 * ignores the variable.
 */
export type PortalFault = 'crash-after-commit' | null;

export function portalFault(demo: boolean): PortalFault {
  const wanted = process.env.SERIKTES_PORTAL_FAULT;
  const testMode = process.env.VITEST === 'true' || process.env.NODE_ENV === 'test';
  if (!wanted || !(demo || testMode)) return null;
  return wanted === 'crash-after-commit' ? wanted : null;
}

export function crashNow(): never {
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL cannot be caught; this only satisfies the type checker.
  throw new Error('unreachable');
}
