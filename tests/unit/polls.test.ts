// Polls on one device: single, multiple and scheduling polls, one ballot per member, closing, a vote
// for an option that was removed, and a scheduling poll's winner turned into an event.
import { describe, expect, it } from 'vitest';
import { readEvent } from '../../shared/events/queries.js';
import {
  addPollOption,
  closePoll,
  createPoll,
  eventIdForPoll,
  removePollOption,
  scheduleFromPoll,
  vote,
} from '../../shared/polls/commands.js';
import { listPolls, readPoll } from '../../shared/polls/queries.js';
import { ADA, GRACE, LIN, T0, communityDoc } from './content-fixtures.js';
import { CommandError } from '../../shared/doc/records.js';

function refused(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof CommandError) return error.message;
    throw error;
  }
  throw new Error('expected the command to refuse');
}

const options = (...labels: string[]) => labels.map((label) => ({ label }));

describe('choice polls', () => {
  it('counts one vote per member, changeable until the poll closes', () => {
    const doc = communityDoc();
    const id = createPoll(doc, {
      question: 'Where do we meet in May?',
      kind: 'single',
      options: options('Library', 'Café', 'Online'),
      by: ADA,
      now: T0,
    });
    const [library, cafe] = readPoll(doc, id, null, T0)!.results.map((result) => result.option.id);
    vote(doc, id, { [library!]: 'yes' }, { by: GRACE, now: T0 + 1 });
    vote(doc, id, { [cafe!]: 'yes' }, { by: LIN, now: T0 + 2 });
    vote(doc, id, { [cafe!]: 'yes' }, { by: GRACE, now: T0 + 3 });
    let poll = readPoll(doc, id, GRACE, T0 + 4)!;
    expect(poll.results.map((result) => [result.option.label, result.yes])).toEqual([
      ['Library', []],
      ['Café', [LIN, GRACE]],
      ['Online', []],
    ]);
    expect(poll.voters).toEqual([LIN, GRACE]);
    expect(poll.leader?.option.label).toBe('Café');
    expect(poll.myBallot?.answers).toEqual({ [cafe!]: 'yes' });
    expect(refused(() => vote(doc, id, { [library!]: 'yes', [cafe!]: 'yes' }, { by: ADA }))).toBe('Pick one option.');
    closePoll(doc, id, { by: ADA, now: T0 + 5 });
    poll = readPoll(doc, id, null, T0 + 6)!;
    expect(poll.open).toBe(false);
    expect(refused(() => vote(doc, id, { [library!]: 'yes' }, { by: ADA, now: T0 + 7 }))).toBe(
      'This poll is closed; votes can no longer change.',
    );
  });

  it('lets a multiple-choice ballot pick several, and taking every choice back removes the vote', () => {
    const doc = communityDoc();
    const id = createPoll(doc, {
      question: 'Which books next?',
      kind: 'multiple',
      options: options('Dune', 'Middlemarch', 'Beloved'),
      by: ADA,
      now: T0,
    });
    const [dune, middlemarch] = readPoll(doc, id, null, T0)!.results.map((result) => result.option.id);
    vote(doc, id, { [dune!]: 'yes', [middlemarch!]: 'yes' }, { by: GRACE, now: T0 + 1 });
    expect(readPoll(doc, id, null, T0 + 2)!.results.map((result) => result.yes.length)).toEqual([1, 1, 0]);
    vote(doc, id, {}, { by: GRACE, now: T0 + 3 });
    expect(readPoll(doc, id, GRACE, T0 + 4)!.myBallot).toBeNull();
  });

  it('closes by itself at its closing time', () => {
    const doc = communityDoc();
    const id = createPoll(doc, {
      question: 'Pizza or tacos?',
      kind: 'single',
      options: options('Pizza', 'Tacos'),
      closesAt: T0 + 60_000,
      by: ADA,
      now: T0,
    });
    expect(readPoll(doc, id, null, T0 + 59_999)!.open).toBe(true);
    expect(readPoll(doc, id, null, T0 + 60_000)!.open).toBe(false);
    expect(listPolls(doc, null, T0 + 60_000).polls[0]!.open).toBe(false);
    expect(
      refused(() => createPoll(doc, { question: 'Late?', kind: 'single', options: options('a', 'b'), closesAt: T0 - 1, by: ADA, now: T0 })),
    ).toBe('The poll would close before it opens; pick a closing time in the future.');
  });

  it('a vote for a removed option is refused with a reason, and one cast before the removal stops counting, visibly', () => {
    const doc = communityDoc();
    const id = createPoll(doc, {
      question: 'Where do we meet?',
      kind: 'single',
      options: options('Library', 'Café', 'Park'),
      by: ADA,
      now: T0,
    });
    const [library, cafe] = readPoll(doc, id, null, T0)!.results.map((result) => result.option.id);
    vote(doc, id, { [library!]: 'yes' }, { by: GRACE, now: T0 + 1 });
    removePollOption(doc, id, library!, { by: ADA, now: T0 + 2 });
    const seenByGrace = readPoll(doc, id, GRACE, T0 + 3)!;
    expect(seenByGrace.results.map((result) => result.option.label)).toEqual(['Café', 'Park']);
    expect(seenByGrace.myRemovedChoices.map((option) => option.label)).toEqual(['Library']);
    expect(seenByGrace.voters).toEqual([]);
    expect(refused(() => vote(doc, id, { [library!]: 'yes' }, { by: LIN }))).toBe('That option was removed a moment ago; pick another.');
    vote(doc, id, { [cafe!]: 'yes' }, { by: GRACE, now: T0 + 4 });
    expect(readPoll(doc, id, GRACE, T0 + 5)!.myRemovedChoices).toEqual([]);
    expect(refused(() => removePollOption(doc, id, cafe!, { by: ADA }))).toBe('A poll keeps at least 2 options.');
    expect(refused(() => removePollOption(doc, id, library!, { by: ADA }))).toBe('That option was already removed.');
  });

  it('refuses polls that make no sense, with a sentence each', () => {
    const doc = communityDoc();
    expect(refused(() => createPoll(doc, { question: ' ', kind: 'single', options: options('a', 'b'), by: ADA }))).toBe('Ask a question.');
    expect(refused(() => createPoll(doc, { question: 'Q?', kind: 'single', options: options('only'), by: ADA }))).toBe(
      'A poll needs at least 2 options.',
    );
    expect(refused(() => createPoll(doc, { question: 'Q?', kind: 'single', options: options('Same', 'same '), by: ADA }))).toBe(
      'Two options are the same; make each one different.',
    );
    const id = createPoll(doc, { question: 'Q?', kind: 'single', options: options('a', 'b'), by: ADA });
    expect(refused(() => addPollOption(doc, id, { label: 'A' }, { by: GRACE }))).toBe('That option is already there.');
    expect(refused(() => vote(doc, id, { nosuchoption001: 'yes' }, { by: GRACE }))).toBe('That option is not in this poll.');
  });
});

describe('scheduling polls', () => {
  it('collects yes / if need be / no per time, and turns the best time into an event once', () => {
    const doc = communityDoc();
    const id = createPoll(doc, {
      question: 'Kick-off workshop',
      kind: 'schedule',
      timeZone: 'Europe/Berlin',
      options: [
        { start: '2031-04-01T18:00', end: '2031-04-01T20:00' },
        { start: '2031-04-02T18:00', end: '2031-04-02T20:00' },
      ],
      by: ADA,
      now: T0,
    });
    const [first, second] = readPoll(doc, id, null, T0)!.results.map((result) => result.option.id);
    vote(doc, id, { [first!]: 'yes', [second!]: 'ifNeedBe' }, { by: GRACE, now: T0 + 1 });
    vote(doc, id, { [first!]: 'no', [second!]: 'yes' }, { by: LIN, now: T0 + 2 });
    vote(doc, id, { [first!]: 'ifNeedBe', [second!]: 'yes' }, { by: ADA, now: T0 + 3 });
    const poll = readPoll(doc, id, null, T0 + 4)!;
    expect(poll.results.map((result) => [result.yes.length, result.ifNeedBe.length, result.no.length])).toEqual([
      [1, 1, 1],
      [2, 1, 0],
    ]);
    expect(poll.leader?.option.id).toBe(second);
    expect(poll.results[1]!.startsAt).toBe(Date.parse('2031-04-02T16:00:00Z'));
    expect(refused(() => addPollOption(doc, id, { start: '2031-04-03T18:00', end: '2031-04-03T17:00' }, { by: ADA }))).toBe(
      'The event ends before it starts. Check the end date and time.',
    );

    const eventId = scheduleFromPoll(doc, id, second!, { by: ADA, now: T0 + 5 });
    expect(eventId).toBe(eventIdForPoll(id));
    expect(scheduleFromPoll(doc, id, second!, { by: GRACE, now: T0 + 6 })).toBe(eventId);
    expect(readEvent(doc, eventId, T0)).toMatchObject({
      title: 'Kick-off workshop',
      start: '2031-04-02T18:00',
      end: '2031-04-02T20:00',
      timeZone: 'Europe/Berlin',
    });
    expect(readPoll(doc, id, null, T0 + 7)).toMatchObject({ open: false, eventId });
  });
});
