/**
 * Child process of P5: signs one PDF with signFilePades and prints its own duration and peak
 * resident memory over its whole life, start-up included — the signing process alone, not the
 * bench with its generated PDF and other rows. Bundled by the row like the app is, and run with
 * plain node. A one-page PDF is signed first, untimed: the app is a long-running process, and the
 * goal is about reading, hashing and writing the large file, not about compiling the CMS code once.
 * argv: in.pdf out.pdf key.p12 password warmup.pdf
 */
import { readFileSync } from 'node:fs';
import { platform } from 'node:os';
import { identityFromPkcs12, signFilePades } from '../../src-main/signing/sign-file';

/**
 * Peak RSS in MB. On Linux /proc's VmHWM: the high-water mark of this program since exec.
 * getrusage's maxRSS is not used there: Linux keeps the forking parent's resident size in it
 * across exec (the bench was 120 MB at the spawn, and that is what maxRSS reported).
 */
function peakRssMb(): number {
  if (platform() === 'linux') {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  }
  return process.resourceUsage().maxRSS / 1024;
}

async function main() {
  const [inPath, outPath, p12, password, warmup] = process.argv.slice(2);
  if (!inPath || !outPath || !p12 || password === undefined || !warmup) throw new Error('usage: p5-child in.pdf out.pdf key.p12 password warmup.pdf');
  const identity = await identityFromPkcs12(new Uint8Array(readFileSync(p12)), password);
  await signFilePades({ identity, inPath: warmup, outPath: `${outPath}.warmup.pdf` });
  const rssBeforeMb = process.memoryUsage().rss / 2 ** 20;
  const t0 = performance.now();
  await signFilePades({ identity, inPath, outPath });
  const ms = performance.now() - t0;
  process.stdout.write(`${JSON.stringify({ ms, peakRssMb: peakRssMb(), rssBeforeMb })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
