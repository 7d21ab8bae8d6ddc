/**
 * Where NCALayer listens and which CA certificates prove it is NCALayer. Defaults: the
 * standard wss://127.0.0.1:13579 and the NCA RK roots found by trust-roots.ts (the bundle
 * named by SERIKTES_NCALAYER_CA, the one shipped with the app, else the OS / NSS stores
 * where the NCALayer installer puts them). Tests and unusual setups override them:
 *   SERIKTES_NCALAYER_URL  wss://127.0.0.1:13579
 *   SERIKTES_NCALAYER_CA   path to a PEM bundle (NCA RK root_rsa + nca_rsa)
 */
import { NCALAYER_DEFAULT_URL } from './protocol';
import type { NcaLayerClientOptions } from './client';
import { findNcaTrustRoots, type TrustRootOptions } from './trust-roots';

export { BUNDLED_CA_CANDIDATES } from './trust-roots';

export function ncaLayerConfigFromEnv(env: NodeJS.ProcessEnv, baseDir = process.cwd(), trust: Omit<TrustRootOptions, 'env' | 'baseDir'> = {}): NcaLayerClientOptions {
  const roots = findNcaTrustRoots({ ...trust, env, baseDir });
  return {
    url: env.SERIKTES_NCALAYER_URL || NCALAYER_DEFAULT_URL,
    // Nothing found → Node's own roots apply: NCALayer then fails as ncalayer_tls_untrusted, never silently.
    ...(roots.pems.length ? { ca: roots.pems } : {}),
    trustSearched: roots.searched,
  };
}
