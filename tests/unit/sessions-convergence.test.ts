// Sessions under concurrency: facilitators and members on 3–5 devices edit the agenda, run the timer,
// press Next, raise hands, record attendance and add action items while offline, then exchange updates
// in a shuffled order with duplicates. Every device must end with the same session: agenda order,
// current item and timer, queue, attendance and action items (each a card on the board).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import { createBoard } from '../../shared/boards/commands.js';
import { readBoard } from '../../shared/boards/queries.js';
import { createSession, setHotSeatOrder } from '../../shared/sessions/session-commands.js';
import {
  addAgendaItem,
  moveAgendaItem,
  removeAgendaItem,
  setAgendaItemDone,
  updateAgendaItem,
} from '../../shared/sessions/agenda-commands.js';
import {
  callNextSpeaker,
  extendTimer,
  goToItem,
  lowerHand,
  nextItem,
  pauseTimer,
  raiseHand,
  recordPresence,
  setAttendance,
  startSession,
  startTimer,
} from '../../shared/sessions/run-commands.js';
import { addActionItem, setActionBoard } from '../../shared/sessions/action-commands.js';
import { nestedOf, sessionRecord } from '../../shared/sessions/doc.js';
import { readSession } from '../../shared/sessions/queries.js';
import { remainingMs } from '../../shared/sessions/timer.js';
import { ADA, GRACE, LIN, T0, communityDoc } from './content-fixtures.js';
import { Network, attempt, seededRandom } from './convergence-network.js';

const MEMBERS = [ADA, GRACE, LIN];
const SESSION = 'session000000001';
const ITEMS = ['Check-in round', 'Hot seat 1', 'Hot seat 2', 'Hot seat 3', 'Commitments round'];

function origin(live: boolean): Y.Doc {
  const doc = communityDoc();
  const boardId = createBoard(doc, { name: 'Commitments', by: ADA, now: T0 });
  setActionBoard(doc, boardId);
  createSession(doc, {
    id: SESSION,
    title: 'Tuesday mastermind',
    scheduledAt: T0,
    agenda: ITEMS.map((title, index) => ({
      title,
      kind: index === 0 ? 'checkIn' : index === 4 ? 'commitments' : 'hotSeat',
      minutes: 10 + index,
    })),
    hotSeatOrder: [GRACE, LIN, ADA],
    by: ADA,
    now: T0,
  });
  if (live) startSession(doc, SESSION, { by: ADA, clock: { client: doc.clientID, now: T0 } });
  return doc;
}

type Op =
  | { kind: 'addItem'; peer: number; index: number }
  | { kind: 'moveItem'; peer: number; item: number; index: number }
  | { kind: 'removeItem'; peer: number; item: number }
  | { kind: 'editItem'; peer: number; item: number; minutes: number }
  | { kind: 'done'; peer: number; item: number; done: boolean }
  | { kind: 'next'; peer: number }
  | { kind: 'goTo'; peer: number; item: number }
  | { kind: 'timer'; peer: number; action: 'pause' | 'start' | 'extend' }
  | { kind: 'hand'; peer: number; up: boolean }
  | { kind: 'callNext'; peer: number }
  | { kind: 'presence'; peer: number; who: number }
  | { kind: 'attendance'; peer: number; who: number; present: boolean }
  | { kind: 'rotation'; peer: number; seed: number }
  | { kind: 'action'; peer: number; owner: number }
  | { kind: 'deliver'; from: number; to: number; pick: number }
  | { kind: 'sync'; from: number; to: number };

const peer = fc.nat(4);
const pick = fc.nat(40);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('addItem' as const), peer, index: pick }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('moveItem' as const), peer, item: pick, index: pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('removeItem' as const), peer, item: pick }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('editItem' as const), peer, item: pick, minutes: fc.integer({ min: 1, max: 30 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('done' as const), peer, item: pick, done: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('next' as const), peer }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('goTo' as const), peer, item: pick }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('timer' as const),
      peer,
      action: fc.constantFrom('pause' as const, 'start' as const, 'extend' as const),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('hand' as const), peer, up: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('callNext' as const), peer }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('presence' as const), peer, who: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('attendance' as const), peer, who: fc.nat(2), present: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rotation' as const), peer, seed: fc.nat(5) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('action' as const), peer, owner: fc.nat(2) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('deliver' as const), from: peer, to: peer, pick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('sync' as const), from: peer, to: peer }) },
);

interface Made {
  items: Set<string>;
  removed: Set<string>;
  actions: Set<string>;
  clock: number;
}

function apply(network: Network, step: Op, made: Made): void {
  if (step.kind === 'deliver') return network.deliver(step.from, step.to, step.pick);
  if (step.kind === 'sync') return network.deliverAll(step.from, step.to);
  const doc = network.peer(step.peer);
  // Peers 0 and 3 are Ada's two devices, 1 and 4 Grace's: the same member acts on two devices at once.
  const me = MEMBERS[step.peer % MEMBERS.length]!;
  // Every device's clock is off by its own amount; the run state must converge all the same.
  made.clock += 1_000;
  const clock = { client: doc.clientID, now: T0 + made.clock + step.peer * 7_919 };
  const agenda = readSession(doc, SESSION)!.agenda.map((item) => item.id);
  const item = (n: number) => agenda[n % Math.max(1, agenda.length)];
  attempt(() => {
    switch (step.kind) {
      case 'addItem':
        made.items.add(addAgendaItem(doc, SESSION, { title: `Extra ${made.items.size}`, minutes: 5, index: step.index % 8 }));
        return;
      case 'moveItem': {
        const id = item(step.item);
        if (id) moveAgendaItem(doc, SESSION, id, step.index % 8);
        return;
      }
      case 'removeItem': {
        const id = item(step.item);
        if (id) {
          removeAgendaItem(doc, SESSION, id);
          made.removed.add(id);
        }
        return;
      }
      case 'editItem': {
        const id = item(step.item);
        if (id) updateAgendaItem(doc, SESSION, id, { minutes: step.minutes });
        return;
      }
      case 'done': {
        const id = item(step.item);
        if (id) setAgendaItemDone(doc, SESSION, id, step.done);
        return;
      }
      case 'next':
        nextItem(doc, SESSION, { by: me, clock });
        return;
      case 'goTo': {
        const id = item(step.item);
        if (id) goToItem(doc, SESSION, id, { by: me, clock });
        return;
      }
      case 'timer':
        if (step.action === 'pause') pauseTimer(doc, SESSION, { by: me, clock });
        else if (step.action === 'start') startTimer(doc, SESSION, { by: me, clock });
        else extendTimer(doc, SESSION, 2, { by: me, clock });
        return;
      case 'hand':
        if (step.up) raiseHand(doc, SESSION, { by: me, now: clock.now });
        else lowerHand(doc, SESSION, me);
        return;
      case 'callNext':
        callNextSpeaker(doc, SESSION, { by: me, now: clock.now });
        return;
      case 'presence':
        recordPresence(doc, SESSION, [MEMBERS[step.who]!], clock.now);
        return;
      case 'attendance':
        setAttendance(doc, SESSION, MEMBERS[step.who]!, step.present, { by: me, now: clock.now });
        return;
      case 'rotation':
        setHotSeatOrder(doc, SESSION, [...MEMBERS.slice(step.seed % 3), ...MEMBERS.slice(0, step.seed % 3)]);
        return;
      case 'action':
        made.actions.add(
          addActionItem(doc, SESSION, {
            text: `Commitment ${made.actions.size}`,
            ownerId: MEMBERS[step.owner]!,
            dueDate: null,
            by: me,
            now: clock.now,
          }),
        );
        return;
    }
  });
}

function finalSync(network: Network, seed: number): void {
  network.syncAll(seededRandom(seed));
}

describe('sessions converge under shuffled, duplicated delivery', () => {
  it('every device ends with the same agenda, run state, queue, attendance and action items; nothing duplicated or lost', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 5 }), fc.array(op, { minLength: 5, maxLength: 60 }), fc.integer(), (peers, steps, seed) => {
        const start = origin(true);
        const network = new Network(start, peers);
        const made: Made = {
          items: new Set(readSession(start, SESSION)!.agenda.map((item) => item.id)),
          removed: new Set(),
          actions: new Set(),
          clock: 0,
        };
        for (const step of steps) apply(network, { ...step, ...('peer' in step ? { peer: step.peer % peers } : {}) } as Op, made);
        finalSync(network, seed);

        const views = network.peers.map((doc) => readSession(doc, SESSION)!);
        for (const view of views.slice(1)) expect(view).toEqual(views[0]);
        const view = views[0]!;
        expect(view.problems).toEqual([]);
        // No agenda item duplicated or lost.
        const shown = view.agenda.map((item) => item.id);
        expect(new Set(shown).size).toBe(shown.length);
        expect([...shown].sort()).toEqual([...made.items].filter((id) => !made.removed.has(id)).sort());
        // One hand per member at most, and the queue in one order everywhere.
        expect(new Set(view.hands.map((hand) => hand.memberId)).size).toBe(view.hands.length);
        // The timer reads the same on every device for any reading of the clock.
        const reading = { client: -1, now: T0 + 10 * 60_000 };
        expect(new Set(views.map((candidate) => (candidate.run ? remainingMs(candidate.run, reading) : null))).size).toBe(1);
        // Every action item is there once, and is a card on the board assigned to its owner.
        expect(view.actions.map((action) => action.id).sort()).toEqual([...made.actions].sort());
        const board = readBoard(network.peers[0]!, view.actions[0]?.boardId ?? '');
        for (const action of view.actions) {
          const card = board?.columns.flatMap((column) => column.cards).find((candidate) => candidate.id === action.cardId);
          expect(card?.assignees).toEqual([action.ownerId]);
        }
        network.destroy();
      }),
      { numRuns: 150 },
    );
  }, 120_000);

  it('two facilitators pressing Next at once move on by one item, not two, on every device', () => {
    const network = new Network(origin(true), 3);
    const [ada, grace, lin] = network.peers as [Y.Doc, Y.Doc, Y.Doc];
    const agenda = readSession(ada, SESSION)!.agenda;
    nextItem(ada, SESSION, { by: ADA, clock: { client: ada.clientID, now: T0 + 60_000 } });
    nextItem(grace, SESSION, { by: GRACE, clock: { client: grace.clientID, now: T0 + 61_000 } });
    network.syncAll(seededRandom(7));
    for (const doc of [ada, grace, lin]) {
      const view = readSession(doc, SESSION)!;
      expect(view.current?.id).toBe(agenda[1]!.id);
      expect(view.agenda.map((item) => item.done)).toEqual([true, false, false, false, false]);
    }
    // Whose press won is the same everywhere, and shown.
    expect(new Set(network.peers.map((doc) => readSession(doc, SESSION)!.run!.by)).size).toBe(1);
    network.destroy();
  });

  it('any number of concurrent Next presses from the same item land on the same next item, whoever wins', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 5 }),
        fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
        fc.integer(),
        (peers, pressing, seed) => {
          const network = new Network(origin(true), peers);
          const agenda = readSession(network.peer(0), SESSION)!.agenda;
          network.peers.forEach((doc, index) => {
            if (pressing[index])
              nextItem(doc, SESSION, { by: MEMBERS[index % 3]!, clock: { client: doc.clientID, now: T0 + index * 1_000 } });
          });
          network.syncAll(seededRandom(seed));
          const expected = pressing.slice(0, peers).some(Boolean) ? agenda[1]!.id : agenda[0]!.id;
          for (const doc of network.peers) expect(readSession(doc, SESSION)!.current?.id).toBe(expected);
          network.destroy();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a member raising a hand on two devices at once is in the queue once', () => {
    const network = new Network(origin(true), 4);
    raiseHand(network.peer(0), SESSION, { by: GRACE, now: T0 + 5 });
    raiseHand(network.peer(1), SESSION, { by: GRACE, now: T0 + 9 });
    raiseHand(network.peer(2), SESSION, { by: LIN, now: T0 + 1 });
    network.syncAll(seededRandom(3));
    const queues = network.peers.map((doc) => readSession(doc, SESSION)!.hands.map((hand) => hand.memberId));
    for (const queue of queues) expect(queue).toEqual(queues[0]);
    expect([...queues[0]!].sort()).toEqual([GRACE, LIN].sort());
    expect(nestedOf(sessionRecord(network.peer(3), SESSION)!, 'hands')!.size).toBe(2);
    network.destroy();
  });
});
