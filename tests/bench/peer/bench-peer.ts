// A headless member for the sync benchmarks: the same parts as electron/peer/headless-peer.ts (its file
// store, openCommunity with a signing device, so every edit travels as a signed change, and
// startCommunitySync over @roamhq/wrtc with that change log, loopback only), plus what a benchmark
// needs to see: when each edit left its author and when it reached this member, on CLOCK_MONOTONIC,
// which every process on the machine shares. Each peer signs with a key made for the run (as a
// headless peer without an identity does), so the community is an unsigned one: every member's changes
// are verified and judged by the record rules, but no founding entry sets roles. Driven by JSON lines
// on stdin; reports JSON lines on stdout.
import { createInterface } from 'node:readline';
import wrtc from '@roamhq/wrtc';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { FileStore } from '../../../electron/store/file-store.js';
import { openCommunity } from '../../../shared/community/lifecycle.js';
import { generateIdentity } from '../../../shared/identity/identity.js';
import { fromBase64Url, toBase64Url } from '../../../shared/sync/bytes.js';
import { startCommunitySync } from '../../../shared/sync/community-sync.js';
import { loopbackOnly } from '../../../shared/sync/loopback-ice.js';
import { monotonicMs } from '../harness/stats.js';

(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

export interface BenchPeerConfig {
  readonly communityId: string;
  readonly secret: string;
  readonly signaling: readonly string[];
  readonly storeDir: string;
}

type Command =
  | { cmd: 'edit'; key: string }
  | { cmd: 'burst'; prefix: string; count: number }
  | { cmd: 'expect'; prefix: string; count: number }
  | { cmd: 'waitState'; stateVector: string }
  | { cmd: 'stateVector' }
  | { cmd: 'stats' }
  | { cmd: 'exit' };

/** Edits live in this map, key → the author's monotonic time at the edit. */
const BENCH_KEY = 'bench';

function emit(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

/** True when `doc` holds at least everything `target` (a state vector) names. */
function covers(doc: Y.Doc, target: Map<number, number>): boolean {
  const mine = Y.decodeStateVector(Y.encodeStateVector(doc));
  for (const [client, clock] of target) if ((mine.get(client) ?? 0) < clock) return false;
  return true;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.env.HEARTH_PEER_CONFIG ?? '{}') as BenchPeerConfig;
  const secret = fromBase64Url(config.secret);
  if (!secret) throw new Error('HEARTH_PEER_CONFIG.secret is not base64url.');
  const device = await generateIdentity();
  const loadStarted = monotonicMs();
  // As the app opens a community: the store bound and loaded, then the change log that gives the doc
  // its client id and signs every local edit (shared/community/lifecycle.ts).
  const { doc, persisted, report, changes } = await openCommunity({
    store: new FileStore(config.storeDir),
    communityId: config.communityId,
    persist: { onError: (error) => emit({ event: 'error', message: String(error) }) },
    device,
  });
  if (!changes) throw new Error('openCommunity with a device gave no change log.');
  const loadedAt = monotonicMs();

  const bench = doc.getMap<number>(BENCH_KEY);
  let latencies: number[] = [];
  const received = new Map<string, number>();
  const expected = new Map<string, number>();
  const checkExpected = (prefix: string): void => {
    const count = expected.get(prefix);
    if (count !== undefined && (received.get(prefix) ?? 0) >= count) {
      expected.delete(prefix);
      emit({ event: 'converged', prefix, at: monotonicMs() });
    }
  };
  bench.observe((event) => {
    if (event.transaction.local) return;
    const now = monotonicMs();
    for (const key of event.keysChanged) {
      const sentAt = bench.get(key);
      if (typeof sentAt !== 'number') continue;
      latencies.push(now - sentAt);
      const prefix = key.split(':')[0]!;
      received.set(prefix, (received.get(prefix) ?? 0) + 1);
      checkExpected(prefix);
    }
  });
  let waitingFor: { target: Map<number, number> } | null = null;
  doc.on('update', () => {
    if (waitingFor && covers(doc, waitingFor.target)) {
      waitingFor = null;
      emit({ event: 'hasState', at: monotonicMs() });
    }
  });

  const network = process.env.HEARTH_LOOPBACK_ONLY === '1' ? loopbackOnly(wrtc) : wrtc;
  const syncStartedAt = monotonicMs();
  const sync = await startCommunitySync({
    doc,
    communityId: config.communityId,
    secret,
    signalingUrls: config.signaling,
    wrtc: network,
    statusIntervalMs: 250,
    changes,
  });
  await sync.ready;
  // No presence: its renewals every 15 s would count as messages per edit.
  sync.awareness.setLocalState(null);
  let lastStatus = '';
  const statusTimer = setInterval(() => {
    const status = sync.status();
    const fingerprint = `${status.phase}/${status.peers}/${status.syncedPeers}`;
    if (fingerprint === lastStatus) return;
    lastStatus = fingerprint;
    emit({ event: 'status', phase: status.phase, peers: status.peers, syncedPeers: status.syncedPeers, at: monotonicMs() });
  }, 50);
  emit({ event: 'ready', rowsRead: report.rowsRead, loadMs: loadedAt - loadStarted, syncStartedAt });

  for await (const line of createInterface({ input: process.stdin })) {
    if (!line.trim()) continue;
    const command = JSON.parse(line) as Command;
    switch (command.cmd) {
      case 'edit':
        bench.set(command.key, monotonicMs());
        break;
      case 'burst':
        // One transaction per edit, as fast as they come: a member pasting, or a script.
        emit({ event: 'burst', prefix: command.prefix, at: monotonicMs() });
        for (let i = 0; i < command.count; i += 1) bench.set(`${command.prefix}:${i}`, monotonicMs());
        break;
      case 'expect':
        expected.set(command.prefix, command.count);
        checkExpected(command.prefix);
        break;
      case 'stateVector':
        emit({ event: 'stateVector', stateVector: toBase64Url(Y.encodeStateVector(doc)) });
        break;
      case 'waitState': {
        const target = Y.decodeStateVector(fromBase64Url(command.stateVector) ?? new Uint8Array());
        if (covers(doc, target)) emit({ event: 'hasState', at: monotonicMs() });
        else waitingFor = { target };
        break;
      }
      case 'stats': {
        const status = sync.status();
        emit({
          event: 'stats',
          latencies,
          counters: status.counters,
          changes: status.changes,
          peers: status.peers,
          syncedPeers: status.syncedPeers,
        });
        latencies = [];
        break;
      }
      case 'exit':
        clearInterval(statusTimer);
        sync.destroy();
        await persisted.close();
        emit({ event: 'exited' });
        process.exit(0);
    }
    emit({ event: 'done', cmd: command.cmd });
  }
}

main().catch((error: unknown) => {
  emit({ event: 'fatal', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
});
