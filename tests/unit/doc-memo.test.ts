// memoByDoc: one computation per document state, a fresh one after any change, never a stale answer
// inside a transaction.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { memoByDoc } from '../../shared/doc-memo.js';

describe('memoByDoc', () => {
  it('computes once per document state, per document', () => {
    let runs = 0;
    const size = memoByDoc((doc) => {
      runs += 1;
      return doc.getMap('items').size;
    });
    const a = new Y.Doc();
    const b = new Y.Doc();
    expect([size(a), size(a), size(b)]).toEqual([0, 0, 0]);
    expect(runs).toBe(2);
    a.getMap('items').set('one', 1);
    expect([size(a), size(a), size(b)]).toEqual([1, 1, 0]);
    expect(runs).toBe(3);
    // An update from a peer is a transaction too.
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(size(b)).toBe(1);
  });

  it('answers inside a transaction with what it holds so far, and again after it', () => {
    const doc = new Y.Doc();
    const size = memoByDoc((current) => current.getMap('items').size);
    expect(size(doc)).toBe(0);
    const seen: number[] = [];
    doc.transact(() => {
      doc.getMap('items').set('one', 1);
      seen.push(size(doc));
      doc.getMap('items').set('two', 2);
      seen.push(size(doc));
    });
    expect(seen).toEqual([1, 2]);
    expect(size(doc)).toBe(2);
  });

  it('with roots, stays fresh through changes elsewhere, and goes stale on a change deep inside a root', () => {
    let runs = 0;
    const count = memoByDoc(
      (doc) => {
        runs += 1;
        return doc.getMap('posts').size;
      },
      { roots: ['posts'] },
    );
    const doc = new Y.Doc();
    const post = new Y.Map<unknown>();
    doc.getMap('posts').set('p1', post);
    expect(count(doc)).toBe(1);
    doc.getMap('notes').set('n1', 'typing in a note');
    doc.getText('elsewhere').insert(0, 'more typing');
    expect(count(doc)).toBe(1);
    expect(runs).toBe(1);
    const body = new Y.Text();
    post.set('body', body);
    expect(count(doc)).toBe(1);
    expect(runs).toBe(2);
    body.insert(0, 'an edit deep inside a post');
    count(doc);
    expect(runs).toBe(3);
  });
});
