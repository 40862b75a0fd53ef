import { afterAll, describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const eslint = new ESLint({ cwd: process.cwd() });

async function layeringErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((message) => message.message.includes('Bad layering')).map((message) => message.message);
}

describe('the layering rule of DESIGN.md', () => {
  it.each([
    ['shared/community/bad.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    ['shared/community/bad.ts', "import fs from 'fs';\nexport const x = fs;\n"],
    ['shared/community/bad.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['shared/community/bad.ts', "import { useState } from 'react';\nexport const x = useState;\n"],
    ['shared/community/bad.ts', "import { DexieStore } from '../../renderer/store/dexie-store.js';\nexport const x = DexieStore;\n"],
    ['shared/community/bad.ts', 'export const title = () => document.title;\n'],
    ['shared/community/bad.ts', 'export const argv = () => process.argv;\n'],
    ['renderer/app/bad.ts', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n"],
    [
      'renderer/app/bad.ts',
      "import { startBrowserHost } from '../../electron/host/browser-host.js';\nexport const x = startBrowserHost;\n",
    ],
    ['renderer/app/bad.ts', "import { join } from 'node:path';\nexport const x = join;\n"],
    ['electron/bad.ts', "import { App } from '../renderer/app/App.js';\nexport const x = App;\n"],
  ])('fires in %s on: %s', async (filePath, code) => {
    expect(await layeringErrors(filePath, code)).not.toEqual([]);
  });

  it.each([
    ['shared/community/good.ts', "import * as Y from 'yjs';\nimport { newId } from '../ids.js';\nexport const x = [Y, newId];\n"],
    ['renderer/app/good.ts', "import { readCommunity } from '../../shared/community/queries.js';\nexport const x = readCommunity;\n"],
    [
      'electron/good.ts',
      "import { checkExternalUrl } from '../shared/links.js';\nimport { join } from 'node:path';\nexport const x = [checkExternalUrl, join];\n",
    ],
  ])('allows the flow the design wants in %s', async (filePath, code) => {
    expect(await layeringErrors(filePath, code)).toEqual([]);
  });
});

describe('the import-cycle check (build/check-cycles.mjs, run by npm run lint)', () => {
  // Real files in a folder of their own: the check reads what is on disk.
  const folder = mkdtempSync(join(process.cwd(), 'tests', 'cycle-fixture-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  function check(name: string, files: Record<string, string>): { ok: boolean; output: string } {
    const dir = join(folder, name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const [file, code] of Object.entries(files)) writeFileSync(join(dir, file), code);
    const run = spawnSync(process.execPath, ['build/check-cycles.mjs', relative(process.cwd(), dir)], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
  }

  it.each([
    [
      'two files that import each other',
      {
        'a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
        'b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
      },
    ],
    // The shape the membership log and epochs.ts had: values one way, types the other.
    [
      'values one way, types the other',
      {
        'c.ts': "import type { D } from './d.js';\nexport type C = D[];\nexport const c = 1;\n",
        'd.ts': "import { c } from './c.js';\nexport type D = 1;\nexport const d = c;\n",
      },
    ],
    [
      'a loop of three',
      {
        'e.ts': "import { f } from './f.js';\nexport const e = () => f;\n",
        'f.ts': "import { g } from './g.js';\nexport const f = () => g;\n",
        'g.tsx': "import { e } from './e.js';\nexport const g = () => e;\n",
      },
    ],
  ])('fails on %s and names the files', (label, files) => {
    const result = check(label.replace(/\W+/g, '-'), files);
    expect(result.ok).toBe(false);
    expect(result.output).toContain(Object.keys(files)[0]);
  });

  it('passes imports that flow one way', () => {
    expect(
      check('one-way', { 'h.ts': "import { i } from './i.js';\nexport const h = () => i;\n", 'i.ts': 'export const i = 1;\n' }).ok,
    ).toBe(true);
  });
});
