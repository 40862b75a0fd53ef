// A query's result kept per document until the document changes. The community page asks the same
// questions several times per render (a section's count on its tab, its home card, its badge), and on
// a community of 10,000 posts each asking costs tens of milliseconds; the answer only changes when a
// transaction does. Results are shared between callers, so they must be treated as read-only.
import type * as Y from 'yjs';

interface Entry<T> {
  value: T | undefined;
  fresh: boolean;
}

export function memoByDoc<T>(query: (doc: Y.Doc) => T): (doc: Y.Doc) => T {
  const cache = new WeakMap<Y.Doc, Entry<T>>();
  return (doc) => {
    let entry = cache.get(doc);
    if (!entry) {
      const created: Entry<T> = { value: undefined, fresh: false };
      // Any transaction may change the answer: stale from its start (a read inside it sees its
      // changes so far) until after its end.
      const invalidate = () => {
        created.fresh = false;
      };
      doc.on('beforeTransaction', invalidate);
      doc.on('afterTransaction', invalidate);
      cache.set(doc, (entry = created));
    }
    if (!entry.fresh) {
      entry.value = query(doc);
      // Inside a transaction the answer may change again before it ends: do not keep it.
      entry.fresh = (doc as unknown as { _transaction: unknown })._transaction === null;
    }
    return entry.value as T;
  };
}
