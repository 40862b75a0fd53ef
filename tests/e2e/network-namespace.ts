// Gives the end-to-end tests a network of their own: a Linux network namespace with a veth pair on
// 10.77.0.0/24 and nothing else. The browser-mode host and Chromium both run inside it, so members'
// WebRTC traffic (which Chromium will not put on loopback) never reaches the machine's real interfaces.
// Needs root and iproute2, as CI has; elsewhere the tests run unisolated.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'hearth-e2e-';
const ADDRESS = '10.77.0.1/24';
// Chromium gathers no ICE candidates without a default route; this one leads into the veth pair's
// other end inside the same namespace, where anything sent to it is dropped.
const BLACKHOLE_GATEWAY = '10.77.0.2';
const ENV = 'HEARTH_E2E_NETNS';

export interface TestNetwork {
  readonly name: string;
  /** The command line that runs `argv` inside the namespace. */
  wrap(argv: readonly string[]): string[];
  /** An executable that starts Chromium inside the namespace (for playwright's executablePath). */
  readonly chromiumPath: string;
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'pipe' });
}

function canIsolate(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0 || process.env.HEARTH_E2E_NO_NETNS === '1') return false;
  try {
    execFileSync('ip', ['-V'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Run once by the e2e global setup: makes the namespace, tells the test workers its name through the
 * environment, and returns the teardown that removes it.
 */
export function setUpTestNetwork(): () => void {
  removeStaleNamespaces();
  if (!canIsolate()) return () => {};
  const name = `${PREFIX}${process.pid}`;
  removeNamespace(name);
  ip('netns', 'add', name);
  ip('-n', name, 'link', 'set', 'lo', 'up');
  ip('-n', name, 'link', 'add', 'hveth0', 'type', 'veth', 'peer', 'name', 'hveth1');
  ip('-n', name, 'addr', 'add', ADDRESS, 'dev', 'hveth0');
  ip('-n', name, 'link', 'set', 'hveth0', 'up');
  ip('-n', name, 'link', 'set', 'hveth1', 'up');
  ip('-n', name, 'route', 'add', 'default', 'via', BLACKHOLE_GATEWAY, 'dev', 'hveth0');
  process.env[ENV] = name;
  return () => removeNamespace(name);
}

let network: TestNetwork | null | undefined;

/** The run's namespace as seen from a test worker, or null when the tests run unisolated. */
export function testNetwork(chromium: string): TestNetwork | null {
  if (network !== undefined) return network;
  const name = process.env[ENV];
  if (!name) return (network = null);
  const folder = mkdtempSync(join(tmpdir(), 'hearth-netns-'));
  const chromiumPath = join(folder, 'chromium-in-namespace');
  writeFileSync(chromiumPath, `#!/bin/sh\nexec ip netns exec ${name} ${chromium} "$@"\n`);
  chmodSync(chromiumPath, 0o755);
  network = { name, chromiumPath, wrap: (argv) => ['ip', 'netns', 'exec', name, ...argv] };
  return network;
}

function removeNamespace(name: string): void {
  try {
    ip('netns', 'del', name);
  } catch {
    // Not there: nothing to remove.
  }
}

/** Removes namespaces left by test runs that died without cleaning up. */
function removeStaleNamespaces(): void {
  if (!canIsolate()) return;
  let listing = '';
  try {
    listing = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  } catch {
    return;
  }
  for (const line of listing.split('\n')) {
    const name = line.split(' ')[0] ?? '';
    const pid = Number(name.slice(PREFIX.length));
    if (!name.startsWith(PREFIX) || !Number.isInteger(pid)) continue;
    try {
      process.kill(pid, 0);
    } catch {
      removeNamespace(name);
    }
  }
}
