// Drives Hearth in browser mode the way a member would: a real host process on loopback, Debian's
// Chromium through playwright-core, and helpers that read like a user's story.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { testNetwork } from './network-namespace.js';

export const CHROMIUM_PATH = process.env.HEARTH_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // Members in two browser contexts meet over WebRTC inside the tests' network namespace
  // (network-namespace.ts): candidates as plain addresses, since nothing there resolves mDNS names.
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];
export const OUTPUT_DIR = join(process.cwd(), 'test-results', 'e2e');
const HOST_START_TIMEOUT_MS = 15_000;

export interface RunningHost {
  readonly url: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `node dist/host/browser-host.mjs` on a free port and resolves with the URL it prints. */
export function startHost(extraArgs: readonly string[] = ['--port', '0']): Promise<RunningHost> {
  const [command, ...args] = testNetwork(CHROMIUM_PATH)?.wrap([process.execPath, 'dist/host/browser-host.mjs', ...extraArgs]) ?? [
    process.execPath,
    'dist/host/browser-host.mjs',
    ...extraArgs,
  ];
  const child = spawn(command!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`browser host did not start within ${HOST_START_TIMEOUT_MS} ms: ${output}`));
    }, HOST_START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({
          url: match[1]!,
          process: child,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`browser host exited with ${code}: ${output}`));
    });
  });
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: testNetwork(CHROMIUM_PATH)?.chromiumPath ?? CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
  });
}

export class Member {
  private constructor(
    readonly page: Page,
    readonly context: BrowserContext,
    readonly errors: string[],
  ) {}

  /** A member on their own device: a fresh browser context (its own IndexedDB). */
  static async arrive(
    browser: Browser,
    url: string,
    options: { colorScheme?: 'light' | 'dark'; timezoneId?: string } = {},
  ): Promise<Member> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      colorScheme: options.colorScheme ?? 'light',
      ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(url);
    return new Member(page, context, errors);
  }

  async chooseName(name: string): Promise<void> {
    await this.page.getByRole('textbox', { name: 'Your name' }).fill(name);
    await this.page.getByRole('button', { name: 'Continue' }).click();
    await this.page.getByRole('navigation', { name: 'Communities' }).waitFor();
  }

  async createCommunity(input: { name: string; purpose: string; kind: string }): Promise<void> {
    await this.page
      .getByRole('button', { name: /New community/ })
      .first()
      .click();
    const dialog = this.page.getByRole('dialog', { name: 'New community' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill(input.name);
    await dialog.getByRole('textbox', { name: 'Purpose' }).fill(input.purpose);
    await dialog.getByRole('radio', { name: input.kind }).check();
    await dialog.getByRole('button', { name: 'Create community' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await this.expectCommunityHome(input.name);
  }

  /** The invite code of the open community, from its Invite dialog (closed again). */
  async inviteCode(): Promise<string> {
    await this.page.getByRole('button', { name: 'Invite members' }).click();
    const dialog = this.page.getByRole('dialog', { name: /Invite members/ });
    const codeBox = dialog.getByRole('textbox', { name: 'Invite code' });
    await expect.poll(() => codeBox.inputValue(), { timeout: 10_000 }).toMatch(/^HEARTH1-/);
    const code = await codeBox.inputValue();
    await dialog.getByRole('button', { name: 'Done' }).click();
    return code;
  }

  /** Joins with an invite code and waits for the community's home. */
  async joinWith(code: string, communityName: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Join a community' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Join a community' });
    await dialog.getByRole('textbox', { name: 'Invite code or link' }).fill(code);
    await dialog.getByRole('button', { name: `Join ${communityName}` }).click();
    await this.expectCommunityHome(communityName);
  }

  /** In the open community's Threads section: starts a thread with a title and a first post. */
  async startThread(title: string, body: string): Promise<void> {
    await this.openSection('Threads');
    const allThreads = this.page.getByRole('button', { name: 'All threads' });
    if (await allThreads.isVisible()) await allThreads.click();
    const start = this.page.getByRole('button', { name: /^(New thread|Start a thread)$/ }).first();
    await start.click();
    const dialog = this.page.getByRole('dialog', { name: 'Start a thread' });
    await dialog.getByRole('textbox', { name: 'Title' }).fill(title);
    await dialog.getByRole('textbox', { name: 'Title' }).press('Enter');
    await this.page.keyboard.type(body);
    await this.page.keyboard.press('ControlOrMeta+Enter');
    await dialog.waitFor({ state: 'hidden' });
  }

  async expectCommunityHome(name: string): Promise<void> {
    await expect.poll(() => this.page.getByRole('heading', { level: 1, name }).isVisible(), { timeout: 10_000 }).toBe(true);
  }

  /** Opens a section of the open community by its tab ("Notes", "Threads", "Home"…). */
  async openSection(label: string): Promise<void> {
    await this.page
      .getByRole('tablist', { name: 'Community sections' })
      .getByRole('tab', { name: new RegExp(`^${label}`) })
      .click();
  }

  /** Saves what the member sees as `fileName` and checks it with axe (`checkAccessibility`). */
  async screenshot(fileName: string): Promise<string> {
    mkdirSync(OUTPUT_DIR, { recursive: true });
    const path = join(OUTPUT_DIR, fileName);
    await this.page.screenshot({ path, fullPage: false });
    await checkAccessibility(this.page, path.replace(/\.png$/, '') + '.axe.json');
    return path;
  }

  async leave(): Promise<void> {
    await this.context.close();
  }
}

/** WCAG 2.0 and 2.1, levels A and AA: the bar the project states for the UI. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/** Impacts that fail a story; `minor` and `moderate` findings are still written to the report. */
const FAILING_IMPACTS: ReadonlySet<string> = new Set(['serious', 'critical']);
// AxeBuilder evaluates axe's source (~0.5 MB) twice per run; a page keeps the first copy until it
// navigates, so later runs on it skip the rest. Halves the cost of a check (~0.4 s → ~0.2 s).
const AXE_SOURCE_ONCE_PER_PAGE = `if (!window.axe) {\n${axe.source}\n}`;

/**
 * Runs axe on the page as it is, writes what it found to `reportPath`, and throws on any serious or
 * critical violation, naming the rule, its impact and each failing element with its HTML.
 */
export async function checkAccessibility(page: Page, reportPath: string): Promise<void> {
  const startedAt = performance.now();
  const results = await new AxeBuilder({ page, axeSource: AXE_SOURCE_ONCE_PER_PAGE })
    // Only violations and incomplete checks list every element; passes list one (smaller results).
    .options({ runOnly: { type: 'tag', values: AXE_TAGS }, resultTypes: ['violations', 'incomplete'] })
    // In the page itself: the default mode opens a blank page in the member's context for every
    // run, which costs time and adds a tab the story never opened.
    .setLegacyMode()
    .analyze();
  const durationMs = Math.round(performance.now() - startedAt);
  writeFileSync(
    reportPath,
    JSON.stringify(
      {
        url: results.url,
        durationMs,
        violations: results.violations,
        incomplete: results.incomplete,
        passes: results.passes.map((rule) => rule.id),
      },
      null,
      2,
    ),
  );
  const failing = results.violations.filter((violation) => FAILING_IMPACTS.has(violation.impact ?? ''));
  if (failing.length === 0) return;
  const details = failing.map((violation) => {
    const nodes = violation.nodes.map(
      (node) => `    ${node.target.join(' ')}\n      ${node.html}\n      ${node.failureSummary?.replaceAll('\n', '\n      ') ?? ''}`,
    );
    return `  ${violation.id} (${violation.impact}): ${violation.help}\n${nodes.join('\n')}`;
  });
  throw new Error(
    `axe found ${failing.length} serious or critical accessibility violation(s) on ${results.url} (report: ${reportPath}):\n${details.join('\n')}`,
  );
}

export interface BrowserMode {
  readonly host: RunningHost;
  readonly browser: Browser;
}

/** Starts browser mode's host and Chromium before a test file's tests, and stops both after them. */
export function useBrowserMode(): BrowserMode {
  const state: { host?: RunningHost; browser?: Browser } = {};
  beforeAll(async () => {
    state.host = await startHost();
    state.browser = await launchChromium();
  });
  afterAll(async () => {
    await state.browser?.close();
    await state.host?.stop();
  });
  return {
    get host() {
      if (!state.host) throw new Error('The host starts in beforeAll; use it inside a test.');
      return state.host;
    },
    get browser() {
      if (!state.browser) throw new Error('Chromium starts in beforeAll; use it inside a test.');
      return state.browser;
    },
  };
}

/** Appends a Yjs update to the member's stored log, as a modified app of theirs would write it. */
export async function appendStoredUpdate(member: Member, communityId: string, update: Uint8Array): Promise<void> {
  await member.page.evaluate(
    async ({ communityId, update }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('hearth');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(new Error('no database'));
      });
      await new Promise<void>((resolve, reject) => {
        const transaction = db.transaction('updates', 'readwrite');
        transaction.objectStore('updates').add({ communityId, update: new Uint8Array(update) });
        transaction.oncomplete = () => resolve();
        transaction.onerror = () => reject(new Error('write failed'));
      });
      db.close();
    },
    { communityId, update: Array.from(update) },
  );
}
