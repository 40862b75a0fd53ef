// A query's result kept per document until the document changes. The community page asks the same
// questions several times per render (a section's count on its tab, its home card, its badge), and on
// a community of 10,000 posts each asking costs tens of milliseconds; the answer only changes when a
// transaction does. Results are shared between callers, so they must be treated as read-only.
//
// With `roots`, only a transaction that touches those top-level types (anywhere inside them) makes the
// answer stale: typing in a note does not re-list 10,000 posts for the threads badge.
import type * as Y from 'yjs';

interface Entry<T> {
  value: T | undefined;
  fresh: boolean;
}

interface TypeInternals {
  readonly _item: { readonly parent: unknown } | null;
}

/** The top-level type a (possibly nested) shared type lives in. */
function topLevelOf(type: unknown): unknown {
  let current = type as TypeInternals;
  for (let depth = 0; current._item !== null && depth < 1_000; depth += 1) current = current._item.parent as TypeInternals;
  return current;
}

export function memoByDoc<T>(query: (doc: Y.Doc) => T, options: { readonly roots?: readonly string[] } = {}): (doc: Y.Doc) => T {
  const cache = new WeakMap<Y.Doc, Entry<T>>();
  return (doc) => {
    // Inside a transaction the answer may still change before it ends: answer afresh, keep nothing.
    if ((doc as unknown as { _transaction: unknown })._transaction !== null) return query(doc);
    let entry = cache.get(doc);
    if (!entry) {
      const created: Entry<T> = { value: undefined, fresh: false };
      const roots = options.roots ? new Set<unknown>(options.roots.map((name) => doc.getMap(name))) : null;
      doc.on('afterTransaction', (transaction: Y.Transaction) => {
        if (!created.fresh) return;
        if (!roots) {
          created.fresh = false;
          return;
        }
        for (const type of transaction.changed.keys()) {
          if (roots.has(topLevelOf(type))) {
            created.fresh = false;
            return;
          }
        }
      });
      cache.set(doc, (entry = created));
    }
    if (!entry.fresh) {
      entry.value = query(doc);
      entry.fresh = true;
    }
    return entry.value as T;
  };
}
