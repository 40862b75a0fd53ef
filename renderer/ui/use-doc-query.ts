// Runs a query over a community's Y.Doc and runs it again whenever the document changes (locally,
// from the store or from a peer). Queries are plain functions from shared/; this only schedules them.
import { useEffect, useMemo, useState } from 'react';
import type * as Y from 'yjs';

export function useDocQuery<T>(doc: Y.Doc, query: (doc: Y.Doc) => T, inputs: readonly unknown[] = []): T {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = () => setVersion((value) => value + 1);
    doc.on('update', bump);
    return () => doc.off('update', bump);
  }, [doc]);
  // `query` is usually an inline arrow; what it reads is named in `inputs`.
  return useMemo(() => query(doc), [doc, version, ...inputs]);
}
