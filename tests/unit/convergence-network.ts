// A simulated network of peers for the convergence property tests: each peer is a plain Y.Doc whose
// updates are delivered to others in whatever order (and as many times) the test asks for.
import * as Y from 'yjs';
import { CommandError } from '../../shared/doc/records.js';

const REMOTE = Symbol('remote');

export class Network {
  readonly peers: Y.Doc[];
  /** Every update each peer made itself, in order. */
  private readonly sent: Uint8Array[][];

  constructor(origin: Y.Doc, count: number) {
    const start = Y.encodeStateAsUpdate(origin);
    this.sent = [];
    this.peers = Array.from({ length: count }, (_, index) => {
      const peer = new Y.Doc();
      Y.applyUpdate(peer, start, REMOTE);
      this.sent.push([]);
      peer.on('update', (update: Uint8Array, transactionOrigin: unknown) => {
        if (transactionOrigin !== REMOTE) this.sent[index]!.push(update);
      });
      return peer;
    });
  }

  peer(index: number): Y.Doc {
    return this.peers[index % this.peers.length]!;
  }

  /** Delivers one update that peer `from` made (picked by `pick`) to peer `to`. */
  deliver(from: number, to: number, pick: number): void {
    const updates = this.sent[from % this.peers.length]!;
    if (updates.length === 0) return;
    Y.applyUpdate(this.peer(to), updates[pick % updates.length]!, REMOTE);
  }

  /** Delivers everything peer `from` made so far to peer `to`, newest first (out of order on purpose). */
  deliverAll(from: number, to: number): void {
    for (const update of [...this.sent[from % this.peers.length]!].reverse()) Y.applyUpdate(this.peer(to), update, REMOTE);
  }

  /** Delivers every update to every peer in a shuffled order, some of them twice. */
  syncAll(random: () => number): void {
    const all = this.sent.flat();
    for (const peer of this.peers) {
      const order = all.map((update) => ({ update, key: random() }));
      for (const { update } of [...order, ...order.filter(() => random() < 0.25)].sort((a, b) => a.key - b.key))
        Y.applyUpdate(peer, update, REMOTE);
    }
  }

  destroy(): void {
    for (const peer of this.peers) peer.destroy();
  }
}

/** Runs a command that may be refused (a peer's view made it invalid); anything else is a failure. */
export function attempt(run: () => void): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof CommandError)) throw error;
  }
}

/** A small deterministic random source, so a failing case replays exactly from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}
