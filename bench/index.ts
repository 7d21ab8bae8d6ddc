/**
 * `npm run bench`: runs every bench module (each exports `run()`), one
 * after another, printing their numbers. Not part of `npm test`.
 * `npm run bench -- sync` runs only the named ones.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

async function main() {
  const only = process.argv.slice(2);
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.ts') && f !== 'index.ts' && !f.endsWith('-child.ts'))
    .filter((f) => only.length === 0 || only.includes(f.replace(/\.ts$/, '')));
  for (const file of files) {
    console.log(`\n=== bench/${file}`);
    const mod = (await import(join(__dirname, file))) as { run?: () => Promise<void> };
    if (typeof mod.run !== 'function') {
      console.log('(no run() export; skipped)');
      continue;
    }
    const started = Date.now();
    await mod.run();
    console.log(`=== bench/${file} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  process.exit(0);
}

void main();
