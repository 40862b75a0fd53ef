// Sessions on one device: planning from templates, running (current item, timer, hands, attendance),
// action items that become board cards, the check-in at the next session of the series, and bad input.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createBoard } from '../../shared/boards/commands.js';
import { readBoard, readCard } from '../../shared/boards/queries.js';
import { readNote } from '../../shared/notes/queries.js';
import { createSession, planNextInSeries, setHotSeatOrder, shuffleHotSeats } from '../../shared/sessions/session-commands.js';
import { addAgendaItem, moveAgendaItem, removeAgendaItem, updateAgendaItem } from '../../shared/sessions/agenda-commands.js';
import {
  callNextSpeaker,
  endSession,
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
import { addActionItem, checkIn, setActionBoard } from '../../shared/sessions/action-commands.js';
import { saveTemplate } from '../../shared/sessions/template-commands.js';
import { sessionsMap } from '../../shared/sessions/doc.js';
import { listSessions, listSeries, listTemplates, readSession } from '../../shared/sessions/queries.js';
import { builtInTemplate, expandTemplate } from '../../shared/sessions/templates.js';
import { remainingMs } from '../../shared/sessions/timer.js';
import { ADA, GRACE, LIN, T0, communityDoc } from './content-fixtures.js';
import { CommandError } from '../../shared/doc/records.js';

const MIN = 60_000;

function mastermind(doc: Y.Doc, seats = 2): string {
  const template = builtInTemplate('mastermind')!;
  return createSession(doc, {
    title: 'March mastermind',
    scheduledAt: T0 + 24 * 60 * MIN,
    agenda: expandTemplate(template.items, { seats, minutes: 15 }),
    hotSeatOrder: [GRACE, LIN],
    by: ADA,
    now: T0,
  });
}

function refused(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof CommandError) return error.message;
    throw error;
  }
  throw new Error('expected the command to refuse');
}

describe('planning a session', () => {
  it('starts from the mastermind template with a hot seat per seat, a live note and its facilitator', () => {
    const doc = communityDoc();
    const id = mastermind(doc, 3);
    const session = readSession(doc, id)!;
    expect(session.agenda.map((item) => [item.title, item.kind, item.minutes])).toEqual([
      ['Check-in round', 'checkIn', 10],
      ['Hot seat 1', 'hotSeat', 15],
      ['Hot seat 2', 'hotSeat', 15],
      ['Hot seat 3', 'hotSeat', 15],
      ['Commitments round', 'commitments', 10],
    ]);
    expect(session.agenda.filter((item) => item.kind === 'hotSeat').map((item) => [item.seat, item.hotSeatMemberId])).toEqual([
      [1, GRACE],
      [2, LIN],
      [3, null],
    ]);
    expect(session).toMatchObject({ status: 'planned', facilitatorId: ADA, totalMinutes: 65, current: null });
    expect(readNote(doc, session.noteId!)?.title).toBe('March mastermind, 2023-11-15 — notes');
    expect(session.problems).toEqual([]);
  });

  it('adds, edits, reorders and removes agenda items', () => {
    const doc = communityDoc();
    const id = createSession(doc, {
      title: 'Coaching',
      scheduledAt: T0,
      agenda: expandTemplate(builtInTemplate('coaching')!.items),
      by: ADA,
      now: T0,
    });
    const qa = readSession(doc, id)!.agenda[2]!.id;
    const warmUp = addAgendaItem(doc, id, { title: 'Warm-up', minutes: 5, index: 0 });
    moveAgendaItem(doc, id, qa, 1);
    updateAgendaItem(doc, id, warmUp, { title: 'Warm-up game', minutes: 7 });
    expect(readSession(doc, id)!.agenda.map((item) => `${item.title} ${item.minutes}`)).toEqual([
      'Warm-up game 7',
      'Q&A 15',
      'Teach 20',
      'Practise 25',
    ]);
    removeAgendaItem(doc, id, qa);
    expect(readSession(doc, id)!.agenda.map((item) => item.title)).toEqual(['Warm-up game', 'Teach', 'Practise']);
  });

  it('refuses time boxes that are negative, absurd or not numbers, with a sentence each', () => {
    const doc = communityDoc();
    const id = createSession(doc, { title: 'Blank', scheduledAt: T0, agenda: [], by: ADA, now: T0 });
    expect(refused(() => addAgendaItem(doc, id, { title: 'Intro', minutes: -5 }))).toBe('A time box cannot be negative.');
    expect(refused(() => addAgendaItem(doc, id, { title: 'Intro', minutes: 0 }))).toBe('A time box is at least 1 minute.');
    expect(refused(() => addAgendaItem(doc, id, { title: 'Intro', minutes: 100_000 }))).toBe(
      'Keep a time box to 240 minutes (4 hours) or less.',
    );
    expect(refused(() => addAgendaItem(doc, id, { title: 'Intro', minutes: Number.NaN }))).toBe('Give the time box in minutes.');
    expect(refused(() => addAgendaItem(doc, id, { title: 'Intro', minutes: 2.5 }))).toBe('Give the time box in whole minutes.');
    expect(refused(() => addAgendaItem(doc, id, { title: '   ', minutes: 5 }))).toBe('Give the agenda item a title.');
    expect(readSession(doc, id)!.agenda).toEqual([]);
  });

  it('sets and shuffles the hot-seat rotation', () => {
    const doc = communityDoc();
    const id = mastermind(doc);
    setHotSeatOrder(doc, id, [LIN, ADA, LIN]);
    expect(readSession(doc, id)!.hotSeatOrder).toEqual([LIN, ADA]);
    const order = shuffleHotSeats(doc, id, [ADA, GRACE, LIN], () => 0);
    expect(order).toEqual([GRACE, LIN, ADA]);
    expect(readSession(doc, id)!.agenda.find((item) => item.seat === 1)?.hotSeatMemberId).toBe(GRACE);
  });

  it('saves an agenda as the community’s own template, listed after the built-in ones', () => {
    const doc = communityDoc();
    const id = mastermind(doc, 2);
    const items = readSession(doc, id)!.agenda.map(({ title, kind, minutes }) => ({ title, kind, minutes }));
    saveTemplate(doc, { name: 'Our Tuesday format', items, by: ADA, now: T0 });
    const templates = listTemplates(doc);
    expect(templates.map((template) => template.name)).toEqual([
      'Mastermind hot seat',
      'Group coaching',
      'Workshop',
      'Blank',
      'Our Tuesday format',
    ]);
    // Its two hot seats become however many seats the next session asks for.
    expect(expandTemplate(templates[4]!.items, { seats: 3, minutes: 20 }).map((item) => item.title)).toEqual([
      'Check-in round',
      'Hot seat 1',
      'Hot seat 2',
      'Hot seat 3',
      'Commitments round',
    ]);
    expect(refused(() => saveTemplate(doc, { name: 'Empty', items: [], by: ADA }))).toBe(
      'Add agenda items before saving it as a template.',
    );
  });
});

describe('running a session', () => {
  it('starts on the first item with its timer running, and Next marks it done and moves on', () => {
    const doc = communityDoc();
    const id = mastermind(doc);
    const clock = { client: doc.clientID, now: T0 };
    startSession(doc, id, { by: ADA, clock });
    let session = readSession(doc, id)!;
    expect(session.status).toBe('live');
    expect(session.current?.title).toBe('Check-in round');
    expect(remainingMs(session.run!, { client: doc.clientID, now: T0 + 4 * MIN })).toBe(6 * MIN);

    expect(nextItem(doc, id, { by: ADA, clock: { ...clock, now: T0 + 9 * MIN } })).toBe(session.agenda[1]!.id);
    session = readSession(doc, id)!;
    expect(session.current?.title).toBe('Hot seat 1');
    expect(session.current?.hotSeatMemberId).toBe(GRACE);
    expect(session.agenda[0]!.done).toBe(true);
    expect(session.run).toMatchObject({ by: ADA, durationMs: 15 * MIN, startedAt: T0 + 9 * MIN });
    expect(listSessions(doc)[0]).toMatchObject({ status: 'live', currentTitle: 'Hot seat 1' });
  });

  it('pauses, resumes and extends the timer; the remaining time is the same whoever reads it', () => {
    const doc = communityDoc();
    const id = mastermind(doc);
    const at = (now: number) => ({ client: doc.clientID, now });
    startSession(doc, id, { by: ADA, clock: at(T0) });
    pauseTimer(doc, id, { by: ADA, clock: at(T0 + 3 * MIN) });
    expect(readSession(doc, id)!.run).toMatchObject({ startedAt: null, elapsedMs: 3 * MIN });
    // Paused: no clock is involved, so any device reads 7 minutes however long it stays paused.
    expect(remainingMs(readSession(doc, id)!.run!, { client: 12345, now: T0 + 60 * MIN })).toBe(7 * MIN);
    extendTimer(doc, id, 5, { by: ADA, clock: at(T0 + 4 * MIN) });
    startTimer(doc, id, { by: ADA, clock: at(T0 + 5 * MIN) });
    expect(remainingMs(readSession(doc, id)!.run!, at(T0 + 6 * MIN))).toBe(11 * MIN);
    expect(refused(() => extendTimer(doc, id, 0.5, { by: ADA }))).toBe('Extend by a whole number of minutes.');
  });

  it('goes back to an item, and finishes the agenda after the last one', () => {
    const doc = communityDoc();
    const id = mastermind(doc, 1);
    startSession(doc, id, { by: ADA });
    const [checkInItem] = readSession(doc, id)!.agenda;
    nextItem(doc, id, { by: ADA });
    goToItem(doc, id, checkInItem!.id, { by: ADA });
    expect(readSession(doc, id)!.current?.id).toBe(checkInItem!.id);
    expect(readSession(doc, id)!.agenda[0]!.done).toBe(false);
    nextItem(doc, id, { by: ADA });
    nextItem(doc, id, { by: ADA });
    expect(nextItem(doc, id, { by: ADA })).toBeNull();
    expect(readSession(doc, id)!.current).toBeNull();
    expect(readSession(doc, id)!.agenda.every((item) => item.done)).toBe(true);
  });

  it('keeps a queue of hands in the order they were raised, one per member, and calls the first', () => {
    const doc = communityDoc();
    const id = mastermind(doc);
    expect(refused(() => raiseHand(doc, id, { by: GRACE }))).toBe('Start the session first.');
    startSession(doc, id, { by: ADA });
    raiseHand(doc, id, { by: LIN, now: T0 + 5 });
    raiseHand(doc, id, { by: GRACE, now: T0 + 1 });
    raiseHand(doc, id, { by: LIN, now: T0 + 9 });
    // Grace's clock said earlier, but she raised after seeing Lin's hand: she is second.
    expect(readSession(doc, id)!.hands.map((hand) => hand.memberId)).toEqual([LIN, GRACE]);
    expect(callNextSpeaker(doc, id, { by: ADA, now: T0 + 20 })).toBe(LIN);
    expect(readSession(doc, id)!.speaker).toMatchObject({ memberId: LIN, by: ADA });
    lowerHand(doc, id, GRACE);
    expect(readSession(doc, id)!.hands).toEqual([]);
    expect(callNextSpeaker(doc, id, { by: ADA })).toBeNull();
    expect(readSession(doc, id)!.speaker).toBeNull();
  });

  it('records attendance from presence, and a hand-made mark wins', () => {
    const doc = communityDoc();
    const id = mastermind(doc);
    expect(recordPresence(doc, id, [ADA, GRACE], T0)).toBe(0);
    startSession(doc, id, { by: ADA });
    expect(recordPresence(doc, id, [ADA, GRACE], T0 + 1)).toBe(2);
    expect(recordPresence(doc, id, [ADA, GRACE, LIN], T0 + 2)).toBe(1);
    setAttendance(doc, id, LIN, false, { by: ADA });
    expect(readSession(doc, id)!.attendance).toEqual(
      [
        { memberId: GRACE, present: true, source: 'presence', firstSeenAt: T0 + 1 },
        { memberId: LIN, present: false, source: 'edit', firstSeenAt: T0 + 2 },
        { memberId: ADA, present: true, source: 'presence', firstSeenAt: T0 + 1 },
      ].sort((a, b) => a.memberId.localeCompare(b.memberId)),
    );
  });

  it('ends: the timer stops, hands clear, and it is listed among past sessions', () => {
    const doc = communityDoc();
    const id = mastermind(doc);
    startSession(doc, id, { by: ADA, clock: { client: doc.clientID, now: T0 } });
    raiseHand(doc, id, { by: GRACE });
    endSession(doc, id, { by: ADA, clock: { client: doc.clientID, now: T0 + 2 * MIN } });
    const session = readSession(doc, id)!;
    expect(session.status).toBe('ended');
    expect(session.run?.startedAt).toBeNull();
    expect(session.hands).toEqual([]);
    expect(refused(() => nextItem(doc, id, { by: ADA }))).toBe('This session has ended.');
  });
});

describe('action items and the check-in', () => {
  function withBoard(doc: Y.Doc): string {
    const boardId = createBoard(doc, { name: 'Commitments', by: ADA, now: T0 });
    setActionBoard(doc, boardId);
    return boardId;
  }

  it('asks for a board first, then becomes a card with its owner and due date', () => {
    const doc = communityDoc();
    const id = mastermind(doc);
    expect(refused(() => addActionItem(doc, id, { text: 'Send the proposal', ownerId: GRACE, dueDate: '2031-03-14', by: ADA }))).toBe(
      'Choose the board that action items go on first.',
    );
    const boardId = withBoard(doc);
    const actionId = addActionItem(doc, id, { text: 'Send the proposal', ownerId: GRACE, dueDate: '2031-03-14', by: ADA, now: T0 });
    const action = readSession(doc, id)!.actions[0]!;
    expect(action).toMatchObject({ id: actionId, text: 'Send the proposal', ownerId: GRACE, dueDate: '2031-03-14', boardId });
    const card = readCard(doc, action.cardId!)!;
    expect(card.card).toMatchObject({ title: 'Send the proposal', assignees: [GRACE], dueDate: '2031-03-14' });
    expect(card.column?.name).toBe('To do');
    expect(card.card.description).toContain('March mastermind');
    expect(refused(() => addActionItem(doc, id, { text: 'x', ownerId: GRACE, dueDate: '2031-02-30', by: ADA }))).toBe(
      'That date does not exist.',
    );
  });

  it('the next session of the series checks in on last time’s commitments', () => {
    const doc = communityDoc();
    const boardId = withBoard(doc);
    const first = mastermind(doc);
    const proposal = addActionItem(doc, first, { text: 'Send the proposal', ownerId: GRACE, dueDate: null, by: ADA, now: T0 });
    const hire = addActionItem(doc, first, { text: 'Post the job ad', ownerId: LIN, dueDate: null, by: ADA, now: T0 + 1 });
    const second = planNextInSeries(doc, first, { by: ADA, now: T0 + 2 });
    const next = readSession(doc, second)!;
    expect(next.seriesId).toBe(readSession(doc, first)!.seriesId);
    expect(next.scheduledAt - readSession(doc, first)!.scheduledAt).toBe(7 * 24 * 60 * MIN);
    expect(next.previousSessionId).toBe(first);
    expect(next.checkIns.map((entry) => [entry.action.text, entry.status])).toEqual([
      ['Send the proposal', null],
      ['Post the job ad', null],
    ]);
    expect(listSeries(doc)).toMatchObject([{ title: 'March mastermind', sessions: 2 }]);

    // Only the owner (or the facilitator) checks in.
    expect(refused(() => checkIn(doc, second, proposal, 'done', { by: LIN }))).toBe(
      'Only the person who made the commitment, or the facilitator, can check in on it.',
    );
    checkIn(doc, second, proposal, 'done', { by: GRACE, now: T0 + 3 });
    checkIn(doc, second, hire, 'carried', { by: LIN, now: T0 + 4 });
    checkIn(doc, second, hire, 'carried', { by: ADA, now: T0 + 5 });
    const after = readSession(doc, second)!;
    expect(after.checkIns.map((entry) => [entry.action.text, entry.status])).toEqual([
      ['Send the proposal', 'done'],
      ['Post the job ad', 'carried'],
    ]);
    // Done moved its card to the last column; carried joined this session's commitments once, same card.
    const proposalCard = readCard(doc, readSession(doc, first)!.actions[0]!.cardId!)!;
    expect(proposalCard.column?.name).toBe('Done');
    expect(after.actions.map((action) => [action.id, action.carriedFrom])).toEqual([[hire, first]]);
    expect(readBoard(doc, boardId)!.totalCards).toBe(2);
    // Changing one's mind takes the carried copy back out.
    checkIn(doc, second, hire, 'notDone', { by: LIN, now: T0 + 6 });
    expect(readSession(doc, second)!.actions).toEqual([]);
    // And a third session checks in on what the second one carried.
    checkIn(doc, second, hire, 'carried', { by: LIN, now: T0 + 7 });
    const third = planNextInSeries(doc, second, { by: ADA, now: T0 + 8 });
    expect(readSession(doc, third)!.checkIns.map((entry) => entry.action.text)).toEqual(['Post the job ad']);
  });
});

describe('records from peers', () => {
  it('skips and reports a session it cannot read, and a damaged agenda item hides only itself', () => {
    const doc = communityDoc();
    const id = mastermind(doc);
    doc.transact(() => {
      sessionsMap(doc).set('brokensession01', 'not a map');
      const agenda = (sessionsMap(doc).get(id) as Y.Map<unknown>).get('agenda') as Y.Map<unknown>;
      const bad = new Y.Map<unknown>();
      agenda.set('baditem00000001', bad);
      bad.set('id', 'baditem00000001');
      bad.set('minutes', -3);
    });
    const problems: { where: string; message: string }[] = [];
    expect(listSessions(doc, problems).map((session) => session.id)).toEqual([id]);
    expect(problems.map((problem) => problem.where)).toEqual(['sessions.brokensession01']);
    const session = readSession(doc, id)!;
    expect(session.agenda).toHaveLength(4);
    expect(session.problems.map((problem) => problem.where)).toEqual([`sessions.${id}.agenda.baditem00000001`]);
  });
});
