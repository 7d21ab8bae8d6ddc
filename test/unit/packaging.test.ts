import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { repoRoot } from '../helpers/processes';

interface BuilderConfig {
  appId: string;
  asarUnpack: string[];
  npmRebuild: boolean;
  files: string[];
  extraResources: { from: string; to: string }[];
  win: { target: string[] };
  mac: { target: string[] };
  linux: { target: string[] };
  publish: { provider: string; url: string };
  electronFuses: Record<string, boolean>;
}

describe('electron-builder.yml', () => {
  const config = load(readFileSync(join(repoRoot, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

  it('builds nsis, dmg + zip, AppImage + deb', () => {
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg', 'zip']);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
  });

  it('never rebuilds native modules itself and unpacks *.node from the asar', () => {
    expect(config.npmRebuild).toBe(false);
    expect(config.asarUnpack).toContain('**/*.node');
    // The Electron build of better-sqlite3 ships beside the app, where main points nativeBinding at it.
    expect(config.extraResources).toContainEqual({ from: '.electron-native/current/better_sqlite3.node', to: 'native/better_sqlite3.node' });
    const main = readFileSync(join(repoRoot, 'src-main', 'electron', 'main.ts'), 'utf8');
    expect(main).toContain("packagedFile('native', 'better_sqlite3.node')");
  });

  it('updates only over https and hardens the binary with fuses', () => {
    expect(config.publish.provider).toBe('generic');
    expect(config.publish.url).toMatch(/^https:\/\//);
    expect(config.electronFuses).toMatchObject({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false, onlyLoadAppFromAsar: true });
  });

  it('the package main is the built Electron entry and no install script touches Electron', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { main: string; scripts: Record<string, string> };
    expect(pkg.main).toBe('dist/main/electron-main.cjs');
    expect(Object.keys(pkg.scripts)).not.toContain('postinstall');
  });
});
