// Reads a Y.XmlFragment that TipTap's collaboration binding (y-prosemirror's layout) wrote, as raw
// ProseMirror-style JSON. The result is untrusted: pass it through sanitizeRichText before use.
import * as Y from 'yjs';

// y-prosemirror names a mark that occurs twice on one text run "name--hash"; the name is the mark type.
const HASHED_MARK_NAME = /^(.*)--[a-zA-Z0-9+/=]{8}$/;

export function markNameOf(attributeName: string): string {
  return HASHED_MARK_NAME.exec(attributeName)?.[1] ?? attributeName;
}

interface RawNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: RawNode[];
  text?: string;
  marks?: { type: string; attrs?: unknown }[];
}

/** The fragment as `{ type: 'doc', content }`; parts that are neither elements nor text are skipped. */
export function xmlFragmentToRawJson(fragment: Y.XmlFragment): { type: 'doc'; content: RawNode[] } {
  return { type: 'doc', content: fragment.toArray().flatMap(readItem) };
}

function readItem(item: unknown): RawNode[] {
  if (item instanceof Y.XmlText) {
    const nodes: RawNode[] = [];
    for (const op of item.toDelta() as { insert?: unknown; attributes?: Record<string, unknown> }[]) {
      if (typeof op.insert !== 'string' || op.insert.length === 0) continue;
      const marks = Object.entries(op.attributes ?? {}).map(([name, attrs]) => ({ type: markNameOf(name), attrs }));
      nodes.push(marks.length > 0 ? { type: 'text', text: op.insert, marks } : { type: 'text', text: op.insert });
    }
    return nodes;
  }
  if (item instanceof Y.XmlElement) {
    const node: RawNode = { type: item.nodeName };
    const attrs = item.getAttributes() as Record<string, unknown>;
    if (Object.keys(attrs).length > 0) node.attrs = attrs;
    const children = item.toArray().flatMap(readItem);
    if (children.length > 0) node.content = children;
    return [node];
  }
  return [];
}
