/**
 * The app's trust for document verification (issue 9 §2): production CA certificates from
 * SERIKTES_TRUST_DIR (the administrator puts the NCA RK roots and issuing CAs there, see
 * src-main/signing/TRUST.md), plus the NCA RK TEST roots only when SERIKTES_TRUST_TEST_ROOTS=1
 * (reports and badges then say TEST). Revocation goes online (OCSP/CRL) only when
 * SERIKTES_REVOCATION=online: the app works offline, and an offline check is reported as such,
 * never as "valid".
 *
 * `context` names all of this in one short hash, so cached inspections made under other anchors
 * or options miss the cache instead of being served stale.
 */
import { createHash } from 'node:crypto';
import type { TrustAnchor } from '../../src-shared/signing/chain';
import { loadTrustAnchors } from '../signing/trust-store';

export interface AppTrust {
  anchors: TrustAnchor[];
  online: boolean;
  /** True when the NCA RK test roots are trusted (never for production decisions). */
  testRoots: boolean;
  /** Hash of the anchors and options (for cache keys). */
  context: string;
}

export interface AppTrustOptions {
  productionDir?: string;
  trustTestRoots?: boolean;
  online?: boolean;
  /** Extra anchors (tests, the CLI's --trust files). */
  extra?: TrustAnchor[];
}

export function trustContext(anchors: readonly TrustAnchor[], online: boolean): string {
  const h = createHash('sha256');
  h.update(`v1|online=${online ? 1 : 0}`);
  // Order-independent: the same folder read in another order is the same trust.
  const parts = anchors.map((a) => `${a.kind}:${createHash('sha256').update(a.der).digest('hex')}`).sort();
  for (const p of parts) h.update(`|${p}`);
  return h.digest('hex').slice(0, 32);
}

export function appTrust(o: AppTrustOptions = {}, env: NodeJS.ProcessEnv = process.env): AppTrust {
  const productionDir = o.productionDir ?? env.SERIKTES_TRUST_DIR;
  const testRoots = o.trustTestRoots ?? env.SERIKTES_TRUST_TEST_ROOTS === '1';
  const online = o.online ?? env.SERIKTES_REVOCATION === 'online';
  const anchors = [...loadTrustAnchors({ ...(productionDir ? { productionDir } : {}), trustTestRoots: testRoots }), ...(o.extra ?? [])];
  return { anchors, online, testRoots, context: trustContext(anchors, online) };
}

/**
 * The trust read once per process and re-read when the folder's configuration changes: the
 * environment is fixed for a running app, so the anchors are cached by their options.
 */
let cached: { key: string; trust: AppTrust } | null = null;
export function currentAppTrust(env: NodeJS.ProcessEnv = process.env): AppTrust {
  const key = `${env.SERIKTES_TRUST_DIR ?? ''}|${env.SERIKTES_TRUST_TEST_ROOTS ?? ''}|${env.SERIKTES_REVOCATION ?? ''}|${env.SERIKTES_TEST_ROOTS_DIR ?? ''}`;
  if (!cached || cached.key !== key) cached = { key, trust: appTrust({}, env) };
  return cached.trust;
}
