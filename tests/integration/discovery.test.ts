// LAN discovery for real: multicast DNS between two "machines on one Wi-Fi" — two network namespaces
// joined by a veth pair (see lan-network.ts), so no packet reaches this machine's real network. Two
// discovery probes find each other's signaling URL; two headless members, given no signaling URL at
// all, find each other's Hearth through discovery and sync a community over WebRTC across the link.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createTestLan, whyNoNamespaces, type LanMachine, type TestLan } from './lan-network.js';
import { Peer, newCommunity, stopAllPeers } from './peers.js';

const WAIT_MS = 20_000;
let lan: TestLan | undefined;

beforeAll(() => {
  // Not a skip: CI runs as root, and a run that cannot make namespaces must say so, not pass quietly.
  const why = whyNoNamespaces();
  if (why !== null) throw new Error(why);
  lan = createTestLan();
});
afterAll(() => lan?.remove());

interface ProbeEvent {
  readonly event: string;
  readonly url?: string;
  readonly urls?: string[];
}

const probes = new Set<ChildProcessWithoutNullStreams>();
afterEach(async () => {
  await stopAllPeers();
  await Promise.all(
    [...probes].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
  probes.clear();
});

/** A discovery probe (a LAN signaling service plus discovery) inside `machine`'s namespace. */
function startProbe(machine: LanMachine, env: Record<string, string>) {
  const [command, ...args] = machine.wrap([process.execPath, 'dist/peer/discovery-probe.mjs']);
  const child = spawn(command!, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  probes.add(child);
  const events: ProbeEvent[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2_000)));
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      events.push(JSON.parse(line) as ProbeEvent);
    } catch {
      // Not ours.
    }
  });
  const waitFor = async (test: (event: ProbeEvent) => boolean, what: string): Promise<ProbeEvent> => {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const found = events.find(test);
      if (found) return found;
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`${machine.name}: no ${what} within ${WAIT_MS} ms; events ${JSON.stringify(events)}; stderr ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  return { child, events, waitFor, latestPeers: () => [...events].reverse().find((event) => event.event === 'peers')?.urls ?? [] };
}

describe('LAN discovery between two machines on one link (network namespaces)', () => {
  it('each Hearth finds the other’s signaling URL, never its own, and forgets it when it leaves', async () => {
    const [one, two] = lan!.machines;
    // One is bound to its interface; the other uses every interface it has, as the desktop app does.
    const ann = startProbe(one, { HEARTH_LAN_ADDRESS: one.address });
    const bob = startProbe(two, {});
    const annUrl = (await ann.waitFor((event) => event.event === 'ready', 'ready')).url!;
    const bobUrl = (await bob.waitFor((event) => event.event === 'ready', 'ready')).url!;
    expect(annUrl).toMatch(/^ws:\/\/10\.88\.0\.1:\d+\/signal$/);
    expect(bobUrl).toMatch(/^ws:\/\/10\.88\.0\.2:\d+\/signal$/);
    await ann.waitFor((event) => event.event === 'peers' && (event.urls ?? []).includes(bobUrl), 'Bob’s URL');
    await bob.waitFor((event) => event.event === 'peers' && (event.urls ?? []).includes(annUrl), 'Ann’s URL');
    expect(ann.latestPeers()).toEqual([bobUrl]);
    expect(bob.latestPeers()).toEqual([annUrl]);

    // Bob quits (SIGTERM): his goodbye makes Ann forget him at once, not after his TTL (120 s).
    const left = Date.now();
    bob.child.kill('SIGTERM');
    await ann.waitFor((event) => event.event === 'peers' && (event.urls ?? []).length === 0, 'Bob’s goodbye');
    expect(Date.now() - left).toBeLessThan(5_000);
  });

  it('two members with no signaling server configured find each other on the LAN and sync', async () => {
    const [one, two] = lan!.machines;
    const community = newCommunity();
    // WebRTC across the link needs non-loopback candidates; inside these namespaces the link is all there is.
    const onLan = (machine: LanMachine) => ({ wrap: machine.wrap, config: { lan: { address: machine.address } }, loopbackOnly: false });
    const ann = await Peer.start('Ann', community, [], undefined, onLan(one));
    await ann.run({ cmd: 'create', name: 'Wi-Fi Circle' });
    await ann.run({ cmd: 'type', text: 'found you on the LAN. ' });
    const bob = await Peer.start('Bob', community, [], undefined, onLan(two));
    const annReady = await ann.waitFor((event) => event.event === 'ready', 5_000, true);
    const bobReady = await bob.waitFor((event) => event.event === 'ready', 5_000, true);
    // Each found the other's signaling service through discovery…
    await ann.waitFor(
      (event) => event.event === 'lan-peers' && (event.urls as string[]).includes(bobReady.lanUrl as string),
      WAIT_MS,
      true,
    );
    await bob.waitFor(
      (event) => event.event === 'lan-peers' && (event.urls as string[]).includes(annReady.lanUrl as string),
      WAIT_MS,
      true,
    );
    // …and the community crossed the link over WebRTC.
    await bob.until((snapshot) => snapshot.members.includes('Ann') && snapshot.scratchLength === 'found you on the LAN. '.length, 60_000);
    await bob.run({ cmd: 'join' });
    await bob.run({ cmd: 'type', text: 'hello back.' });
    await ann.until(
      (snapshot) => snapshot.members.includes('Bob') && snapshot.scratchLength === 'found you on the LAN. hello back.'.length,
      60_000,
    );
    expect((await ann.snapshot()).digest).toBe((await bob.snapshot()).digest);
  });
});
