import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Tests that start the browser host or the command line run the built bundles in dist/. `npm test`
 * builds once before every stage; a single `npx vitest run <file>` gets a fresh build here too
 * (scripts/build.mjs skips when dist/ is newer than every source, so this costs a file scan).
 */
export default function setup(): void {
  const r = spawnSync(process.execPath, [join(__dirname, '..', 'scripts', 'build.mjs')], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('scripts/build.mjs failed');
}
