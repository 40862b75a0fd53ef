// Test harness for sync: members as separate headless-peer processes (real WebRTC over loopback via
// @roamhq/wrtc), driven over stdin and observed through the JSON lines they print.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startSignalingServer, type RunningSignalingServer } from '../../electron/signaling/server.js';
import { newId } from '../../shared/ids.js';
import { toBase64Url } from '../../shared/sync/bytes.js';
import { newCommunitySecret } from '../../shared/sync/keys.js';
import { generateIdentity, type Identity } from '../../shared/identity/identity.js';
import { generateAgreementKey, type AgreementKeyPair } from '../../shared/sync/epochs.js';

/** A member as a headless peer takes it: a signing identity and a key-agreement key (rotations wrap for it). */
export interface PeerMember {
  readonly identity: Identity;
  readonly agreement: AgreementKeyPair;
  /** The peer's config fields for them (private halves as JWK). */
  readonly config: Record<string, unknown>;
}

export async function peerMember(): Promise<PeerMember> {
  const [identity, agreement] = await Promise.all([generateIdentity(true), generateAgreementKey(true)]);
  const config = {
    memberId: identity.memberId,
    identity: {
      memberId: identity.memberId,
      publicKey: identity.publicKey,
      privateKeyJwk: await crypto.subtle.exportKey('jwk', identity.privateKey),
    },
    agreement: { publicKey: agreement.publicKey, privateKeyJwk: await crypto.subtle.exportKey('jwk', agreement.privateKey) },
  };
  return { identity, agreement, config };
}

export interface PeerEvent {
  readonly event: string;
  readonly [key: string]: unknown;
}

export interface Community {
  readonly communityId: string;
  readonly secret: string;
}

/** How a peer's process is started, for peers that are not on loopback (LAN discovery tests). */
export interface PeerLaunch {
  /** Wraps the command line, e.g. to run it inside a network namespace. */
  readonly wrap?: (argv: readonly string[]) => string[];
  /** Fields added to the peer's config (e.g. `lan`). */
  readonly config?: Record<string, unknown>;
  /** False lets WebRTC use every interface the process sees (only inside a namespace the test made). */
  readonly loopbackOnly?: boolean;
}

export function newCommunity(): Community {
  return { communityId: newId(), secret: toBase64Url(newCommunitySecret()) };
}

const WAIT_LIMIT_MS = 60_000;
const live = new Set<Peer>();
const folders: string[] = [];

export class Peer {
  readonly events: PeerEvent[] = [];
  private waiters: { test: (event: PeerEvent) => boolean; resolve: (event: PeerEvent) => void }[] = [];
  private child!: ChildProcessWithoutNullStreams;
  exited: Promise<number | null> = Promise.resolve(null);

  private constructor(
    readonly name: string,
    readonly community: Community,
    readonly signaling: readonly string[],
    readonly storeDir: string,
    readonly memberId: string,
  ) {}

  /** Starts a member's process; `storeDir` reuses an earlier member's files (a restart). */
  static async start(
    name: string,
    community: Community,
    signaling: readonly string[],
    storeDir?: string,
    launch: PeerLaunch = {},
  ): Promise<Peer> {
    const folder = storeDir ?? mkdtempSync(join(tmpdir(), `hearth-peer-${name}-`));
    if (!storeDir) folders.push(folder);
    const peer = new Peer(name, community, signaling, folder, `${name.toLowerCase().padEnd(8, '0')}member`.slice(0, 16));
    peer.launch = launch;
    peer.spawn();
    await peer.waitFor((event) => event.event === 'ready');
    return peer;
  }

  private launch: PeerLaunch = {};

  private spawn(): void {
    const config = {
      ...this.community,
      signaling: this.signaling,
      storeDir: this.storeDir,
      memberId: this.memberId,
      displayName: this.name,
      ...this.launch.config,
    };
    const [command, ...args] = (this.launch.wrap ?? ((argv) => [...argv]))([process.execPath, 'dist/peer/headless-peer.mjs']);
    this.child = spawn(command!, args, {
      env: {
        ...process.env,
        HEARTH_PEER_CONFIG: JSON.stringify(config),
        HEARTH_LOOPBACK_ONLY: this.launch.loopbackOnly === false ? '0' : '1',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    live.add(this);
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code) => {
        live.delete(this);
        resolve(code);
      }),
    );
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      let event: PeerEvent;
      try {
        event = JSON.parse(line) as PeerEvent;
      } catch {
        return;
      }
      this.events.push(event);
      this.waiters = this.waiters.filter((waiter) => {
        if (!waiter.test(event)) return true;
        waiter.resolve(event);
        return false;
      });
    });
    let stderr = '';
    this.child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4_000);
    });
    this.child.once('exit', (code) => {
      if (code !== 0 && code !== null) this.events.push({ event: 'crashed', code, stderr });
    });
  }

  send(command: Record<string, unknown>): void {
    this.child.stdin.write(`${JSON.stringify(command)}\n`);
  }

  /** Sends a command and waits for the event it answers with (named `answer`). */
  ask(command: Record<string, unknown>, answer: string): Promise<PeerEvent> {
    const reply = this.waitFor((event) => event.event === answer);
    this.send(command);
    return reply;
  }

  /** The first event from now on (or already seen, with `past`) that passes `test`. */
  waitFor(test: (event: PeerEvent) => boolean, timeoutMs = WAIT_LIMIT_MS, past = false): Promise<PeerEvent> {
    if (past) {
      const seen = this.events.find(test);
      if (seen) return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.name}: no matching event within ${timeoutMs} ms; last: ${JSON.stringify(this.events.slice(-3))}`)),
        timeoutMs,
      );
      this.waiters.push({
        test,
        resolve: (event) => {
          clearTimeout(timer);
          resolve(event);
        },
      });
    });
  }

  async run(command: Record<string, unknown>): Promise<void> {
    const done = this.waitFor((event) => event.event === 'done' && event.cmd === command.cmd);
    this.send(command);
    await done;
  }

  async snapshot(): Promise<{ digest: string; scratchLength: number; members: string[] }> {
    const reply = this.waitFor((event) => event.event === 'snapshot');
    this.send({ cmd: 'snapshot' });
    return (await reply) as unknown as { digest: string; scratchLength: number; members: string[] };
  }

  async flush(): Promise<{ digest: string; scratchLength: number }> {
    const reply = this.waitFor((event) => event.event === 'flushed');
    this.send({ cmd: 'flush' });
    return (await reply) as unknown as { digest: string; scratchLength: number };
  }

  /** Polls until this peer's visible content equals `digest`. */
  async until(
    check: (snapshot: { digest: string; scratchLength: number; members: string[] }) => boolean,
    timeoutMs = WAIT_LIMIT_MS,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
      const snapshot = await this.snapshot();
      if (check(snapshot)) return;
      last = snapshot;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`${this.name} did not reach the expected state within ${timeoutMs} ms; last ${JSON.stringify(last)}`);
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    this.child.kill(signal);
    return this.exited;
  }
}

/** Polls `check` until it holds; throws naming `what` after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Ends every peer process and removes their folders; call from afterEach/afterAll. */
export async function stopAllPeers(): Promise<void> {
  await Promise.all([...live].map((peer) => peer.kill('SIGKILL')));
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
}

/** A Hearth signaling server on loopback for the file's tests; every peer is stopped after each test. */
export function useSignaling(): { readonly url: string } {
  let server: RunningSignalingServer | null = null;
  beforeAll(async () => {
    server = await startSignalingServer({ port: 0 });
  });
  afterEach(async () => {
    await stopAllPeers();
  });
  afterAll(async () => {
    await server?.close();
  });
  return {
    get url() {
      if (!server) throw new Error('the signaling server is not running yet');
      return server.url;
    },
  };
}
