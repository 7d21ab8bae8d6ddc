import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { AppError } from '../../src-shared/rpc/errors';

export interface AccountLock {
  release(): void;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * One process per account cache: two sync engines on one outbox would push
 * the same mutations twice and fight over the cursor. The lock file holds the
 * owner's pid; a lock left by a killed process is taken over.
 */
export function acquireAccountLock(file: string): AccountLock {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          try {
            if (readFileSync(file, 'utf8').trim() === String(process.pid)) unlinkSync(file);
          } catch {
            // already gone
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
        throw new AppError('account_locked', 'This account is open in another Seriktes window', { pid: owner });
      }
      unlinkSync(file); // stale: its owner is gone
    }
  }
  throw new AppError('account_locked', 'Could not lock the account cache');
}
