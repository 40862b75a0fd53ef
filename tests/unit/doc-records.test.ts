// shared/doc/records.ts: the record helpers every feature reads and writes through — versions and
// migrations, reading a record or a map of entries against a schema, and the command helpers.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { z } from 'zod';
import {
  CommandError,
  ENTRY_KEY_MISMATCH,
  LOCAL_ORIGIN,
  RECORD_KEY_MISMATCH,
  idSchema,
  migrateRecord,
  parse,
  plainValue,
  readEntries,
  readRecordFields,
  readVersioned,
  recordVersionSchema,
  requireId,
  timestampSchema,
  transact,
  type RecordType,
  type SchemaProblem,
} from '../../shared/doc/records.js';
import { addCard, createBoard } from '../../shared/boards/commands.js';
import { readBoard } from '../../shared/boards/queries.js';
import { cardsMap } from '../../shared/boards/doc.js';

const ID = 'record0000000001';
const widget = z.object({ v: recordVersionSchema(2), id: idSchema, name: z.string(), size: z.number() });
const WIDGET: RecordType<z.infer<typeof widget>> = {
  what: 'widget',
  version: 2,
  schema: widget,
  nested: ['parts'],
  defaults: { size: 1 },
  // Version 1 called the name `title`.
  migrations: { 1: ({ title, ...rest }) => ({ ...rest, name: title }) },
};

function stored(fields: Record<string, unknown>, withParts = true): Y.Map<unknown> {
  const doc = new Y.Doc();
  const map = doc.getMap('widgets');
  const record = new Y.Map<unknown>();
  map.set(ID, record);
  for (const [key, value] of Object.entries(fields)) record.set(key, value);
  if (withParts) record.set('parts', new Y.Map());
  return record;
}

describe('ids and timestamps', () => {
  it.each([
    [idSchema, 'abcdefgh', true],
    [idSchema, 'ABCDEFGH', false],
    [idSchema, 'short', false],
    [idSchema, 42, false],
    [timestampSchema, 1_700_000_000_000, true],
    [timestampSchema, -1, false],
    [timestampSchema, 1.5, false],
    [timestampSchema, Number.MAX_SAFE_INTEGER + 2, false],
    [timestampSchema, Number.POSITIVE_INFINITY, false],
  ] as const)('%#: %s accepts %s: %s', (schema, value, ok) => {
    expect(schema.safeParse(value).success).toBe(ok);
  });
});

describe('record versions and migrations', () => {
  it('brings a version-1 record (or one with no version) up to date, step by step', () => {
    expect(migrateRecord({ id: ID, title: 'Old' }, 2, WIDGET.migrations)).toEqual({ v: 2, id: ID, name: 'Old' });
    expect(migrateRecord({ v: 1, id: ID, title: 'Old' }, 2, WIDGET.migrations)).toEqual({ v: 2, id: ID, name: 'Old' });
    expect(migrateRecord({ v: 2, id: ID, name: 'New' }, 2, WIDGET.migrations)).toEqual({ v: 2, id: ID, name: 'New' });
  });

  it('reads an old record through its migration, and refuses a newer or a nonsense version', () => {
    expect(readRecordFields(stored({ v: 1, id: ID, title: 'Old' }), ID, WIDGET)).toEqual({
      ok: true,
      value: { v: 2, id: ID, name: 'Old', size: 1 },
    });
    expect(readRecordFields(stored({ v: 3, id: ID, name: 'Future', size: 2 }), ID, WIDGET)).toEqual({
      ok: false,
      message: 'written by a newer version of Hearth (widget v3)',
    });
    expect(readVersioned({ v: 'one' }, 1, 'card')).toEqual({ ok: false, message: 'v: not a record version' });
    expect(readVersioned({ v: 2 }, 1, 'card')).toEqual({ ok: false, message: 'written by a newer version of Hearth (card v2)' });
    expect(readVersioned({ id: ID }, 1, 'card')).toEqual({ ok: true, fields: { v: 1, id: ID } });
  });

  it('a board card from a newer version is skipped and reported, never shown half-read', () => {
    const doc = new Y.Doc();
    const boardId = createBoard(doc, { name: 'Plan', by: 'member000000ada' });
    const columnId = readBoard(doc, boardId)!.columns[0]!.column.id;
    const cardId = addCard(doc, { boardId, columnId, title: 'Write it', by: 'member000000ada' });
    (cardsMap(doc).get(cardId) as Y.Map<unknown>).set('v', 2);
    const view = readBoard(doc, boardId)!;
    expect(view.columns.flatMap((column) => column.cards)).toEqual([]);
    expect(view.problems).toEqual([{ where: `boardCards.${cardId}`, message: 'written by a newer version of Hearth (boardCards v2)' }]);
  });
});

describe('reading records and entries', () => {
  it.each([
    ['not a map', 'a string', 'not a widget record'],
    ['a nested map missing', stored({ v: 2, id: ID, name: 'x' }, false), 'parts: not a map'],
    ['filed under another key', stored({ v: 2, id: 'record0000000002', name: 'x' }), RECORD_KEY_MISMATCH],
    ['a shared type where plain data belongs', stored({ v: 2, id: ID, name: new Y.Text('x') }), /name/],
  ])('refuses %s', (_label, value, message) => {
    const read = readRecordFields(value, ID, WIDGET);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.message).toMatch(message as string | RegExp);
  });

  it('reads the entries that parse under their own key and reports the rest', () => {
    const doc = new Y.Doc();
    const votes = doc.getMap('votes');
    votes.set('member000000ada', { memberId: 'member000000ada', choice: 'yes' });
    votes.set('member000000bob', { memberId: 'member000000eve', choice: 'yes' });
    votes.set('member000000cat', { memberId: 'member000000cat', choice: 42 });
    const problems: SchemaProblem[] = [];
    const schema = z.object({ memberId: idSchema, choice: z.string() });
    expect(readEntries(votes, schema, 'votes', problems, (vote) => vote.memberId, plainValue)).toEqual([
      { memberId: 'member000000ada', choice: 'yes' },
    ]);
    expect(problems.map((problem) => [problem.where, problem.message === ENTRY_KEY_MISMATCH])).toEqual([
      ['votes.member000000bob', true],
      ['votes.member000000cat', false],
    ]);
    expect(readEntries(null, schema, 'votes', problems, (vote) => vote.memberId)).toEqual([]);
  });
});

describe('command helpers', () => {
  it('parses input with the schema’s own message, checks ids of any type, and runs one local transaction', () => {
    expect(() => parse(z.string().min(1, 'Give it a name.'), '')).toThrow(new CommandError('Give it a name.'));
    expect(requireId(ID, 'card')).toBe(ID);
    for (const bad of ['', 'UPPER000', 42, null, undefined]) expect(() => requireId(bad, 'card')).toThrow(/not a valid card id/);
    const doc = new Y.Doc();
    const origins: unknown[] = [];
    doc.on('afterTransaction', (transaction: Y.Transaction) => origins.push(transaction.origin));
    transact(doc, () => {
      doc.getMap('a').set('x', 1);
      doc.getMap('b').set('y', 2);
    });
    expect(origins).toEqual([LOCAL_ORIGIN]);
  });
});
