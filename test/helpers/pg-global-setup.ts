/**
 * vitest global setup: a run folder in which the first test file that needs
 * PostgreSQL records the cluster it started (test/portal/postgres.ts), so
 * every file of the run shares one; the teardown stops it. Nothing starts
 * here: a run without PostgreSQL tests pays nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PG_RUN_ENV, stopRunClusters } from '../portal/postgres';

export default function setup(): () => void {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'seriktes-pg-run-'));
  // Test workers are started after this and inherit the environment.
  process.env[PG_RUN_ENV] = runDir;
  return () => stopRunClusters(runDir);
}
