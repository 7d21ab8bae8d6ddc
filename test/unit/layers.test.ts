import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { repoRoot } from '../helpers/processes';

const eslint = new ESLint({ cwd: repoRoot });

async function ruleIds(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(repoRoot, file) });
  return (result?.messages ?? []).map((m) => m.ruleId ?? 'parse');
}

describe('lint rules enforce the dependency direction', () => {
  it('src-shared imports no Node module, no host global and no other folder', async () => {
    expect(await ruleIds('src-shared/x.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n")).toContain('no-restricted-imports');
    expect(await ruleIds('src-shared/x.ts', "import crypto from 'crypto';\nexport const a = crypto;\n")).toContain('no-restricted-imports');
    expect(await ruleIds('src-shared/x.ts', "import { x } from '../src-main/backend/backend';\nexport const a = x;\n")).toContain('no-restricted-imports');
    expect(await ruleIds('src-shared/x.ts', 'export const a = () => window.location.href;\n')).toContain('no-restricted-globals');
    expect(await ruleIds('src-shared/x.ts', 'export const a = () => Buffer.from("x");\n')).toContain('no-restricted-globals');
    expect(await ruleIds('src-shared/x.ts', "import { z } from 'zod';\nexport const a = z.string();\n")).toEqual([]);
  });

  it('src-renderer imports only src-shared', async () => {
    expect(await ruleIds('src-renderer/x.ts', "import { x } from '../src-main/backend/backend';\nexport const a = x;\n")).toContain('no-restricted-imports');
    expect(await ruleIds('src-renderer/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n")).toContain('no-restricted-imports');
    expect(await ruleIds('src-renderer/x.ts', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n")).toContain('no-restricted-imports');
    expect(await ruleIds('src-renderer/x.ts', "import { isValidBin } from '../src-shared/domain/identity';\nexport const a = isValidBin;\n")).toEqual([]);
  });

  it("only src-main/electron imports 'electron'; src-main and src-portal never import each other", async () => {
    expect(await ruleIds('src-main/backend/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toContain('no-restricted-imports');
    expect(await ruleIds('src-main/electron/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toEqual([]);
    expect(await ruleIds('src-main/x.ts', "import { x } from '../src-portal/server';\nexport const a = x;\n")).toContain('no-restricted-imports');
    expect(await ruleIds('src-portal/x.ts', "import { x } from '../src-main/backend/backend';\nexport const a = x;\n")).toContain('no-restricted-imports');
    expect(await ruleIds('src-portal/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toContain('no-restricted-imports');
  });

  it('TLS verification is never disabled', async () => {
    expect(await ruleIds('src-main/x.ts', 'export const o = { rejectUnauthorized: false };\n')).toContain('no-restricted-syntax');
  });
});
