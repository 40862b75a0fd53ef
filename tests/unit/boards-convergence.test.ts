// Boards under concurrency: members on 3–5 devices create, move and delete cards and columns while
// offline, then exchange updates in a shuffled order with duplicates. Every device must end with the
// same board, and no card may be duplicated, lost, or hidden.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import {
  addCard,
  addColumn,
  createBoard,
  deleteCard,
  deleteColumn,
  moveCard,
  moveColumn,
  renameColumn,
} from '../../shared/boards/commands.js';
import { cardsMap } from '../../shared/boards/doc.js';
import { readBoard, type BoardView } from '../../shared/boards/queries.js';
import { CommandError } from '../../shared/doc/records.js';

const BOARD = 'board0000000001';
const ADA = 'member000000ada';

type Operation =
  | { kind: 'addCard'; peer: number; column: number; index: number }
  | { kind: 'moveCard'; peer: number; card: number; column: number; index: number }
  | { kind: 'deleteCard'; peer: number; card: number }
  | { kind: 'addColumn'; peer: number; index: number }
  | { kind: 'moveColumn'; peer: number; column: number; index: number }
  | { kind: 'renameColumn'; peer: number; column: number }
  | { kind: 'deleteColumn'; peer: number; column: number }
  /** Some of what the network carries reaches one peer (in random order, possibly twice). */
  | { kind: 'deliver'; peer: number; count: number };

const pick = fc.nat({ max: 1_000 });
const operation = (peers: number): fc.Arbitrary<Operation> => {
  const peer = fc.nat({ max: peers - 1 });
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('addCard' as const), peer, column: pick, index: pick }) },
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('moveCard' as const), peer, card: pick, column: pick, index: pick }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteCard' as const), peer, card: pick }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('addColumn' as const), peer, index: pick }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('moveColumn' as const), peer, column: pick, index: pick }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('renameColumn' as const), peer, column: pick }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteColumn' as const), peer, column: pick }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('deliver' as const), peer, count: fc.nat({ max: 8 }) }) },
  );
};

interface Scenario {
  readonly peers: number;
  readonly operations: readonly Operation[];
  readonly seed: number;
}

const scenario: fc.Arbitrary<Scenario> = fc
  .integer({ min: 3, max: 5 })
  .chain((peers) =>
    fc.record({ peers: fc.constant(peers), operations: fc.array(operation(peers), { minLength: 5, maxLength: 60 }), seed: fc.integer() }),
  );

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}

function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

function run({ peers, operations, seed }: Scenario) {
  const random = seededRandom(seed);
  const origin = new Y.Doc();
  createBoard(origin, { name: 'Sprint', by: ADA, id: BOARD, now: 1 });
  const firstColumn = readBoard(origin, BOARD)!.columns[0]!.column.id;
  for (const title of ['Seed one', 'Seed two', 'Seed three'])
    addCard(origin, { boardId: BOARD, columnId: firstColumn, title, by: ADA, now: 1 });
  const base = Y.encodeStateAsUpdate(origin);

  const docs = Array.from({ length: peers }, () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, base);
    return doc;
  });
  // Every update any peer makes goes on the wire; nothing is ever dropped for good.
  const wire: Uint8Array[] = [];
  const REMOTE = Symbol('remote');
  for (const doc of docs) doc.on('update', (update: Uint8Array, from: unknown) => from !== REMOTE && wire.push(update));

  const created = new Set(readBoard(origin, BOARD)!.columns[0]!.cards.map((card) => card.id));
  const deleted = new Set<string>();
  let titleCounter = 0;

  for (const op of operations) {
    const doc = docs[op.peer]!;
    const view = readBoard(doc, BOARD)!;
    const columns = view.columns.map((column) => column.column.id);
    const cards = [...view.unsorted, ...view.columns.flatMap((column) => column.cards)].map((card) => card.id);
    const columnAt = (n: number) => columns[n % Math.max(columns.length, 1)];
    try {
      switch (op.kind) {
        case 'addCard': {
          const column = columnAt(op.column);
          if (!column) break;
          created.add(
            addCard(doc, { boardId: BOARD, columnId: column, title: `Card ${(titleCounter += 1)}`, by: ADA, index: op.index % 6 }),
          );
          break;
        }
        case 'moveCard': {
          const card = cards[op.card % Math.max(cards.length, 1)];
          const column = columnAt(op.column);
          if (card && column) moveCard(doc, card, column, op.index % 8);
          break;
        }
        case 'deleteCard': {
          const card = cards[op.card % Math.max(cards.length, 1)];
          if (card) {
            deleteCard(doc, card);
            deleted.add(card);
          }
          break;
        }
        case 'addColumn':
          addColumn(doc, { boardId: BOARD, name: `Column ${(titleCounter += 1)}`, index: op.index % 5 });
          break;
        case 'moveColumn': {
          const column = columnAt(op.column);
          if (column) moveColumn(doc, column, op.index % 5);
          break;
        }
        case 'renameColumn': {
          const column = columnAt(op.column);
          if (column) renameColumn(doc, column, `Renamed ${(titleCounter += 1)}`);
          break;
        }
        case 'deleteColumn': {
          const column = columnAt(op.column);
          if (column) deleteColumn(doc, column);
          break;
        }
        case 'deliver': {
          const some = shuffled(wire, random).slice(0, op.count);
          for (const update of some) Y.applyUpdate(doc, update, REMOTE);
          break;
        }
      }
    } catch (error) {
      // A command refusing (e.g. a column deleted a moment ago on this device) is fine; anything else is not.
      if (!(error instanceof CommandError)) throw error;
    }
  }

  // Everyone finally hears everything: shuffled, with every update sent twice.
  for (const doc of docs) {
    for (const update of shuffled([...wire, ...wire], random)) Y.applyUpdate(doc, update, REMOTE);
  }
  return { docs, created, deleted };
}

function layout(view: BoardView) {
  return {
    columns: view.columns.map((column) => ({ id: column.column.id, name: column.column.name, cards: column.cards.map((card) => card.id) })),
    unsorted: view.unsorted.map((card) => card.id),
  };
}

describe('boards converge under shuffled, duplicated delivery', () => {
  it('every peer ends with the same board; no card is duplicated, lost or hidden', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const { docs, created, deleted } = run(input);
        const views = docs.map((doc) => readBoard(doc, BOARD)!);
        const layouts = views.map(layout);
        for (const other of layouts.slice(1)) expect(other).toEqual(layouts[0]);
        for (const view of views) expect(view.problems).toEqual([]);

        const shown = [...layouts[0]!.unsorted, ...layouts[0]!.columns.flatMap((column) => column.cards)];
        // No card in two places (or twice in one).
        expect(new Set(shown).size).toBe(shown.length);
        // No card lost: every card created and not deleted is shown, and nothing else is.
        const expected = [...created].filter((id) => !deleted.has(id)).sort();
        expect([...shown].sort()).toEqual(expected);
        // Every stored card record is shown: none sits in the document invisibly.
        expect([...cardsMap(docs[0]!).keys()].sort()).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  }, 60_000);

  it('a card moved into a column a peer just deleted survives, under Unsorted, on every peer', () => {
    const ada = new Y.Doc();
    createBoard(ada, { name: 'Sprint', by: ADA, id: BOARD });
    const [todo, doing] = readBoard(ada, BOARD)!.columns.map((column) => column.column.id);
    const card = addCard(ada, { boardId: BOARD, columnId: todo!, title: 'Moving target', by: ADA });
    const grace = new Y.Doc();
    Y.applyUpdate(grace, Y.encodeStateAsUpdate(ada));

    deleteColumn(ada, doing!);
    moveCard(grace, card, doing!, 0);
    const fromAda = Y.encodeStateAsUpdate(ada);
    const fromGrace = Y.encodeStateAsUpdate(grace);
    Y.applyUpdate(ada, fromGrace);
    Y.applyUpdate(grace, fromAda);

    for (const doc of [ada, grace]) {
      const view = readBoard(doc, BOARD)!;
      expect(view.columns.map((column) => column.column.name)).toEqual(['To do', 'Done']);
      expect(view.unsorted.map((entry) => entry.title)).toEqual(['Moving target']);
      expect(view.columns.flatMap((column) => column.cards)).toEqual([]);
    }
    // And it can be put back into a column from there.
    moveCard(grace, card, todo!, 0);
    Y.applyUpdate(ada, Y.encodeStateAsUpdate(grace));
    expect(readBoard(ada, BOARD)!.columns[0]!.cards.map((entry) => entry.title)).toEqual(['Moving target']);
    expect(readBoard(ada, BOARD)!.unsorted).toEqual([]);
  });

  it('two members moving the same card at once end with the card in exactly one of their targets', () => {
    const ada = new Y.Doc();
    createBoard(ada, { name: 'Sprint', by: ADA, id: BOARD });
    const [todo, doing, done] = readBoard(ada, BOARD)!.columns.map((column) => column.column.id);
    const card = addCard(ada, { boardId: BOARD, columnId: todo!, title: 'Contested', by: ADA });
    const grace = new Y.Doc();
    Y.applyUpdate(grace, Y.encodeStateAsUpdate(ada));
    moveCard(ada, card, doing!, 0);
    moveCard(grace, card, done!, 0);
    Y.applyUpdate(ada, Y.encodeStateAsUpdate(grace));
    Y.applyUpdate(grace, Y.encodeStateAsUpdate(ada));
    const [a, g] = [ada, grace].map((doc) => layout(readBoard(doc, BOARD)!));
    expect(a).toEqual(g);
    const holders = a!.columns.filter((column) => column.cards.includes(card)).map((column) => column.id);
    expect(holders).toHaveLength(1);
    expect([doing, done]).toContain(holders[0]);
  });

  it('two members adding at the same spot get the same order everywhere, and a third can insert between them', () => {
    const ada = new Y.Doc();
    createBoard(ada, { name: 'Sprint', by: ADA, id: BOARD });
    const todo = readBoard(ada, BOARD)!.columns[0]!.column.id;
    addCard(ada, { boardId: BOARD, columnId: todo, title: 'Top', by: ADA, id: 'cardtop000000000' });
    addCard(ada, { boardId: BOARD, columnId: todo, title: 'Bottom', by: ADA, id: 'cardbottom000000' });
    const grace = new Y.Doc();
    Y.applyUpdate(grace, Y.encodeStateAsUpdate(ada));
    addCard(ada, { boardId: BOARD, columnId: todo, title: 'From Ada', by: ADA, index: 1, id: 'cardaaaaaaaaaaaa' });
    addCard(grace, { boardId: BOARD, columnId: todo, title: 'From Grace', by: ADA, index: 1, id: 'cardbbbbbbbbbbbb' });
    Y.applyUpdate(ada, Y.encodeStateAsUpdate(grace));
    Y.applyUpdate(grace, Y.encodeStateAsUpdate(ada));
    const order = (doc: Y.Doc) => readBoard(doc, BOARD)!.columns[0]!.cards.map((card) => card.title);
    // Same key on both: the id breaks the tie.
    expect(order(ada)).toEqual(['Top', 'From Ada', 'From Grace', 'Bottom']);
    expect(order(grace)).toEqual(order(ada));
    addCard(grace, { boardId: BOARD, columnId: todo, title: 'Wedged', by: ADA, index: 2 });
    Y.applyUpdate(ada, Y.encodeStateAsUpdate(grace));
    expect(order(ada)).toEqual(['Top', 'From Ada', 'Wedged', 'From Grace', 'Bottom']);
  });
});
