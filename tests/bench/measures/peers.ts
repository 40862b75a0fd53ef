// Measures 4 and 5 over real WebRTC on loopback: members are bench-peer processes (real file store,
// openCommunity with a signing device, startCommunitySync with its change log, @roamhq/wrtc restricted
// to loopback candidates) meeting through Hearth's signaling service. Every edit travels as the app's
// do: a signed change (batched for BATCH_MS, signed, sent to every open connection, verified, judged by
// the record rules and applied by each receiver; shared/sync/change-log.ts, change-exchange.ts).
//   4. With 2, 8 and 30 members: latency from an edit to the moment each other member's document has
//      it (p50, p99), against applying the same update in-process; data-channel messages sent per
//      edit; and how long all members take to converge after a 1,000-edit burst.
//   5. A new member receiving the large community from its founder (history from before signed
//      changes, so it travels as the founder's baseline change), against raw encode + apply.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import * as Y from 'yjs';
import { FileStore } from '../../../electron/store/file-store.js';
import { startSignalingServer } from '../../../electron/signaling/server.js';
import { newId } from '../../../shared/ids.js';
import { toBase64Url } from '../../../shared/sync/bytes.js';
import { newCommunitySecret } from '../../../shared/sync/keys.js';
import { largeCommunity } from '../harness/large-community.js';
import { progress, report, type BenchRow } from '../harness/report.js';
import { median, percentile, sleep, timeMedian } from '../harness/stats.js';

const INITIAL_SYNC_LIMIT_MS = 150_000;

const SIZES = (process.env.HEARTH_BENCH_PEERS ?? '2,8,30')
  .split(',')
  .map(Number)
  .filter((n) => n >= 2);
const BURST_EDITS = 1_000;
/**
 * Members join one after another, this far apart. y-webrtc 10.3 leaves two members that meet at the
 * same instant unconnected until community-sync's CONNECT_STALL_MS (20 s) retry; joining one by one
 * is the common case and keeps that stall out of the latency figures (it is reported on its own).
 */
const STAGGER_MS = Number(process.env.HEARTH_BENCH_STAGGER_MS ?? 300);
const MESH_LIMIT_MS = (n: number) => 20_000 + n * 3_000;
const CONVERGE_LIMIT_MS = 60_000;

interface PeerEvent {
  readonly event: string;
  readonly [key: string]: unknown;
}

class BenchPeer {
  readonly events: PeerEvent[] = [];
  private waiters: { test: (event: PeerEvent) => boolean; resolve: (event: PeerEvent) => void }[] = [];
  private readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<void>;
  stderr = '';

  constructor(
    readonly name: string,
    config: { communityId: string; secret: string; signaling: readonly string[]; storeDir: string },
  ) {
    const profile = process.env.HEARTH_BENCH_PEER_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.HEARTH_BENCH_PEER_PROFILE}`] : [];
    this.child = spawn(process.execPath, [...profile, 'dist/bench/bench-peer.mjs'], {
      env: { ...process.env, HEARTH_PEER_CONFIG: JSON.stringify(config), HEARTH_LOOPBACK_ONLY: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
    // A peer that died is reported by the figures it leaves out; writing to it must not end the run.
    this.child.stdin.on('error', () => undefined);
    this.child.once('exit', (code, signal) => {
      if (code !== 0) progress(`  ${name} exited (${signal ?? code}): ${this.stderr.trim().split('\n').slice(-3).join(' / ')}`);
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      let event: PeerEvent;
      try {
        event = JSON.parse(line) as PeerEvent;
      } catch {
        return;
      }
      if (event.event === 'fatal' || event.event === 'error') progress(`  ${name}: ${String(event.message)}`);
      this.events.push(event);
      this.waiters = this.waiters.filter((waiter) => {
        if (!waiter.test(event)) return true;
        waiter.resolve(event);
        return false;
      });
    });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-2_000);
    });
  }

  waitFor(test: (event: PeerEvent) => boolean, timeoutMs: number, past = true): Promise<PeerEvent> {
    if (past) {
      const seen = this.events.find(test);
      if (seen) return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: no matching event within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        test,
        resolve: (event) => {
          clearTimeout(timer);
          resolve(event);
        },
      });
    });
  }

  send(command: Record<string, unknown>): void {
    if (this.child.exitCode !== null || this.child.stdin.destroyed) return;
    this.child.stdin.write(`${JSON.stringify(command)}\n`);
  }

  async request(command: Record<string, unknown>, reply: string, timeoutMs = 30_000): Promise<PeerEvent> {
    const answer = this.waitFor((event) => event.event === reply, timeoutMs, false);
    this.send(command);
    return answer;
  }

  /** The last status this peer reported. */
  status(): { peers: number; syncedPeers: number } {
    const last = [...this.events].reverse().find((event) => event.event === 'status');
    return { peers: Number(last?.peers ?? 0), syncedPeers: Number(last?.syncedPeers ?? 0) };
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    this.send({ cmd: 'exit' });
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await this.exited;
    clearTimeout(killer);
  }
}

const folders: string[] = [];
const live = new Set<BenchPeer>();
function folder(label: string): string {
  const path = mkdtempSync(join(tmpdir(), `hearth-bench-${label}-`));
  folders.push(path);
  return path;
}

async function stopAll(peers: Iterable<BenchPeer>): Promise<void> {
  await Promise.all(
    [...peers].map(async (peer) => {
      await peer.stop();
      live.delete(peer);
    }),
  );
}

function cleanUp(): void {
  for (const peer of live) peer.send({ cmd: 'exit' });
  for (const path of folders.splice(0)) rmSync(path, { recursive: true, force: true });
}
process.once('SIGTERM', () => {
  cleanUp();
  process.exit(143);
});

async function startPeers(
  count: number,
  community: { communityId: string; secret: string },
  signaling: string,
  label: string,
): Promise<BenchPeer[]> {
  const peers: BenchPeer[] = [];
  for (let i = 0; i < count; i += 1) {
    const peer = new BenchPeer(`${label}${i}`, { ...community, signaling: [signaling], storeDir: folder(`${label}${i}`) });
    live.add(peer);
    peers.push(peer);
    if (STAGGER_MS > 0) await peer.waitFor((event) => event.event === 'ready', 60_000);
    await sleep(STAGGER_MS);
  }
  await Promise.all(peers.map((peer) => peer.waitFor((event) => event.event === 'ready', 60_000)));
  return peers;
}

/** Waits until every peer has an open, synced channel to every other one, or the limit passes. */
async function waitForMesh(peers: readonly BenchPeer[], limitMs: number): Promise<{ ms: number; full: boolean; links: number }> {
  const started = performance.now();
  const want = peers.length - 1;
  for (;;) {
    const statuses = peers.map((peer) => peer.status());
    const links = statuses.reduce((sum, status) => sum + Math.min(status.peers, status.syncedPeers), 0) / 2;
    if (statuses.every((status) => status.peers >= want && status.syncedPeers >= want))
      return { ms: performance.now() - started, full: true, links };
    if (performance.now() - started > limitMs) return { ms: performance.now() - started, full: false, links };
    await sleep(100);
  }
}

function inProcessApplyMs(): number {
  const author = new Y.Doc();
  const replica = new Y.Doc();
  const updates: Uint8Array[] = [];
  author.on('update', (update: Uint8Array) => updates.push(update));
  for (let i = 0; i < 2_000; i += 1) author.getMap<number>('bench').set(`e:${i}`, performance.now());
  const times: number[] = [];
  for (const update of updates) {
    const start = performance.now();
    Y.applyUpdate(replica, update);
    times.push(performance.now() - start);
  }
  return median(times.slice(500));
}

const rows: BenchRow[] = [];
const notes: string[] = [];

async function editLatency(size: number, signaling: string, applyMs: number): Promise<void> {
  const community = { communityId: newId(), secret: toBase64Url(newCommunitySecret()) };
  progress(`${size} members: starting…`);
  const peers = await startPeers(size, community, signaling, `m${size}-`);
  try {
    const mesh = await waitForMesh(peers, MESH_LIMIT_MS(size));
    const fullLinks = (size * (size - 1)) / 2;
    progress(
      `  mesh ${mesh.full ? 'complete' : `incomplete (${mesh.links} of ${fullLinks} links)`} after ${(mesh.ms / 1_000).toFixed(1)} s`,
    );
    if (!mesh.full)
      notes.push(
        `4 (${size} members): the full mesh (${fullLinks} links) did not form within ${(MESH_LIMIT_MS(size) / 1_000).toFixed(0)} s; ${mesh.links} links were up and the figures are for that.`,
      );
    const edits = size >= 20 ? 100 : 200;
    const intervalMs = size >= 20 ? 100 : size >= 8 ? 40 : 25;
    for (let i = 0; i < 5; i += 1) {
      peers[i % size]!.send({ cmd: 'edit', key: `warm:${i}` });
      await sleep(intervalMs);
    }
    await sleep(500);
    const before = await Promise.all(peers.map((peer) => peer.request({ cmd: 'stats' }, 'stats')));
    for (let i = 0; i < edits; i += 1) {
      peers[i % size]!.send({ cmd: 'edit', key: `e:${i}` });
      await sleep(intervalMs);
    }
    await sleep(1_500);
    const after = await Promise.all(peers.map((peer) => peer.request({ cmd: 'stats' }, 'stats')));
    const latencies = after.flatMap((stats) => stats.latencies as number[]);
    const sent = (stats: PeerEvent) => (stats.counters as { sentMessages: number }).sentMessages;
    const messages = after.reduce((sum, stats, index) => sum + sent(stats) - sent(before[index]!), 0);
    const delivered = latencies.length / (edits * (size - 1));
    // Every edit is a signed change: what the receivers did with them (a refusal here is a bug).
    const judged = after.map(
      (stats) => (stats.changes ?? {}) as { signed?: number; applied?: number; refused?: number; forks?: number; waiting?: number },
    );
    const total = (field: 'signed' | 'applied' | 'refused' | 'forks' | 'waiting') =>
      judged.reduce((sum, counts) => sum + (counts[field] ?? 0), 0);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    progress(
      `  signed changes: ${total('signed')} signed, ${total('applied')} applied, ${total('refused')} refused, ${total('forks')} forks, ${total('waiting')} waiting (all members, since they started)`,
    );
    if (total('refused') + total('forks') + total('waiting') > 0)
      notes.push(
        `4 (${size} members): of the signed changes, ${total('refused')} were refused, ${total('forks')} were forks and ${total('waiting')} still waited at the end; every one should have been applied.`,
      );
    progress(
      `  ${edits} edits: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms over ${latencies.length} deliveries (${(delivered * 100).toFixed(0)}%); ${(messages / edits).toFixed(1)} messages per edit`,
    );
    const targeted = size === 8;
    rows.push(
      {
        id: `4 (${size})`,
        measure: `Edit → peer p50, ${size} members`,
        baselineLabel: 'the same update applied in-process',
        hearth: p50,
        baseline: applyMs,
        unit: 'ms',
        target: targeted ? '< 20 ms' : undefined,
        pass: targeted ? p50 < 20 : null,
      },
      {
        id: `4 (${size})`,
        measure: `Edit → peer p99, ${size} members`,
        baselineLabel: 'the same update applied in-process',
        hearth: p99,
        baseline: applyMs,
        unit: 'ms',
        target: targeted ? '< 100 ms' : undefined,
        pass: targeted ? p99 < 100 : null,
      },
      {
        id: `4 (${size})`,
        measure: `Data-channel messages sent per edit, ${size} members`,
        baselineLabel: 'one per other member',
        hearth: messages / edits,
        baseline: size - 1,
        unit: 'msgs',
        pass: null,
      },
    );
    notes.push(
      `4 (${size} members): each edit is one signed change its author sends on every open connection (${size - 1} messages); receivers pass nothing on, but each member whose log grew sends its heads to every peer at its next status tick (every 250 ms in the bench peers, 1 s in the app), and every heads message is answered; ` +
        `${(messages / edits).toFixed(1)} messages were sent per edit, the heads and answers of one tick shared among the edits made in it.` +
        (size >= 20
          ? ` All ${size} member processes (Node and libwebrtc each) share this machine's ${cpus().length} cores, so these figures measure CPU queueing more than the network.`
          : ''),
    );
    if (delivered < 0.999)
      notes.push(
        `4 (${size} members): ${(delivered * 100).toFixed(1)}% of the ${edits * (size - 1)} expected deliveries arrived within 1.5 s of the last edit.`,
      );

    // A burst: one member makes 1,000 edits at once; how long until every member has all of them.
    for (const peer of peers.slice(1)) peer.send({ cmd: 'expect', prefix: 'burst', count: BURST_EDITS });
    const started = peers[0]!.waitFor((event) => event.event === 'burst', 10_000, false);
    peers[0]!.send({ cmd: 'burst', prefix: 'burst', count: BURST_EDITS });
    const burstAt = Number((await started).at);
    const converged = await Promise.allSettled(
      peers.slice(1).map((peer) => peer.waitFor((event) => event.event === 'converged' && event.prefix === 'burst', CONVERGE_LIMIT_MS)),
    );
    const times = converged
      .filter((result) => result.status === 'fulfilled')
      .map((result) => Number((result as PromiseFulfilledResult<PeerEvent>).value.at) - burstAt);
    const all = times.length === size - 1;
    const convergeMs = all ? Math.max(...times) : null;
    progress(
      `  ${BURST_EDITS}-edit burst: ${all ? `all converged after ${convergeMs!.toFixed(0)} ms` : `${times.length} of ${size - 1} converged within ${CONVERGE_LIMIT_MS / 1_000} s`}`,
    );
    const burstTargeted = size === 30;
    rows.push({
      id: `4 (${size})`,
      measure: `All ${size} members converged after a ${BURST_EDITS.toLocaleString('en-US')}-edit burst`,
      baselineLabel: `${BURST_EDITS.toLocaleString('en-US')} in-process applies`,
      hearth: convergeMs,
      baseline: applyMs * BURST_EDITS,
      unit: 'ms',
      target: burstTargeted ? '< 2 s' : undefined,
      pass: burstTargeted ? convergeMs !== null && convergeMs < 2_000 : null,
    });
    if (!all)
      notes.push(
        `4 (${size} members): after the ${BURST_EDITS}-edit burst only ${times.length} of ${size - 1} members had every edit within ${CONVERGE_LIMIT_MS / 1_000} s.`,
      );
  } finally {
    await stopAll(peers);
  }
}

/**
 * Measure 5: a new member receives the large community from its founder. The generated community is
 * history from before signed changes (a plain Yjs state under made-up client ids), so the founder's
 * first session sends it as one baseline change (shared/sync/README.md, "Baselines"); the newcomer
 * verifies and applies it like any change.
 */
async function initialSync(signaling: string): Promise<void> {
  const large = largeCommunity();
  const community = { communityId: large.communityId, secret: toBase64Url(newCommunitySecret()) };
  const founderDir = folder('founder');
  await new FileStore(founderDir).compact(large.communityId, large.state, 0);
  progress('initial sync: founder loads the large community…');
  const founder = new BenchPeer('founder', { ...community, signaling: [signaling], storeDir: founderDir });
  live.add(founder);
  try {
    await founder.waitFor((event) => event.event === 'ready', 60_000);
    const { stateVector } = await founder.request({ cmd: 'stateVector' }, 'stateVector');
    const newcomer = new BenchPeer('newcomer', { ...community, signaling: [signaling], storeDir: folder('newcomer') });
    live.add(newcomer);
    const ready = await newcomer.waitFor((event) => event.event === 'ready', 60_000);
    const has = newcomer.request({ cmd: 'waitState', stateVector }, 'hasState', INITIAL_SYNC_LIMIT_MS);
    const done = await has.catch(() => null);
    const startedAt = Number(ready.syncStartedAt);
    const connected = newcomer.events.find((event) => event.event === 'status' && Number(event.peers) > 0);
    // In-process: what y-webrtc's sync step 2 does without a network: encode (V1) and apply.
    const source = new Y.Doc();
    Y.applyUpdateV2(source, large.state);
    let v1Bytes = 0;
    const raw = await timeMedian(3, 1, () => {
      const update = Y.encodeStateAsUpdate(source);
      v1Bytes = update.byteLength;
      Y.applyUpdate(new Y.Doc(), update);
    });
    source.destroy();
    if (!done) {
      notes.push(`5: the newcomer did not hold the whole community within ${INITIAL_SYNC_LIMIT_MS / 1_000} s.`);
      rows.push({
        id: '5',
        measure: 'Initial sync of the large community to a new member',
        baselineLabel: 'raw encodeStateAsUpdate + applyUpdate',
        hearth: null,
        baseline: raw.median,
        unit: 'ms',
        target: '≤ 2×',
        pass: false,
      });
      return;
    }
    const total = Number(done.at) - startedAt;
    const transfer = connected ? Number(done.at) - Number(connected.at) : null;
    progress(
      `  newcomer has everything ${total.toFixed(0)} ms after starting sync (${transfer === null ? '?' : transfer.toFixed(0)} ms after its channel opened); raw encode + apply ${raw.median.toFixed(0)} ms; ${(v1Bytes / 1_048_576).toFixed(1)} MB as V1`,
    );
    rows.push(
      {
        id: '5',
        measure: `Initial sync of the large community (${(v1Bytes / 1_048_576).toFixed(1)} MB as y-webrtc sends it) to a new member`,
        baselineLabel: 'raw encodeStateAsUpdate + applyUpdate',
        hearth: total,
        baseline: raw.median,
        unit: 'ms',
        target: '≤ 2×',
        pass: total / raw.median <= 2,
      },
      {
        id: '5 ·',
        measure: '… of which after the data channel opened',
        baselineLabel: 'raw encode + apply',
        hearth: transfer,
        baseline: raw.median,
        unit: 'ms',
        pass: null,
      },
    );
    notes.push(
      `5: timed from the newcomer starting sync (signaling, WebRTC connection, DTLS) to its document covering the founder's state vector; the channel opened ${connected ? (Number(connected.at) - startedAt).toFixed(0) : '?'} ms in.`,
    );
    await stopAll([newcomer]);
  } finally {
    await stopAll([founder]);
  }
}

const signaling = await startSignalingServer({ port: 0 });
try {
  const applyMs = inProcessApplyMs();
  // Figures go out after each stage, so a run stopped at its time limit keeps what it measured.
  for (const size of SIZES.filter((n) => n < 30)) {
    await editLatency(size, signaling.url, applyMs);
    report(rows.splice(0), notes.splice(0));
  }
  if (process.env.HEARTH_BENCH_SKIP_INITIAL !== '1') await initialSync(signaling.url);
  report(rows.splice(0), notes.splice(0));
  for (const size of SIZES.filter((n) => n >= 30)) await editLatency(size, signaling.url, applyMs);
  notes.push(
    '4: bench peers show no presence (awareness), so messages per edit count signed changes, heads and answers only; members join 300 ms apart (two that join at the same instant wait for community-sync’s 20 s connect retry). Latency runs from the edit to the receiver’s document: the change log’s batch window (BATCH_MS, 4 ms), signing, the channel, verification, the record rules and the apply. A receiver’s file store fsyncs each change before it is applied (change-log.ts take()), and the applied update after.',
  );
} catch (error) {
  notes.push(`4–5: stopped early: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  report(rows, notes);
  await stopAll([...live]);
  cleanUp();
  await signaling.close();
}
