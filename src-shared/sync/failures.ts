/**
 * When a change the portal keeps failing to apply stops being retried.
 *
 * Only failures the portal answered for that one mutation count (a push
 * result with status `retry`): while the portal cannot be reached, or answers
 * the whole push with an error, nothing counts and the change simply waits.
 * After N counted attempts, or M since the first one, the change moves to the
 * "could not be sent" list with the portal's reason; the user edits and
 * retries it, copies its text, or discards it.
 */

/** N: attempts the portal answered with a failure for this mutation. */
export const MAX_FAILED_ATTEMPTS = 5;

/** M: time since the first such failure. */
export const MAX_FAILING_MS = 24 * 60 * 60 * 1000;

/**
 * A failing mutation is tried again no sooner than this after its last
 * failure (pokes from live changes would otherwise use up N in seconds).
 */
export const FAILED_RETRY_SPACING_MS = 15_000;

/** Should a mutation that has now failed `failures` times, first at `firstFailedAt`, stop being retried? */
export function shouldGiveUp(failures: number, firstFailedAt: string, now: string): boolean {
  return failures >= MAX_FAILED_ATTEMPTS || Date.parse(now) - Date.parse(firstFailedAt) >= MAX_FAILING_MS;
}
