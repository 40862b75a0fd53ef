// Where the library lives in a community's Y.Doc.
import type * as Y from 'yjs';
import { LIBRARY_TOP_LEVEL } from './schema.js';

export function resourcesMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(LIBRARY_TOP_LEVEL.resources);
}
