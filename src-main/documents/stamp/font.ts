/**
 * The bundled Noto Sans (resources/fonts, SIL OFL) for captions: the standard 14 PDF fonts have no
 * Kazakh letters. Looked up in the usual places for dev runs (tsx), the built dist/main bundle and
 * the packaged app (extraResources → <resourcesPath>/fonts); SERIKTES_FONT_DIR overrides.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../src-shared/rpc/errors';

const FILE = 'NotoSans-Regular.ttf';
let cached: Uint8Array | undefined;

export function fontCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  return [
    ...(env.SERIKTES_FONT_DIR ? [join(env.SERIKTES_FONT_DIR, FILE)] : []),
    ...(resourcesPath ? [join(resourcesPath, 'fonts', FILE)] : []),
    join(process.cwd(), 'resources', 'fonts', FILE),
    // src-main/documents/stamp (tsx) and dist/main (bundle) both sit below the repository root.
    join(__dirname, '..', '..', '..', 'resources', 'fonts', FILE),
    join(__dirname, '..', '..', 'resources', 'fonts', FILE),
  ];
}

export function captionFont(): Uint8Array {
  if (cached) return cached;
  const path = fontCandidates().find((p) => existsSync(p));
  if (!path) throw new AppError('internal', 'The caption font (resources/fonts/NotoSans-Regular.ttf) is missing');
  cached = new Uint8Array(readFileSync(path));
  return cached;
}
