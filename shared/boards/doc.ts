// Where boards live in a community's Y.Doc: the three top-level maps and safe access to one record.
import * as Y from 'yjs';
import { BOARD_TOP_LEVEL } from './schema.js';

export function boardsMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(BOARD_TOP_LEVEL.boards);
}

export function columnsMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(BOARD_TOP_LEVEL.columns);
}

export function cardsMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(BOARD_TOP_LEVEL.cards);
}

/** The record under `key` if it is a Y.Map (a peer may have written anything there), else null. */
export function recordIn(map: Y.Map<unknown>, key: string): Y.Map<unknown> | null {
  const value = map.get(key);
  return value instanceof Y.Map ? value : null;
}
