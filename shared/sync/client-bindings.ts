// Which member wrote what: the `clients` map binds each Yjs client id a device writes under to that
// device and its member. Every session of a device writes its own binding in its chain's first change;
// change-rules.ts accepts only the signer's own (its client id derives from its key and nonce:
// signed-change.ts clientIdFor), and nobody may delete one. So the member a record's creating struct
// is bound to is who wrote it — what the UI shows as author, never a field the writer fills in.
import * as Y from 'yjs';
import { z } from 'zod';
import { ID_PATTERN } from '../ids.js';

export const CLIENTS_KEY = 'clients';

export interface ClientBinding {
  /** The device's raw P-256 public key, base64url. */
  readonly device: string;
  readonly member: string;
  /** The nonce the client id derives from, base64url. */
  readonly nonce: string;
}

const bindingSchema = z.strictObject({
  device: z.string().regex(/^[A-Za-z0-9_-]{87}$/),
  member: z.string().regex(ID_PATTERN),
  nonce: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
});

export function readBinding(value: unknown): ClientBinding | null {
  const parsed = bindingSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export function clientsMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(CLIENTS_KEY);
}

/**
 * Each document's bindings read once: client id → member (null for one whose value does not read as
 * a binding). Queries ask for every post and card of a community; the map only ever grows.
 */
const boundMembers = new WeakMap<Y.Doc, Map<string, string | null>>();

/** The member a client id is bound to, or null (a client from before bindings, or none). */
export function memberOfClient(doc: Y.Doc, client: number): string | null {
  let known = boundMembers.get(doc);
  if (!known) {
    const map = new Map<string, string | null>();
    known = map;
    boundMembers.set(doc, map);
    // A binding is never deleted (change-rules.ts), but a key could be written twice: forget it then.
    clientsMap(doc).observe((event) => {
      for (const key of event.keysChanged) map.delete(key);
    });
  }
  const key = String(client);
  if (known.has(key)) return known.get(key)!;
  const member = readBinding(clientsMap(doc).get(key))?.member ?? null;
  // An unknown client may be bound later (its first change still on the way): only what is there is kept.
  if (clientsMap(doc).has(key)) known.set(key, member);
  return member;
}

/**
 * Who made a record: the member bound to the client id of the struct that holds it (the record's own
 * Y.Map, or for a plain entry the map entry itself); null when that client has no binding.
 */
export function verifiedAuthor(doc: Y.Doc, container: Y.Map<unknown>, key: string): string | null {
  const item = (container as unknown as { _map: Map<string, Y.Item> })._map.get(key);
  return item ? memberOfClient(doc, item.id.client) : null;
}

/** Who made a record held in its own Y.Map (a post, a thread, a card): the member its creating client is bound to. */
export function creatorOf(record: { readonly _item: Y.Item | null; readonly doc: Y.Doc | null }): string | null {
  const item = record._item;
  return item && record.doc ? memberOfClient(record.doc, item.id.client) : null;
}
