// "Two machines on one Wi-Fi" for the LAN discovery tests: two Linux network namespaces joined by a
// veth pair (10.88.0.1/24 and 10.88.0.2/24), with nothing else in them. Every mDNS packet the tests
// send stays on that pair: none reaches the machine's real interfaces. Needs root and iproute2 (CI has
// both); elsewhere the tests fail and say why.
import { execFileSync } from 'node:child_process';

const PREFIX = 'hearth-lan-';

export interface LanMachine {
  /** The namespace's name. */
  readonly name: string;
  /** Its address on the shared link. */
  readonly address: string;
  /** The command line that runs `argv` inside the namespace. */
  wrap(argv: readonly string[]): string[];
}

export interface TestLan {
  readonly machines: readonly [LanMachine, LanMachine];
  remove(): void;
}

function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: 'pipe' });
}

/** Null when namespaces can be made here; otherwise why not, in words for the test's failure message. */
export function whyNoNamespaces(): string | null {
  if (process.platform !== 'linux') return `LAN discovery tests need Linux network namespaces; this is ${process.platform}.`;
  if (process.getuid?.() !== 0) {
    return 'LAN discovery tests need root: they create Linux network namespaces (ip netns add) so that no mDNS packet reaches this machine’s real network. Run them as root (CI does).';
  }
  try {
    ip('-V');
  } catch {
    return 'LAN discovery tests need iproute2 (the `ip` command) to create network namespaces.';
  }
  return null;
}

/** Makes the two namespaces and the link between them; removes leftovers of crashed runs first. */
export function createTestLan(): TestLan {
  removeStaleNamespaces();
  const names = [`${PREFIX}${process.pid}-a`, `${PREFIX}${process.pid}-b`] as const;
  const addresses = ['10.88.0.1', '10.88.0.2'] as const;
  const remove = () => names.forEach(removeNamespace);
  remove();
  try {
    for (const name of names) {
      ip('netns', 'add', name);
      ip('-n', name, 'link', 'set', 'lo', 'up');
    }
    // Created straight into the namespaces, so the names never meet the host's own interfaces.
    ip('-n', names[0], 'link', 'add', 'lan0', 'type', 'veth', 'peer', 'name', 'lan0', 'netns', names[1]);
    names.forEach((name, index) => {
      ip('-n', name, 'addr', 'add', `${addresses[index]}/24`, 'dev', 'lan0');
      ip('-n', name, 'link', 'set', 'lan0', 'up');
      // Lets a Hearth that picks no interface (the desktop app's default) send to the mDNS group; the
      // only interface it can pick in here is the link.
      ip('-n', name, 'route', 'add', '224.0.0.0/4', 'dev', 'lan0');
    });
  } catch (error) {
    remove();
    throw error;
  }
  const machine = (index: 0 | 1): LanMachine => ({
    name: names[index],
    address: addresses[index],
    wrap: (argv) => ['ip', 'netns', 'exec', names[index], ...argv],
  });
  return { machines: [machine(0), machine(1)], remove };
}

function removeNamespace(name: string): void {
  try {
    ip('netns', 'del', name);
  } catch {
    // Not there: nothing to remove.
  }
}

/** Removes namespaces of earlier runs whose process is gone (a crash or a kill skipped their clean-up). */
function removeStaleNamespaces(): void {
  let listing = '';
  try {
    listing = ip('netns', 'list');
  } catch {
    return;
  }
  for (const line of listing.split('\n')) {
    const name = line.split(' ')[0] ?? '';
    const match = /^hearth-lan-(\d+)-[ab]$/.exec(name);
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch {
      removeNamespace(name);
    }
  }
}
