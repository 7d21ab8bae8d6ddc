/**
 * Where NCALayer listens and which CA bundle proves it is NCALayer. Defaults: the
 * standard wss://127.0.0.1:13579 and the NCA RK roots shipped with the app. Tests
 * and unusual setups (e.g. KAZTOKEN on another port) override them:
 *   SERIKTES_NCALAYER_URL  wss://127.0.0.1:13579
 *   SERIKTES_NCALAYER_CA   path to a PEM bundle (NCA RK root_rsa + nca_rsa)
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NCALAYER_DEFAULT_URL } from './protocol';
import type { NcaLayerClientOptions } from './client';

/** Bundled NCA roots (resources/ncalayer/nca-roots.pem), looked up next to the app. */
export const BUNDLED_CA_CANDIDATES = (baseDir: string) => [join(baseDir, 'resources', 'ncalayer', 'nca-roots.pem'), join(baseDir, '..', 'resources', 'ncalayer', 'nca-roots.pem')];

export function ncaLayerConfigFromEnv(env: NodeJS.ProcessEnv, baseDir = process.cwd()): NcaLayerClientOptions {
  const caPath = env.SERIKTES_NCALAYER_CA || BUNDLED_CA_CANDIDATES(baseDir).find((p) => existsSync(p));
  return {
    url: env.SERIKTES_NCALAYER_URL || NCALAYER_DEFAULT_URL,
    // Without a bundle Node's own roots apply: NCALayer then fails as ncalayer_tls_untrusted, never silently.
    ...(caPath ? { ca: readFileSync(caPath, 'utf8') } : {}),
  };
}
