import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

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
    ['shared/community/bad.ts', "export const title = () => document.title;\n"],
    ['shared/community/bad.ts', "export const argv = () => process.argv;\n"],
    ['renderer/app/bad.ts', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n"],
    ['renderer/app/bad.ts', "import { startBrowserHost } from '../../electron/host/browser-host.js';\nexport const x = startBrowserHost;\n"],
    ['renderer/app/bad.ts', "import { join } from 'node:path';\nexport const x = join;\n"],
    ['electron/bad.ts', "import { App } from '../renderer/app/App.js';\nexport const x = App;\n"],
  ])('fires in %s on: %s', async (filePath, code) => {
    expect(await layeringErrors(filePath, code)).not.toEqual([]);
  });

  it.each([
    ['shared/community/good.ts', "import * as Y from 'yjs';\nimport { newId } from '../ids.js';\nexport const x = [Y, newId];\n"],
    ['renderer/app/good.ts', "import { readCommunity } from '../../shared/community/queries.js';\nexport const x = readCommunity;\n"],
    ['electron/good.ts', "import { checkExternalUrl } from '../shared/links.js';\nimport { join } from 'node:path';\nexport const x = [checkExternalUrl, join];\n"],
  ])('allows the flow the design wants in %s', async (filePath, code) => {
    expect(await layeringErrors(filePath, code)).toEqual([]);
  });
});
