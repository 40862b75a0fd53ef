// Reads of polls: the list (open first), and one poll with live results, the reader's own ballot, and
// which of their answers stopped counting because a peer removed the option.
import * as Y from 'yjs';
import { compareOrdered } from '../boards/order.js';
import { wallTimeToInstant, parseWallTime } from '../events/time-zone.js';
import {
  POLLS_KEY,
  POLL_RECORD_VERSION,
  ballotSchema,
  optionSchema,
  pollFieldsSchema,
  type Answer,
  type Ballot,
  type PollFields,
  type PollOption,
} from './schema.js';
import { plainValue, type Read, readEntries, readRecordFields, type RecordType, type SchemaProblem } from '../doc/records.js';

export interface OptionResult {
  readonly option: PollOption;
  /** Member ids per answer, in the order they voted. */
  readonly yes: readonly string[];
  readonly ifNeedBe: readonly string[];
  readonly no: readonly string[];
  /** For a scheduling poll: the option's times as instants. */
  readonly startsAt: number | null;
  readonly endsAt: number | null;
}

export interface PollView extends PollFields {
  readonly open: boolean;
  /** Live options in order, each with its results. */
  readonly results: readonly OptionResult[];
  readonly removedOptions: readonly PollOption[];
  /** Members whose ballot has at least one answer that counts. */
  readonly voters: readonly string[];
  /** The reader's ballot as stored, or null. */
  readonly myBallot: Ballot | null;
  /** Options of the reader's ballot that were removed after they voted: those answers do not count. */
  readonly myRemovedChoices: readonly PollOption[];
  /** Most "yes" (counting "if need be" as a half, for scheduling), ties to the earliest; null without votes. */
  readonly leader: OptionResult | null;
  readonly problems: readonly SchemaProblem[];
}

const OVERWRITTEN_POLL_FIELDS = { closedAt: null, closedBy: null, eventId: null };

const POLL: RecordType<PollFields> = {
  what: 'poll',
  version: POLL_RECORD_VERSION,
  schema: pollFieldsSchema,
  nested: ['options', 'ballots'],
  defaults: OVERWRITTEN_POLL_FIELDS,
};

export function readPollFields(value: unknown, key: string): Read<PollFields> {
  return readRecordFields(value, key, POLL);
}

export function isOpen(poll: Pick<PollFields, 'closedAt' | 'closesAt'>, now: number): boolean {
  return poll.closedAt === null && (poll.closesAt === null || now < poll.closesAt);
}

function score(result: OptionResult, kind: PollFields['kind']): number {
  return result.yes.length + (kind === 'schedule' ? result.ifNeedBe.length / 2 : 0);
}

function pollView(record: Y.Map<unknown>, fields: PollFields, memberId: string | null, now: number): PollView {
  const problems: SchemaProblem[] = [];
  const where = `polls.${fields.id}`;
  const options = readEntries(
    record.get('options') as Y.Map<unknown>,
    optionSchema,
    `${where}.options`,
    problems,
    (option) => option.id,
    plainValue,
  ).sort(compareOrdered);
  const ballots = readEntries(
    record.get('ballots') as Y.Map<unknown>,
    ballotSchema,
    `${where}.ballots`,
    problems,
    (ballot) => ballot.memberId,
    plainValue,
  ).sort((a, b) => a.at - b.at || (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
  const live = options.filter((option) => option.removedAt === null);
  const liveIds = new Set(live.map((option) => option.id));
  const results: OptionResult[] = live.map((option) => {
    const by = (answer: Answer) => ballots.filter((ballot) => ballot.answers[option.id] === answer).map((ballot) => ballot.memberId);
    const zone = fields.timeZone ?? 'UTC';
    const start = parseWallTime(option.start);
    const end = parseWallTime(option.end);
    return {
      option,
      // A single-choice ballot with more than one "yes" (a peer's bug) counts for none of them.
      yes: fields.kind === 'single' ? by('yes').filter((voter) => countYes(ballots, voter, liveIds) === 1) : by('yes'),
      ifNeedBe: fields.kind === 'schedule' ? by('ifNeedBe') : [],
      no: fields.kind === 'schedule' ? by('no') : [],
      startsAt: start ? wallTimeToInstant(start, zone) : null,
      endsAt: end ? wallTimeToInstant(end, zone) : null,
    };
  });
  const voters = ballots
    .filter((ballot) => Object.keys(ballot.answers).some((optionId) => liveIds.has(optionId)))
    .map((ballot) => ballot.memberId);
  const myBallot = memberId ? (ballots.find((ballot) => ballot.memberId === memberId) ?? null) : null;
  const removed = options.filter((option) => option.removedAt !== null);
  const myRemovedChoices = myBallot
    ? removed.filter((option) => myBallot.answers[option.id] !== undefined && myBallot.answers[option.id] !== 'no')
    : [];
  let leader: OptionResult | null = null;
  for (const result of results) {
    if (score(result, fields.kind) > 0 && (!leader || score(result, fields.kind) > score(leader, fields.kind))) leader = result;
  }
  return { ...fields, open: isOpen(fields, now), results, removedOptions: removed, voters, myBallot, myRemovedChoices, leader, problems };
}

function countYes(ballots: readonly Ballot[], memberId: string, liveIds: ReadonlySet<string>): number {
  const ballot = ballots.find((candidate) => candidate.memberId === memberId);
  return ballot ? Object.entries(ballot.answers).filter(([optionId, answer]) => answer === 'yes' && liveIds.has(optionId)).length : 0;
}

export function readPoll(doc: Y.Doc, pollId: string, memberId: string | null = null, now = Date.now()): PollView | null {
  const value = doc.getMap(POLLS_KEY).get(pollId);
  const read = readPollFields(value, pollId);
  return read.ok ? pollView(value as Y.Map<unknown>, read.value, memberId, now) : null;
}

export interface PollsList {
  /** Open polls first (newest first), then closed ones (newest first). */
  readonly polls: readonly PollView[];
  readonly problems: readonly SchemaProblem[];
}

export function listPolls(doc: Y.Doc, memberId: string | null = null, now = Date.now()): PollsList {
  const problems: SchemaProblem[] = [];
  const polls: PollView[] = [];
  for (const [key, value] of doc.getMap(POLLS_KEY).entries()) {
    const read = readPollFields(value, key);
    if (!read.ok) problems.push({ where: `polls.${key}`, message: read.message });
    else polls.push(pollView(value as Y.Map<unknown>, read.value, memberId, now));
  }
  polls.sort((a, b) => Number(b.open) - Number(a.open) || b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));
  return { polls, problems };
}

export function countOpenPolls(doc: Y.Doc, now = Date.now()): number {
  try {
    return listPolls(doc, null, now).polls.filter((poll) => poll.open).length;
  } catch {
    return 0;
  }
}
