/**
 * The Java side of the matrix (test/java/): PDFBox co-signatures and the PDFBox + Bouncy Castle
 * validator. Compiled once per test file into a temp dir, then ONE JVM runs every job of the file
 * (a JVM start costs about a second). Missing java, javac or jars is a failure, never a skip: CI
 * installs them (.ci/run).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const JAVA_SOURCES = resolve(__dirname, '../../java');
const JARS_DIR = '/usr/share/java';
const REQUIRED_JARS = ['pdfbox2.jar', 'fontbox2.jar', 'bcprov.jar', 'bcpkix.jar', 'commons-logging.jar'];
/** Bouncy Castle 1.69+ splits ASN.1 utilities into bcutil; older installs have it inside bcpkix. */
const OPTIONAL_JARS = ['bcutil.jar'];

export function javaClasspath(): string {
  const missing = REQUIRED_JARS.filter((j) => !existsSync(join(JARS_DIR, j)));
  if (missing.length) throw new Error(`PDFBox/Bouncy Castle jars missing in ${JARS_DIR}: ${missing.join(', ')} (install libpdfbox2-java libbcprov-java libbcpkix-java, see .ci/run)`);
  return [...REQUIRED_JARS, ...OPTIONAL_JARS.filter((j) => existsSync(join(JARS_DIR, j)))].map((j) => join(JARS_DIR, j)).join(':');
}

/** javac test/java/*.java → dir/classes; throws with javac's output when anything is missing or wrong. */
export function compileJava(dir: string): { classes: string; classpath: string } {
  const classpath = javaClasspath();
  for (const tool of ['java', 'javac']) {
    const r = spawnSync(tool, ['-version'], { encoding: 'utf8' });
    if (r.error || r.status !== 0) throw new Error(`${tool} is not installed (default-jdk-headless, see .ci/run): ${r.error?.message ?? r.stderr}`);
  }
  const classes = join(dir, 'classes');
  mkdirSync(classes, { recursive: true });
  const sources = readdirSync(JAVA_SOURCES).filter((f) => f.endsWith('.java')).map((f) => join(JAVA_SOURCES, f));
  const r = spawnSync('javac', ['-nowarn', '-encoding', 'UTF-8', '-d', classes, '-cp', classpath, ...sources], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`javac failed: ${r.stdout}${r.stderr}`);
  return { classes, classpath: `${classes}:${classpath}` };
}

export type PdfBoxJob = { cosign: { in: string; out: string; p12: string; password: string; visible: boolean; name: string } } | { verify: string };

export interface PdfBoxSignature {
  subFilter: string | null;
  name: string | null;
  byteRange: number[];
  intact: boolean;
  signer: string | null;
  error: string | null;
}
export interface PdfBoxReport {
  file: string;
  length?: number;
  signatures?: PdfBoxSignature[];
  error?: string;
}
export type PdfBoxResult = { job: 'cosign'; out: string; ok: boolean; error: string | null } | { job: 'verify'; report: PdfBoxReport };

/** Runs the jobs in order in one JVM (PdfBoxJobs); one result per job. Async: servers may live in this process. */
export function runPdfBoxJobs(java: { classpath: string }, jobs: PdfBoxJob[]): Promise<PdfBoxResult[]> {
  const lines = jobs.map((j) =>
    'verify' in j ? `verify\t${j.verify}` : ['cosign', j.cosign.in, j.cosign.out, j.cosign.p12, j.cosign.password, j.cosign.visible ? 'visible' : 'invisible', j.cosign.name].join('\t'),
  );
  return new Promise((res, rej) => {
    const child = spawn('java', ['-Xshare:auto', '-XX:TieredStopAtLevel=1', '-cp', java.classpath, 'PdfBoxJobs'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.on('error', rej);
    child.on('close', (code) => {
      const results = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as PdfBoxResult);
      if (code !== 0 || results.length !== jobs.length) rej(new Error(`PdfBoxJobs exited ${code} with ${results.length}/${jobs.length} results: ${err.slice(0, 4000)}`));
      else res(results);
    });
    child.stdin.end(`${lines.join('\n')}\n`);
  });
}
