// Shared set-up for the notes and threads tests: members, a community document, and bodies written
// exactly as the editor's collaboration binding writes them.
import * as Y from 'yjs';
import { getSchema } from '@tiptap/core';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import { createCommunity } from '../../shared/community/commands.js';
import { contentExtensions } from '../../renderer/rich-text/extensions.js';

export const ADA = 'memberada0000001';
export const GRACE = 'membergrace00002';
export const LIN = 'memberlin0000003';
export const T0 = 1_700_000_000_000;

export const editorSchema = getSchema(contentExtensions({ collaborative: true, mention: {} }));

export function communityDoc(doc = new Y.Doc()): Y.Doc {
  createCommunity(doc, {
    name: 'Tuesday Mastermind',
    purpose: '',
    kind: 'mastermind',
    founder: { id: ADA, displayName: 'Ada' },
    now: T0,
    id: 'community0000001',
  });
  return doc;
}

/** Writes ProseMirror JSON into a fragment the way TipTap's Collaboration extension does. */
export function writeBody(fragment: Y.XmlFragment, json: unknown): void {
  const write = () => prosemirrorJSONToYXmlFragment(editorSchema, json, fragment);
  if (fragment.doc) fragment.doc.transact(write);
  else write();
}

export const paragraph = (...content: unknown[]) => ({ type: 'paragraph', content });
export const text = (value: string, ...marks: string[]) => ({
  type: 'text',
  text: value,
  ...(marks.length ? { marks: marks.map((type) => ({ type })) } : {}),
});
export const doc = (...content: unknown[]) => ({ type: 'doc', content });

/** Origins of the transactions that `run` causes. */
export function originsOf(target: Y.Doc, run: () => void): unknown[] {
  const origins: unknown[] = [];
  const listen = (transaction: Y.Transaction) => origins.push(transaction.origin);
  target.on('afterTransaction', listen);
  try {
    run();
  } finally {
    target.off('afterTransaction', listen);
  }
  return origins;
}
