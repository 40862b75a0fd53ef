import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import {
  createNote,
  deleteNote,
  moveNote,
  noteBody,
  notesMap,
  recordNoteEdit,
  renameNote,
  restoreNote,
} from '../../shared/notes/commands.js';
import { listNotes, noteTree, readNoteBody, readNotesIndex, trashedNotes, type NoteTreeNode } from '../../shared/notes/queries.js';
import { ADA, GRACE, LIN, communityDoc } from './content-fixtures.js';
import { Network, attempt, seededRandom } from './convergence-network.js';

const MEMBERS = [ADA, GRACE, LIN];

type Op =
  | { kind: 'create'; peer: number; parent: number | null; title: string }
  | { kind: 'rename'; peer: number; note: number; title: string }
  | { kind: 'delete'; peer: number; note: number }
  | { kind: 'restore'; peer: number; note: number }
  | { kind: 'move'; peer: number; note: number; parent: number | null }
  | { kind: 'type'; peer: number; note: number; at: number; text: string }
  | { kind: 'deliver'; from: number; to: number; pick: number }
  | { kind: 'sync'; from: number; to: number };

const peer = fc.nat(4);
const pick = fc.nat(50);
const title = fc.constantFrom('Agenda', 'Handbook', 'Retro', 'FAQ', 'Ideas', 'Ideas ');
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('create' as const), peer, parent: fc.option(pick, { nil: null }), title }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rename' as const), peer, note: pick, title }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), peer, note: pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restore' as const), peer, note: pick }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('move' as const), peer, note: pick, parent: fc.option(pick, { nil: null }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('type' as const),
      peer,
      note: pick,
      at: pick,
      text: fc.string({ minLength: 1, maxLength: 6 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('deliver' as const), from: peer, to: peer, pick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('sync' as const), from: peer, to: peer }) },
);

/** Ids of the notes a peer knows about, in a stable order, so a pick means the same note each run. */
function knownNotes(doc: Y.Doc): string[] {
  return [...notesMap(doc).keys()].sort();
}

/** What the collaboration binding does when someone types: a paragraph inserted, or text added to one. */
function typeInto(body: Y.XmlFragment, at: number, text: string): void {
  const paragraphs = body.toArray().filter((item): item is Y.XmlElement => item instanceof Y.XmlElement);
  const target = paragraphs[at % (paragraphs.length + 1)];
  body.doc!.transact(() => {
    if (target && target.firstChild instanceof Y.XmlText) {
      const xmlText = target.firstChild;
      xmlText.insert(at % (xmlText.length + 1), text);
    } else {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText(text)]);
      body.insert(Math.min(at, body.length), [paragraph]);
    }
  });
}

function apply(network: Network, step: Op, created: { count: number }): void {
  if (step.kind === 'deliver') return network.deliver(step.from, step.to, step.pick);
  if (step.kind === 'sync') return network.deliverAll(step.from, step.to);
  const doc = network.peer(step.peer);
  const actor = { by: MEMBERS[step.peer % MEMBERS.length]! };
  const notes = knownNotes(doc);
  const noteAt = (index: number) => notes[index % Math.max(1, notes.length)];
  switch (step.kind) {
    case 'create': {
      const parentId = step.parent === null ? null : (noteAt(step.parent) ?? null);
      attempt(() => {
        createNote(doc, { title: step.title, parentId, ...actor });
        created.count += 1;
      });
      return;
    }
    case 'rename': {
      const id = noteAt(step.note);
      if (id) attempt(() => renameNote(doc, id, step.title, actor));
      return;
    }
    case 'delete': {
      const id = noteAt(step.note);
      if (id) attempt(() => deleteNote(doc, id, actor));
      return;
    }
    case 'restore': {
      const id = noteAt(step.note);
      if (id) attempt(() => restoreNote(doc, id, actor));
      return;
    }
    case 'move': {
      const id = noteAt(step.note);
      const parentId = step.parent === null ? null : (noteAt(step.parent) ?? null);
      if (id) attempt(() => moveNote(doc, id, parentId, actor));
      return;
    }
    case 'type': {
      const id = noteAt(step.note);
      const body = id ? noteBody(doc, id) : null;
      if (id && body) {
        typeInto(body, step.at, step.text);
        attempt(() => recordNoteEdit(doc, id, actor));
      }
      return;
    }
  }
}

function flatten(
  nodes: readonly NoteTreeNode[],
  parent: string | null,
  out: { id: string; parent: string | null; parentId: string | null }[] = [],
) {
  for (const node of nodes) {
    out.push({ id: node.note.id, parent, parentId: node.note.parentId });
    flatten(node.children, node.note.id, out);
  }
  return out;
}

function stateOf(doc: Y.Doc) {
  const list = listNotes(doc);
  return {
    list,
    tree: noteTree(doc),
    trash: trashedNotes(doc),
    bodies: list.notes.map((note) => readNoteBody(doc, note.id)),
  };
}

describe('notes converge', () => {
  it('ends equal on every peer with every note in the tree exactly once, whatever the delivery order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 5 }), fc.array(op, { minLength: 5, maxLength: 40 }), fc.integer(), (count, steps, seed) => {
        // Every peer starts with the same few pages, so moves on different peers often touch the same ones.
        const origin = communityDoc();
        for (const name of ['Agenda', 'Handbook', 'Retro', 'FAQ']) createNote(origin, { title: name, by: ADA });
        const network = new Network(origin, count);
        const created = { count: 4 };
        for (const step of steps) {
          apply(network, step, created);
          // Half-delivered states read cleanly too (an overwritten field can be briefly missing).
          for (const peerDoc of network.peers) expect(listNotes(peerDoc).problems).toEqual([]);
        }
        network.syncAll(seededRandom(seed));

        const states = network.peers.map(stateOf);
        for (const state of states) expect(state).toEqual(states[0]);
        for (const peerDoc of network.peers) expect(notesMap(peerDoc).toJSON()).toEqual(notesMap(network.peers[0]!).toJSON());

        const doc = network.peers[0]!;
        const { list, tree } = states[0]!;
        expect(list.problems).toEqual([]);
        // No note lost: every note any peer created is in the document.
        expect(notesMap(doc).size).toBe(created.count);
        // Every live note is in the tree exactly once, under its own parent unless that would close a loop.
        const index = readNotesIndex(doc);
        const flat = flatten(tree.roots, null);
        expect(new Set(flat.map((entry) => entry.id)).size).toBe(flat.length);
        expect(flat.map((entry) => entry.id).sort()).toEqual([...index.live.keys()].sort());
        expect(list.notes.map((note) => note.id).sort()).toEqual([...index.live.keys()].sort());
        for (const entry of flat) {
          if (entry.parent !== null) expect(entry.parentId).toBe(entry.parent);
          else if (entry.parentId !== null && index.all.has(entry.parentId)) expect(index.ancestorsOf(entry.parentId)).toContain(entry.id);
        }
        network.destroy();
      }),
      { numRuns: 150 },
    );
    // Generous: 150 shuffled runs take ~7 s alone and several times that on a busy 2-core machine.
  }, 120_000);
});
