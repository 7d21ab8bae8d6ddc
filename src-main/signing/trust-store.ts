/**
 * Trust anchors for verification.
 *  - production: every certificate file (.cer .crt .pem .der) in the folder the
 *    administrator configures (SERIKTES_TRUST_DIR, or --trust-dir for the CLI);
 *    put the NCA RK root and issuing CA certificates there (see TRUST.md).
 *  - test: the NCA RK *test* CAs from the repository's test fixtures, only on explicit request
 *    (--trust-test-roots); reports then say TEST.
 *  - custom: single files given with --trust.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pemOrDerBlocks } from '../../src-shared/signing/bytes';
import { certificateFacts } from '../../src-shared/signing/cert-facts';
import type { TrustAnchor, TrustKind } from '../../src-shared/signing/chain';

const CERT_EXT = /\.(cer|crt|pem|der)$/i;

export function certificatesFromFile(path: string): Uint8Array[] {
  return pemOrDerBlocks(new Uint8Array(readFileSync(path))).filter((der) => {
    try {
      certificateFacts(der);
      return true;
    } catch {
      return false;
    }
  });
}

export function anchorsFromFolder(dir: string, kind: TrustKind, onlyCa = false): TrustAnchor[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  const out: TrustAnchor[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!CERT_EXT.test(name)) continue;
    for (const der of certificatesFromFile(join(dir, name))) {
      if (onlyCa && !certificateFacts(der).isCa) continue;
      out.push({ der, kind, label: name });
    }
  }
  return out;
}

/** Where the NCA RK test CAs live: the repository's test fixtures (absent in an installed app; overridable). */
export function testRootDirs(): string[] {
  const env = process.env.SERIKTES_TEST_ROOTS_DIR;
  if (env) return env.split(':');
  // From src-main/signing (tsx) and from dist/main (bundle) alike, two levels up is the repository.
  const fixtures = resolve(__dirname, '../../test/fixtures/nca');
  return [join(fixtures, 'nca-test'), join(fixtures, 'nca-test-gost2015')];
}

export interface TrustConfig {
  /** Production folder; defaults to SERIKTES_TRUST_DIR. */
  productionDir?: string;
  trustTestRoots?: boolean;
  customFiles?: string[];
}

export function loadTrustAnchors(c: TrustConfig): TrustAnchor[] {
  const anchors: TrustAnchor[] = [];
  const prodDir = c.productionDir ?? process.env.SERIKTES_TRUST_DIR;
  if (prodDir) anchors.push(...anchorsFromFolder(prodDir, 'production'));
  if (c.trustTestRoots) for (const d of testRootDirs()) anchors.push(...anchorsFromFolder(d, 'test', true));
  for (const f of c.customFiles ?? []) anchors.push(...certificatesFromFile(f).map((der) => ({ der, kind: 'custom' as const, label: f })));
  return anchors;
}
