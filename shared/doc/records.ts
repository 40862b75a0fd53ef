// What every record of the community document shares, in one place: the id and timestamp schemas, the
// record version and where its migrations go, reading a record against its schema (a problem is
// reported, never thrown: peers write what they like), and the pieces every command file uses (parse
// input, check an id, run in one transaction with the local origin, the command error).
import * as Y from 'yjs';
import { z } from 'zod';
import { ID_PATTERN } from '../ids.js';

/** Every record's and member's id (shared/ids.ts makes them). */
export const idSchema = z.string().regex(ID_PATTERN);
/** Milliseconds since 1970, as Date.now() gives them: a whole, non-negative, exactly representable number. */
export const timestampSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** A record a query skipped because it did not match the schema; shown in diagnostics, never fatal. */
export interface SchemaProblem {
  readonly where: string;
  readonly message: string;
}

export function describeZodError(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(record)'}: ${issue.message}`).join('; ');
}

/** A record as a query reads it: its validated value, or why it was skipped. */
export type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

export const RECORD_KEY_MISMATCH = 'the record’s id does not match its key';
export const ENTRY_KEY_MISMATCH = 'the entry’s id does not match its key';

/**
 * The `v` field of a record type whose current version is `current`. A record from a newer version of
 * Hearth is skipped and reported (its fields may mean something this reader does not know); older ones
 * are brought up to date by `migrateRecord` before they are validated.
 */
export function recordVersionSchema(current: number) {
  return z.number().int().positive().max(current, 'written by a newer version of Hearth');
}

/**
 * Upgrades a record's raw fields from the version it was written in to `current`. `migrations[n]`
 * turns version n into n+1: this is where a record type's migrations go when its shape changes.
 * A record without `v` is version 1 (boards and library records were first written without one).
 * Newer records pass through unchanged, for the schema to refuse.
 */
export function migrateRecord(
  fields: Record<string, unknown>,
  current: number,
  migrations: Readonly<Record<number, (fields: Record<string, unknown>) => Record<string, unknown>>> = {},
): Record<string, unknown> {
  let version = typeof fields.v === 'number' && Number.isInteger(fields.v) ? fields.v : 1;
  let upgraded = { ...fields, v: version };
  // Bounded by the number of versions there are, whatever a record claims.
  while (version < current) {
    const step = migrations[version];
    upgraded = { ...(step ? step(upgraded) : upgraded), v: version + 1 };
    version += 1;
  }
  return upgraded;
}

/**
 * For record types whose views leave the version out (boards, library): the raw fields brought up to
 * `current`, or why the record cannot be read (a newer or a nonsense version). The schema then strips `v`.
 */
export function readVersioned(
  fields: Record<string, unknown>,
  current: number,
  what: string,
  migrations?: Parameters<typeof migrateRecord>[2],
): { readonly ok: true; readonly fields: Record<string, unknown> } | { readonly ok: false; readonly message: string } {
  const version = fields.v ?? 1;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) return { ok: false, message: `v: not a record version` };
  if (version > current) return { ok: false, message: newerVersion(what, version) };
  return { ok: true, fields: migrateRecord(fields, current, migrations) };
}

function newerVersion(what: string, version: number): string {
  return `written by a newer version of Hearth (${what} v${version})`;
}

/** Checks a parse result and that the record's id is the key it is filed under. */
export function checkRecord<T>(
  parsed: z.ZodSafeParseResult<T>,
  key: string,
  idOf: (value: T) => unknown,
  mismatch = RECORD_KEY_MISMATCH,
): Read<T> {
  if (!parsed.success) return { ok: false, message: describeZodError(parsed.error) };
  if (idOf(parsed.data) !== key) return { ok: false, message: mismatch };
  return { ok: true, value: parsed.data };
}

/** How a record type of the document is read: its schema, its version, and its nested maps. */
export interface RecordType<T> {
  /** The record's name in the member's words, for messages ("thread", "poll"). */
  readonly what: string;
  readonly version: number;
  readonly schema: z.ZodType<T>;
  /** Fields holding nested Y.Maps (reactions, ballots…): each must be a map, and is read on its own. */
  readonly nested?: readonly string[];
  /** Fields read on their own that need not be maps (their reader reports them). */
  readonly separate?: readonly string[];
  /** Values for fields a later version added, so an older record reads as if it had them. */
  readonly defaults?: Readonly<Record<string, unknown>>;
  /** Version n → n+1, keyed by n (see migrateRecord). */
  readonly migrations?: Readonly<Record<number, (fields: Record<string, unknown>) => Record<string, unknown>>>;
}

/**
 * A top-level record filed under `key`: a Y.Map from this or an older version of Hearth whose fields
 * (nested maps aside) match the schema and whose id is its key. Never throws.
 */
export function readRecordFields<T>(value: unknown, key: string, type: RecordType<T>): Read<T> {
  if (!(value instanceof Y.Map)) return { ok: false, message: `not a ${type.what} record` };
  const version = value.get('v');
  if (typeof version === 'number' && version > type.version) return { ok: false, message: newerVersion(type.what, version) };
  const nested = type.nested ?? [];
  for (const field of nested) if (!(value.get(field) instanceof Y.Map)) return { ok: false, message: `${field}: not a map` };
  const fields: Record<string, unknown> = { ...type.defaults };
  const skipped = [...nested, ...(type.separate ?? [])];
  // Values are taken as stored: a shared type where the schema wants plain data is refused, not converted.
  for (const [field, fieldValue] of value.entries()) if (!skipped.includes(field)) fields[field] = fieldValue;
  return checkRecord(
    type.schema.safeParse(type.migrations ? migrateRecord(fields, type.version, type.migrations) : fields),
    key,
    (record) => (record as { id?: unknown }).id,
  );
}

/** For readEntries: entries stored as plain values, where a shared type is refused rather than converted. */
export const plainValue = (value: unknown): unknown => value;

/**
 * Reads a map of entries (votes, RSVPs, agenda items…), each filed under the key `keyOf` gives it;
 * entries that do not parse or sit under another key are reported under `where` and skipped.
 */
export function readEntries<T>(
  map: Y.Map<unknown> | null,
  schema: z.ZodType<T>,
  where: string,
  problems: SchemaProblem[],
  keyOf: (value: T) => unknown,
  prepare: (value: unknown) => unknown = (value) => (value instanceof Y.Map ? value.toJSON() : value),
): T[] {
  if (!map) return [];
  const entries: T[] = [];
  for (const [key, value] of map.entries()) {
    const read = checkRecord(schema.safeParse(prepare(value)), key, keyOf, ENTRY_KEY_MISMATCH);
    if (read.ok) entries.push(read.value);
    else problems.push({ where: `${where}.${key}`, message: read.message });
  }
  return entries;
}

/** Transactions started by commands carry this origin, so persistence and sync can tell them apart. */
export const LOCAL_ORIGIN = Symbol('hearth-local');

/** A command refused its input or found its target gone; the message is for the member to read. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
}

/** A command's input, validated; the schema's first message is what the member sees. */
export function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new CommandError(parsed.error.issues[0]?.message ?? describeZodError(parsed.error));
  return parsed.data;
}

/** An id given to a command; `what` names it for the message ("card", "agenda item"). */
export function requireId(value: unknown, what: string): string {
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) throw new CommandError(`That is not a valid ${what} id.`);
  return value;
}

/** Runs a command's changes as one transaction with the local origin. */
export function transact(doc: Y.Doc, change: () => void): void {
  doc.transact(change, LOCAL_ORIGIN);
}
