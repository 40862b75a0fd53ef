// Every change to polls: ask, add or remove an option, vote (one ballot per member, replaced whole),
// close, and turn a scheduling poll's winning time into an event. One transaction each.
import * as Y from 'yjs';
import { generateNKeysBetween } from 'fractional-indexing';
import { checkActor, type Actor } from '../community/actor.js';
import { ID_PATTERN, newId } from '../ids.js';
import { positionAtEnd } from '../boards/order.js';
import { checkTiming, createEvent } from '../events/commands.js';
import { eventTitleSchema } from '../events/schema.js';
import { readPoll, readPollFields } from './queries.js';
import {
  ANSWERS,
  POLLS_KEY,
  POLL_KINDS,
  POLL_LIMITS,
  POLL_RECORD_VERSION,
  optionLabelSchema,
  questionSchema,
  type Answer,
  type PollKind,
} from './schema.js';
import { CommandError, LOCAL_ORIGIN, parse } from '../doc/records.js';

export function pollsMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(POLLS_KEY);
}

/** A choice ("Pizza") or, in a scheduling poll, a time in the poll's zone. */
export type NewOption = { readonly label: string } | { readonly start: string; readonly end: string };

interface CheckedOption {
  readonly label: string;
  readonly start: string | null;
  readonly end: string | null;
}

function checkOption(kind: PollKind, option: NewOption, timeZone: string | null): CheckedOption {
  if (kind === 'schedule') {
    if (!('start' in option)) throw new CommandError('Propose a date and time.');
    const timing = checkTiming({ start: option.start, end: option.end, timeZone: timeZone ?? 'UTC' });
    return { label: '', start: timing.start, end: timing.end };
  }
  if (!('label' in option)) throw new CommandError('An option needs some words.');
  return { label: parse(optionLabelSchema, option.label), start: null, end: null };
}

function sameOption(a: CheckedOption, b: CheckedOption): boolean {
  return a.label.toLocaleLowerCase() === b.label.toLocaleLowerCase() && a.start === b.start && a.end === b.end;
}

export interface NewPoll extends Actor {
  readonly question: string;
  readonly kind: PollKind;
  readonly options: readonly NewOption[];
  /** When voting stops by itself (epoch ms), or null to stay open until closed. */
  readonly closesAt?: number | null;
  /** The zone of a scheduling poll's times. */
  readonly timeZone?: string | null;
  readonly id?: string;
}

export function createPoll(doc: Y.Doc, input: NewPoll): string {
  checkActor(input);
  const question = parse(questionSchema, input.question);
  if (!POLL_KINDS.includes(input.kind)) throw new CommandError('Choose what kind of poll it is.');
  const timeZone = input.kind === 'schedule' ? (input.timeZone ?? 'UTC') : null;
  const options = input.options.map((option) => checkOption(input.kind, option, timeZone));
  if (options.length < POLL_LIMITS.minOptions) throw new CommandError(`A poll needs at least ${POLL_LIMITS.minOptions} options.`);
  if (options.length > POLL_LIMITS.maxOptions) throw new CommandError(`A poll holds up to ${POLL_LIMITS.maxOptions} options.`);
  if (options.some((option, index) => options.findIndex((other) => sameOption(other, option)) !== index))
    throw new CommandError('Two options are the same; make each one different.');
  const now = input.now ?? Date.now();
  const closesAt = input.closesAt ?? null;
  if (closesAt !== null && (!Number.isSafeInteger(closesAt) || closesAt <= now))
    throw new CommandError('The poll would close before it opens; pick a closing time in the future.');
  const id = input.id ?? newId();
  if (pollsMap(doc).has(id)) throw new CommandError('A poll with this id already exists.');
  const positions = generateNKeysBetween(null, null, options.length);
  doc.transact(() => {
    const record = new Y.Map<unknown>();
    pollsMap(doc).set(id, record);
    const fields = {
      v: POLL_RECORD_VERSION,
      id,
      question,
      kind: input.kind,
      closesAt,
      closedAt: null,
      closedBy: null,
      timeZone,
      eventId: null,
      createdAt: now,
      createdBy: input.by,
    };
    for (const [key, value] of Object.entries(fields)) record.set(key, value);
    const optionsMap = new Y.Map<unknown>();
    record.set('options', optionsMap);
    record.set('ballots', new Y.Map<unknown>());
    options.forEach((option, index) => {
      const optionId = newId();
      optionsMap.set(optionId, { id: optionId, ...option, position: positions[index]!, removedAt: null });
    });
  }, LOCAL_ORIGIN);
  return id;
}

function requirePoll(doc: Y.Doc, pollId: string, now: number) {
  const record = pollsMap(doc).get(pollId);
  const view = record instanceof Y.Map && readPollFields(record, pollId).ok ? readPoll(doc, pollId, null, now) : null;
  if (!(record instanceof Y.Map) || !view) throw new CommandError('That poll no longer exists.');
  return { record, view, options: record.get('options') as Y.Map<unknown>, ballots: record.get('ballots') as Y.Map<unknown> };
}

export function addPollOption(doc: Y.Doc, pollId: string, option: NewOption, actor: Actor): string {
  checkActor(actor);
  const now = actor.now ?? Date.now();
  const { view, options } = requirePoll(doc, pollId, now);
  if (!view.open) throw new CommandError('This poll is closed.');
  const checked = checkOption(view.kind, option, view.timeZone);
  if (view.results.length >= POLL_LIMITS.maxOptions) throw new CommandError(`A poll holds up to ${POLL_LIMITS.maxOptions} options.`);
  if (view.results.some((result) => sameOption(result.option, checked))) throw new CommandError('That option is already there.');
  const optionId = newId();
  const position = positionAtEnd([...view.results.map((result) => result.option), ...view.removedOptions]);
  doc.transact(() => options.set(optionId, { id: optionId, ...checked, position, removedAt: null }), LOCAL_ORIGIN);
  return optionId;
}

/**
 * Removes an option. It is marked removed rather than deleted, so ballots that name it still read:
 * those answers stop counting, and each voter sees that their choice was removed.
 */
export function removePollOption(doc: Y.Doc, pollId: string, optionId: string, actor: Actor): void {
  checkActor(actor);
  const now = actor.now ?? Date.now();
  const { view, options } = requirePoll(doc, pollId, now);
  const option = view.results.find((result) => result.option.id === optionId)?.option;
  if (!option) throw new CommandError('That option was already removed.');
  if (view.results.length <= POLL_LIMITS.minOptions) throw new CommandError(`A poll keeps at least ${POLL_LIMITS.minOptions} options.`);
  doc.transact(() => options.set(optionId, { ...option, removedAt: now }), LOCAL_ORIGIN);
}

/**
 * Casts or changes the actor's vote: their whole ballot, one answer per option they answer. A single-
 * choice poll takes exactly one "yes"; a multiple-choice poll at least one; a scheduling poll any mix
 * of yes / if need be / no. An empty ballot takes the vote back.
 */
export function vote(doc: Y.Doc, pollId: string, answers: Readonly<Record<string, Answer>>, actor: Actor): void {
  checkActor(actor);
  const now = actor.now ?? Date.now();
  const { view, ballots } = requirePoll(doc, pollId, now);
  if (!view.open) throw new CommandError('This poll is closed; votes can no longer change.');
  const live = new Set(view.results.map((result) => result.option.id));
  const removed = new Set(view.removedOptions.map((option) => option.id));
  const clean: Record<string, Answer> = {};
  for (const [optionId, answer] of Object.entries(answers)) {
    if (removed.has(optionId)) throw new CommandError('That option was removed a moment ago; pick another.');
    if (!live.has(optionId) || !ID_PATTERN.test(optionId)) throw new CommandError('That option is not in this poll.');
    if (!ANSWERS.includes(answer)) throw new CommandError('Answer yes, if need be, or no.');
    if (view.kind !== 'schedule' && answer !== 'yes') continue;
    clean[optionId] = answer;
  }
  const yes = Object.values(clean).filter((answer) => answer === 'yes').length;
  if (view.kind === 'single' && yes > 1) throw new CommandError('Pick one option.');
  doc.transact(() => {
    if (Object.keys(clean).length === 0) ballots.delete(actor.by);
    else ballots.set(actor.by, { memberId: actor.by, answers: clean, at: now });
  }, LOCAL_ORIGIN);
}

export function closePoll(doc: Y.Doc, pollId: string, actor: Actor): void {
  checkActor(actor);
  const now = actor.now ?? Date.now();
  const { record, view } = requirePoll(doc, pollId, now);
  if (view.closedAt !== null) return;
  doc.transact(() => {
    record.set('closedAt', now);
    record.set('closedBy', actor.by);
  }, LOCAL_ORIGIN);
}

export function deletePoll(doc: Y.Doc, pollId: string): void {
  requirePoll(doc, pollId, Date.now());
  doc.transact(() => pollsMap(doc).delete(pollId), LOCAL_ORIGIN);
}

/** The event a scheduling poll becomes has an id derived from the poll's, so doing it twice makes one event. */
export function eventIdForPoll(pollId: string): string {
  return `${pollId.slice(0, 56)}event`;
}

/**
 * Turns one time of a scheduling poll into an event (in the poll's zone) and closes the poll. Two
 * facilitators doing it at once write the same event id: one event remains, the same on every peer.
 */
export function scheduleFromPoll(
  doc: Y.Doc,
  pollId: string,
  optionId: string,
  actor: Actor & { readonly title?: string; readonly description?: string },
): string {
  checkActor(actor);
  const now = actor.now ?? Date.now();
  const { record, view } = requirePoll(doc, pollId, now);
  if (view.kind !== 'schedule') throw new CommandError('Only a scheduling poll becomes an event.');
  const option = view.results.find((result) => result.option.id === optionId)?.option;
  if (!option || option.start === null || option.end === null) throw new CommandError('That time was removed; pick another.');
  const title = parse(eventTitleSchema, actor.title ?? view.question);
  const eventId = eventIdForPoll(pollId);
  doc.transact(() => {
    createEvent(doc, {
      id: eventId,
      title,
      description: actor.description ?? '',
      start: option.start!,
      end: option.end!,
      timeZone: view.timeZone ?? 'UTC',
      by: actor.by,
      now,
    });
    record.set('eventId', eventId);
    if (view.closedAt === null) {
      record.set('closedAt', now);
      record.set('closedBy', actor.by);
    }
  }, LOCAL_ORIGIN);
  return eventId;
}
