/**
 * "Now" in the window is the portal's (SPEC §3): the back end learns the offset of the portal's clock at
 * every sync and reports it with the sync status; the last one known stays in force while offline or
 * signed out. Nothing in the renderer reads the PC's clock for a time it shows.
 */
import { useEffect, useState } from 'react';
import { useApp } from './store';

let offsetMs = 0;
useApp.subscribe((s) => {
  const o = s.sync?.portalOffsetMs;
  if (typeof o === 'number') offsetMs = o;
});

export const portalNow = (): Date => new Date(Date.now() + offsetMs);

/** The portal's time, re-read every `everyMs` and whenever a sync brings a new offset. */
export function usePortalNow(everyMs = 30_000): Date {
  useApp((s) => s.sync?.portalOffsetMs);
  const [, setTick] = useState(0);
  useEffect(() => {
    const id = window.setInterval(() => setTick((n) => n + 1), everyMs);
    return () => window.clearInterval(id);
  }, [everyMs]);
  return portalNow();
}
