import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { repoRoot } from '../helpers/processes';
import { electronBinaryPath } from '../helpers/electron';
import { grepSources } from '../helpers/source-files';

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};

// electron-updater loads 'electron' at import time, which outside Electron would try to download
// the binary — so it is resolved here, and imported only inside the Electron shell.
const ELECTRON_ONLY = new Set(['electron-updater']);

describe('toolchain on Node 20', () => {
  it('runs on Node 20 with better-sqlite3 12 (13 crashes on Node 20)', () => {
    expect(process.versions.node.split('.')[0]).toBe('20');
    expect(pkg.dependencies['better-sqlite3']).toMatch(/^\^12\./);
    const dir = mkdtempSync(join(tmpdir(), 'seriktes-toolchain-'));
    try {
      const db = new Database(join(dir, 't.sqlite'));
      db.pragma('journal_mode = WAL');
      db.exec('CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER NOT NULL) STRICT');
      db.prepare('INSERT INTO t VALUES (?, ?)').run('a', 1);
      expect(db.prepare('SELECT n FROM t WHERE id = ?').get('a')).toEqual({ n: 1 });
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('imports every runtime dependency under plain Node', async () => {
    const names = Object.keys(pkg.dependencies);
    expect(names.length).toBeGreaterThan(5);
    for (const name of names) {
      if (ELECTRON_ONLY.has(name)) {
        expect(require.resolve(name)).toContain(name);
        continue;
      }
      // pdf.js: only its legacy build runs under Node (the modern one needs browser globals).
      const mod = (await import(name === 'pdfjs-dist' ? 'pdfjs-dist/legacy/build/pdf.mjs' : name)) as Record<string, unknown>;
      expect(Object.keys(mod).length, name).toBeGreaterThan(0);
    }
  });

  it('pdf.js is used only through its legacy build under Node', () => {
    // The modern build needs browser globals (DOMMatrix, Path2D) and crashes under plain Node.
    expect(grepSources(['src-main', 'src-portal', 'src-shared', 'scripts', 'bench'], /from ['"]pdfjs-dist['"]|require\(['"]pdfjs-dist['"]\)/)).toEqual([]);
  });

  it('nothing in install or test touches Electron: no postinstall rebuild, electron only required inside src-main/electron', () => {
    for (const script of ['preinstall', 'install', 'postinstall', 'prepare']) {
      expect(pkg.scripts[script], script).toBeUndefined();
    }
    const hits = grepSources(['src-main', 'src-shared', 'src-renderer', 'src-portal', 'scripts', 'test', 'bench'], /from ['"]electron['"]|require\(['"]electron['"]\)|import\(['"]electron['"]\)/);
    // test/electron runs inside Playwright's _electron launcher, never under plain Node.
    // layers.test.ts holds such imports only as strings it feeds to ESLint.
    expect(hits.filter((f) => !f.startsWith('src-main/electron/') && !f.startsWith('test/electron/') && f !== 'test/unit/layers.test.ts')).toEqual([]);
  });

  it('detects the Electron binary by its files, without loading the electron package', () => {
    const p = electronBinaryPath();
    // Here the binary is absent; on a user's machine it is a path. Either way no download happened.
    if (p !== null) expect(p).toContain('electron');
    expect(Object.keys(require.cache).some((k) => k.endsWith('/node_modules/electron/index.js'))).toBe(false);
  });
});
