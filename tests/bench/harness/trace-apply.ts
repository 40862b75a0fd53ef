// The B4 trace's shape and how one trace transaction is typed into a Y.Text; no Node or DOM imports,
// so the Chromium page uses it too. Loading the file is in trace.ts.
import type * as Y from 'yjs';

/** crdt-benchmarks' figure for Y.encodeStateAsUpdateV2 of the whole trace (Yjs 13.6). */
export const B4_STATE_V2_BYTES = 159_929;

export type Patch = readonly [position: number, deleteCount: number, insertText: string];

export interface Trace {
  readonly startContent: string;
  readonly endContent: string;
  readonly txns: readonly { readonly patches: readonly Patch[] }[];
}

export function applyPatches(text: Y.Text, patches: readonly Patch[]): void {
  for (const [position, deleteCount, insertText] of patches) {
    if (deleteCount > 0) text.delete(position, deleteCount);
    if (insertText.length > 0) text.insert(position, insertText);
  }
}
