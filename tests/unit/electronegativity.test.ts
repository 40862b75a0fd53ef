// Doyensec's electronegativity over the Electron sources (main process, preload, security guards,
// host services), through its programmatic API: its command line exits 0 even with findings, so the
// verdict is taken here. Any finding of medium severity or above fails `npm test`.
//
// It scans the TypeScript sources, not the built bundle: the checks recognise Electron's API by name
// (`new BrowserWindow({…})`, `x.openExternal(…)`), and Vite's bundle renames those to
// `import_electron.BrowserWindow`, so a scan of dist/electron/ found none of the window options.
// A finding that was reviewed and is not a defect is silenced where it occurs, with an
// `eng-disable CHECK_ID` comment and the reason on the line above (electronegativity's own mechanism).
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import Module, { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ELECTRON_SOURCES = path.join(ROOT, 'electron');
const RUNNER_PATH = require.resolve('@doyensec/electronegativity');

interface Level {
  readonly name: string;
  readonly value: number;
}
interface Finding {
  readonly id: string;
  readonly file: string;
  readonly location: { readonly line: number; readonly column: number };
  readonly severity: Level;
  readonly confidence: Level;
  readonly description: string;
  readonly manualReview: boolean;
}
interface ScanResult {
  readonly globalChecks: number;
  readonly atomicChecks: number;
  readonly errors: readonly { readonly file: string; readonly message: string; readonly tolerable: boolean }[];
  readonly issues: readonly Finding[];
}
type Run = (options: Record<string, unknown>) => Promise<ScanResult>;

/** electronegativity's severities: INFORMATIONAL 0, LOW 1, MEDIUM 2, HIGH 3, CRITICAL 4. */
const MEDIUM = 2;

/**
 * AvailableSecurityFixesGlobalCheck is left out: it downloads Electron's release list to tell whether
 * a newer patch release has security fixes. The scan must run offline (CI has no internet), and
 * without the list the check reports nothing, so leaving it on would only pretend to cover this.
 */
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];

/**
 * electronegativity fetches updated translations over HTTP before every scan (and waits up to a second
 * for them). `got` is its only HTTP client; this stand-in answers at once that nothing is there, so it
 * keeps the English texts it ships and no request leaves the machine.
 */
function keepOffline(): void {
  const gotPath = createRequire(RUNNER_PATH).resolve('got');
  const unavailable = async () => ({ statusCode: 503, body: '', headers: {} });
  const offlineGot = Object.assign(unavailable, { head: unavailable, get: unavailable });
  const stub = new Module(gotPath);
  stub.filename = gotPath;
  stub.exports = offlineGot;
  stub.loaded = true;
  require.cache[gotPath] = stub;
}

function electronVersion(): string {
  const manifest = require(path.join(ROOT, 'package.json')) as { devDependencies: Record<string, string> };
  return manifest.devDependencies.electron ?? '';
}

let run: Run;

async function scan(input: string): Promise<ScanResult> {
  return run({
    input,
    isRelative: true,
    // The scanned folder has no package.json of its own; the version decides which defaults apply.
    electronVersionOverride: electronVersion(),
    excludeFromScan: EXCLUDED_CHECKS,
  });
}

function atLeastMedium(result: ScanResult): Finding[] {
  return result.issues.filter((issue) => issue.severity.value >= MEDIUM);
}

function describeFindings(findings: readonly Finding[]): string {
  return findings
    .map(
      (f) =>
        `${f.id} ${f.file}:${f.location.line}:${f.location.column} ${f.severity.name}/${f.confidence.name}${f.manualReview ? ' (review)' : ''} — ${f.description}`,
    )
    .join('\n');
}

let fixtures: string;

beforeAll(async () => {
  expect(electronVersion()).toMatch(/^\d+\.\d+\.\d+$/);
  keepOffline();
  run = require(RUNNER_PATH) as Run;
  fixtures = await mkdtemp(path.join(os.tmpdir(), 'hearth-electronegativity-'));
});

afterAll(async () => {
  await rm(fixtures, { recursive: true, force: true });
});

describe('electronegativity', () => {
  it('finds nothing of medium severity or above in the Electron sources', async () => {
    const result = await scan(ELECTRON_SOURCES);
    // A file it cannot parse is a file it did not check.
    expect(result.errors, result.errors.map((error) => `${error.file}: ${error.message}`).join('\n')).toEqual([]);
    expect(result.atomicChecks).toBeGreaterThan(30);
    const findings = atLeastMedium(result);
    if (findings.length > 0) console.error(`electronegativity findings:\n${describeFindings(findings)}`);
    expect(findings, describeFindings(findings)).toEqual([]);
  });

  it('flags an insecure window (the scan can fail)', async () => {
    const dir = path.join(fixtures, 'insecure');
    await mkdir(dir);
    await writeFile(
      path.join(dir, 'main.ts'),
      [
        "import { app, BrowserWindow } from 'electron';",
        'app.whenReady().then(() => {',
        '  const window = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false } });',
        "  void window.loadURL('https://example.com');",
        '});',
        '',
      ].join('\n'),
    );
    const result = await scan(dir);
    expect(atLeastMedium(result).map((finding) => finding.id)).toEqual(
      expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK']),
    );
    // nodeIntegration: true alone is only informational to electronegativity on current Electron
    // (the sandbox, on by default, keeps Node out of the page); the sandbox check above is what fails.
    expect(result.issues.map((finding) => finding.id)).toContain('NODE_INTEGRATION_JS_CHECK');
  });

  it('reads the real window options: turning off the sandbox in them is flagged', async () => {
    const source = await readFile(path.join(ELECTRON_SOURCES, 'security/window-options.ts'), 'utf8');
    expect(source).toContain('sandbox: true,');
    const scanCopy = async (name: string, text: string) => {
      const dir = path.join(fixtures, name);
      await mkdir(dir);
      await writeFile(path.join(dir, 'window-options.ts'), text);
      // Only findings in the file: a folder with one file also lacks the CSP, navigation and
      // permission handlers that main.ts sets up, which the global checks report against no file.
      return atLeastMedium(await scan(dir))
        .filter((finding) => finding.file === 'window-options.ts')
        .map((finding) => finding.id);
    };
    expect(await scanCopy('as-is', source)).toEqual([]);
    expect(await scanCopy('weakened', source.replace('sandbox: true,', 'sandbox: false,'))).toEqual(['SANDBOX_JS_CHECK']);
  });
});
