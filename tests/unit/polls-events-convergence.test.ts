// Votes and RSVPs under concurrency: members on 3–5 devices (a member on two of them) vote, change
// their vote, RSVP, and remove or add options while offline; updates arrive shuffled and duplicated.
// Every device ends with the same results, with exactly one ballot and one RSVP per member (and
// occurrence), and answers for removed options not counted.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import { createEvent, setRsvp } from '../../shared/events/commands.js';
import { readEvent } from '../../shared/events/queries.js';
import { addPollOption, closePoll, createPoll, removePollOption, scheduleFromPoll, vote } from '../../shared/polls/commands.js';
import { listEvents } from '../../shared/events/queries.js';
import { readPoll } from '../../shared/polls/queries.js';
import { RSVP_ANSWERS } from '../../shared/events/schema.js';
import { ANSWERS } from '../../shared/polls/schema.js';
import { ADA, GRACE, LIN, T0, communityDoc } from './content-fixtures.js';
import { Network, attempt, seededRandom } from './convergence-network.js';

const MEMBERS = [ADA, GRACE, LIN];
const POLL = 'poll000000000001';
const SCHEDULE = 'poll000000000002';
const EVENT = 'event00000000001';
const NOW = Date.parse('2031-03-01T12:00:00Z');
const DATES = ['2031-03-04', '2031-03-11', '2031-03-18'];

function origin(): Y.Doc {
  const doc = communityDoc();
  createPoll(doc, {
    id: POLL,
    question: 'Which book next?',
    kind: 'single',
    options: ['Dune', 'Middlemarch', 'Beloved', 'Ulysses'].map((label) => ({ label })),
    by: ADA,
    now: T0,
  });
  createPoll(doc, {
    id: SCHEDULE,
    question: 'Workshop',
    kind: 'schedule',
    timeZone: 'Europe/Berlin',
    options: ['01', '02', '03'].map((day) => ({ start: `2031-04-${day}T18:00`, end: `2031-04-${day}T20:00` })),
    by: ADA,
    now: T0,
  });
  createEvent(doc, {
    id: EVENT,
    title: 'Tuesday circle',
    start: '2031-03-04T19:00',
    end: '2031-03-04T20:00',
    timeZone: 'Europe/Berlin',
    recurrence: 'weekly',
    by: ADA,
    now: T0,
  });
  return doc;
}

type Op =
  | { kind: 'vote'; peer: number; option: number }
  | { kind: 'unvote'; peer: number }
  | { kind: 'schedule'; peer: number; answers: number[] }
  | { kind: 'remove'; peer: number; option: number }
  | { kind: 'add'; peer: number }
  | { kind: 'rsvp'; peer: number; date: number; answer: number }
  | { kind: 'deliver'; from: number; to: number; pick: number }
  | { kind: 'sync'; from: number; to: number };

const peer = fc.nat(4);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('vote' as const), peer, option: fc.nat(10) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unvote' as const), peer }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('schedule' as const), peer, answers: fc.array(fc.nat(3), { minLength: 3, maxLength: 3 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), peer, option: fc.nat(10) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('add' as const), peer }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('rsvp' as const), peer, date: fc.nat(2), answer: fc.nat(3) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('deliver' as const), from: peer, to: peer, pick: fc.nat(40) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('sync' as const), from: peer, to: peer }) },
);

function apply(network: Network, step: Op, counter: { n: number }): void {
  if (step.kind === 'deliver') return network.deliver(step.from, step.to, step.pick);
  if (step.kind === 'sync') return network.deliverAll(step.from, step.to);
  const doc = network.peer(step.peer);
  const me = MEMBERS[step.peer % MEMBERS.length]!;
  counter.n += 1;
  const now = T0 + counter.n;
  attempt(() => {
    const poll = readPoll(doc, POLL, me, now)!;
    const optionAt = (n: number) => poll.results[n % poll.results.length]?.option.id;
    switch (step.kind) {
      case 'vote': {
        const option = optionAt(step.option);
        if (option) vote(doc, POLL, { [option]: 'yes' }, { by: me, now });
        return;
      }
      case 'unvote':
        vote(doc, POLL, {}, { by: me, now });
        return;
      case 'schedule': {
        const times = readPoll(doc, SCHEDULE, me, now)!.results;
        vote(doc, SCHEDULE, Object.fromEntries(times.map((result, index) => [result.option.id, ANSWERS[step.answers[index]! % 3]!])), {
          by: me,
          now,
        });
        return;
      }
      case 'remove': {
        const option = optionAt(step.option);
        if (option) removePollOption(doc, POLL, option, { by: me, now });
        return;
      }
      case 'add':
        addPollOption(doc, POLL, { label: `Book ${counter.n}` }, { by: me, now });
        return;
      case 'rsvp': {
        const answer = step.answer === 3 ? null : RSVP_ANSWERS[step.answer]!;
        setRsvp(doc, EVENT, DATES[step.date]!, answer, { by: me, now });
        return;
      }
    }
  });
}

describe('votes and RSVPs converge under shuffled, duplicated delivery', () => {
  it('one ballot and one RSVP per member everywhere; removed options count for nobody', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 5 }), fc.array(op, { minLength: 5, maxLength: 60 }), fc.integer(), (peers, steps, seed) => {
        const network = new Network(origin(), peers);
        const counter = { n: 0 };
        for (const step of steps) apply(network, step, counter);
        network.syncAll(seededRandom(seed));

        const polls = network.peers.map((doc) => readPoll(doc, POLL, null, NOW)!);
        const schedules = network.peers.map((doc) => readPoll(doc, SCHEDULE, null, NOW)!);
        const events = network.peers.map((doc) => readEvent(doc, EVENT, NOW)!);
        for (const other of polls.slice(1)) expect(other).toEqual(polls[0]);
        for (const other of schedules.slice(1)) expect(other).toEqual(schedules[0]);
        for (const other of events.slice(1)) expect(other).toEqual(events[0]);
        const poll = polls[0]!;
        expect(poll.problems).toEqual([]);
        // One vote per member: nobody is counted twice, in one option or across options.
        const counted = poll.results.flatMap((result) => result.yes);
        expect(new Set(counted).size).toBe(counted.length);
        expect(counted.every((memberId) => MEMBERS.includes(memberId))).toBe(true);
        // Removed options are never among the results.
        const removed = new Set(poll.removedOptions.map((option) => option.id));
        expect(poll.results.some((result) => removed.has(result.option.id))).toBe(false);
        // A scheduling ballot answers each time once.
        for (const result of schedules[0]!.results) {
          const answered = [...result.yes, ...result.ifNeedBe, ...result.no];
          expect(new Set(answered).size).toBe(answered.length);
        }
        // One RSVP per member and occurrence.
        const keys = events[0]!.allRsvps.map((rsvp) => `${rsvp.memberId} ${rsvp.occurrence}`);
        expect(new Set(keys).size).toBe(keys.length);
        network.destroy();
      }),
      { numRuns: 100 },
    );
  }, 120_000);

  it('a member who votes on two devices at once ends with one of the two ballots, the same everywhere', () => {
    const network = new Network(origin(), 4);
    const [dune, middlemarch] = readPoll(network.peer(0), POLL)!.results.map((result) => result.option.id);
    vote(network.peer(0), POLL, { [dune!]: 'yes' }, { by: ADA, now: T0 + 1 });
    vote(network.peer(3), POLL, { [middlemarch!]: 'yes' }, { by: ADA, now: T0 + 2 });
    vote(network.peer(1), POLL, { [dune!]: 'yes' }, { by: GRACE, now: T0 + 3 });
    network.syncAll(seededRandom(11));
    const tallies = network.peers.map((doc) => readPoll(doc, POLL, ADA, NOW)!.results.map((result) => result.yes.length));
    for (const tally of tallies) expect(tally).toEqual(tallies[0]);
    expect(tallies[0]!.reduce((sum, n) => sum + n, 0)).toBe(2);
    network.destroy();
  });

  it('a vote cast offline for an option a peer removed meanwhile: the voter is told, nobody counts it', () => {
    const network = new Network(origin(), 3);
    const [dune] = readPoll(network.peer(0), POLL)!.results.map((result) => result.option.id);
    removePollOption(network.peer(0), POLL, dune!, { by: ADA, now: T0 + 1 });
    vote(network.peer(1), POLL, { [dune!]: 'yes' }, { by: GRACE, now: T0 + 2 });
    network.syncAll(seededRandom(5));
    for (const doc of network.peers) {
      const poll = readPoll(doc, POLL, GRACE, NOW)!;
      expect(poll.voters).toEqual([]);
      expect(poll.myRemovedChoices.map((option) => option.label)).toEqual(['Dune']);
    }
    network.destroy();
  });

  it('two facilitators turning the same scheduling poll into an event at once make one event', () => {
    const network = new Network(origin(), 3);
    const times = readPoll(network.peer(0), SCHEDULE)!.results.map((result) => result.option.id);
    scheduleFromPoll(network.peer(0), SCHEDULE, times[0]!, { by: ADA, now: T0 + 1 });
    scheduleFromPoll(network.peer(1), SCHEDULE, times[1]!, { by: GRACE, now: T0 + 2 });
    closePoll(network.peer(2), SCHEDULE, { by: LIN, now: T0 + 3 });
    network.syncAll(seededRandom(9));
    const lists = network.peers.map((doc) => listEvents(doc, NOW).upcoming.filter((event) => event.title === 'Workshop'));
    for (const list of lists) {
      expect(list).toHaveLength(1);
      expect(list).toEqual(lists[0]);
    }
    network.destroy();
  });
});
