// Rich text as plain data: the subset of ProseMirror JSON that Hearth's editors produce, and the
// sanitizer every body goes through before it is stored or shown. Peers are untrusted, so what comes
// out of `sanitizeRichText` holds only known nodes, known marks, safe links and bounded sizes.
import { checkExternalUrl } from '../links.js';
import { ID_PATTERN } from '../ids.js';

export const BLOCK_TYPES = [
  'paragraph',
  'heading',
  'bulletList',
  'orderedList',
  'listItem',
  'taskList',
  'taskItem',
  'blockquote',
  'codeBlock',
  'horizontalRule',
] as const;
export const INLINE_TYPES = ['text', 'hardBreak', 'mention'] as const;
export const MARK_TYPES = ['bold', 'italic', 'strike', 'underline', 'code', 'link'] as const;

export type BlockType = (typeof BLOCK_TYPES)[number];
export type InlineType = (typeof INLINE_TYPES)[number];
export type MarkType = (typeof MARK_TYPES)[number];
export type RichNodeType = 'doc' | BlockType | InlineType;

export type RichMark = { readonly type: Exclude<MarkType, 'link'> } | { readonly type: 'link'; readonly attrs: { readonly href: string } };

export type RichAttrs = Readonly<Record<string, string | number | boolean | null>>;

export interface RichNode {
  readonly type: RichNodeType;
  readonly attrs?: RichAttrs;
  readonly content?: readonly RichNode[];
  readonly text?: string;
  readonly marks?: readonly RichMark[];
}

export interface RichDoc extends RichNode {
  readonly type: 'doc';
  readonly content: readonly RichNode[];
}

export interface RichTextLimits {
  /** Characters of text across the whole body. */
  readonly maxTextChars: number;
  /** Nodes of any kind; bounds the work of rendering and validating. */
  readonly maxNodes: number;
  /** Nesting depth (lists in lists in quotes…); bounds recursion. */
  readonly maxDepth: number;
}

export type SanitizeResult =
  | { readonly ok: true; readonly doc: RichDoc; readonly textChars: number; readonly nodes: number; readonly dropped: number }
  | { readonly ok: false; readonly reason: string; readonly tooLong?: { readonly textChars: number; readonly limit: number } };

export function emptyRichDoc(): RichDoc {
  return { type: 'doc', content: [{ type: 'paragraph' }] };
}

/** A body from plain text: one paragraph per line. Handy for tests, imports and fallbacks. */
export function richDocFromText(text: string): RichDoc {
  const lines = text.split(/\r?\n/);
  return {
    type: 'doc',
    content: lines.map((line) => (line === '' ? { type: 'paragraph' } : { type: 'paragraph', content: [{ type: 'text', text: line }] })),
  };
}

const FLOW = new Set<string>([
  'paragraph',
  'heading',
  'bulletList',
  'orderedList',
  'taskList',
  'blockquote',
  'codeBlock',
  'horizontalRule',
]);
const INLINES = new Set<string>(INLINE_TYPES);
/** Which children each container may hold, as the editors' schema says; anything else is dropped. */
const ALLOWED_CHILDREN: Readonly<Record<string, ReadonlySet<string>>> = {
  doc: FLOW,
  blockquote: FLOW,
  listItem: FLOW,
  taskItem: FLOW,
  bulletList: new Set(['listItem']),
  orderedList: new Set(['listItem']),
  taskList: new Set(['taskItem']),
  paragraph: INLINES,
  heading: INLINES,
  codeBlock: new Set(['text', 'hardBreak']),
  horizontalRule: new Set(),
};
const MARKS = new Set<string>(MARK_TYPES);
const MARK_ORDER = new Map<string, number>(MARK_TYPES.map((type, index) => [type, index]));

class TooLarge extends Error {}

/**
 * Rebuilds `value` keeping only what Hearth knows how to show. Unknown nodes and marks are dropped
 * (and counted in `dropped`, so a query can report them); a body that is not a document at all, or is
 * over the limits, is refused with a reason a person can read.
 */
export function sanitizeRichText(value: unknown, limits: RichTextLimits): SanitizeResult {
  if (!isRecord(value) || value.type !== 'doc') return { ok: false, reason: 'The body is not a rich-text document.' };
  let textChars = 0;
  let nodes = 0;
  let dropped = 0;

  const visit = (raw: unknown, depth: number, parent: string): RichNode | null => {
    nodes += 1;
    if (nodes > limits.maxNodes) throw new TooLarge(`The body has more than ${limits.maxNodes.toLocaleString('en')} parts.`);
    if (depth > limits.maxDepth) throw new TooLarge(`The body is nested more than ${limits.maxDepth} levels deep.`);
    if (!isRecord(raw) || typeof raw.type !== 'string') {
      dropped += 1;
      return null;
    }
    const type = raw.type;
    if (!ALLOWED_CHILDREN[parent]?.has(type)) {
      dropped += 1;
      return null;
    }
    if (type === 'text') {
      if (typeof raw.text !== 'string' || raw.text.length === 0) {
        dropped += 1;
        return null;
      }
      textChars += raw.text.length;
      const marks = sanitizeMarks(raw.marks);
      dropped += marks.dropped;
      return marks.marks.length > 0 ? { type, text: raw.text, marks: marks.marks } : { type, text: raw.text };
    }
    if (type === 'hardBreak') return { type };
    if (type === 'mention') {
      const attrs = isRecord(raw.attrs) ? raw.attrs : {};
      if (typeof attrs.id !== 'string' || !ID_PATTERN.test(attrs.id)) {
        dropped += 1;
        return null;
      }
      const label = typeof attrs.label === 'string' ? attrs.label.slice(0, 80) : null;
      textChars += (label?.length ?? 0) + 1;
      return { type, attrs: { id: attrs.id, label } };
    }
    const attrs = blockAttrs(type as BlockType, raw.attrs);
    const children: RichNode[] = [];
    if (Array.isArray(raw.content)) {
      for (const child of raw.content) {
        const clean = visit(child, depth + 1, type);
        if (clean) children.push(clean);
      }
    }
    if (type === 'codeBlock') {
      // A code block holds plain text only: marks and line breaks from elsewhere become text.
      const text = children.map((child) => (child.type === 'text' ? (child.text ?? '') : child.type === 'hardBreak' ? '\n' : '')).join('');
      return text ? { type, attrs, content: [{ type: 'text', text }] } : { type, attrs };
    }
    if (type === 'horizontalRule') return { type };
    const node: RichNode = attrs ? { type: type as RichNodeType, attrs } : { type: type as RichNodeType };
    return children.length > 0 ? { ...node, content: mergeTextNodes(children) } : node;
  };

  try {
    const content: RichNode[] = [];
    if (Array.isArray(value.content)) {
      for (const child of value.content) {
        const clean = visit(child, 1, 'doc');
        if (clean) content.push(clean);
      }
    }
    if (textChars > limits.maxTextChars) {
      return {
        ok: false,
        reason: `That is ${textChars.toLocaleString('en')} characters; the limit is ${limits.maxTextChars.toLocaleString('en')}.`,
        tooLong: { textChars, limit: limits.maxTextChars },
      };
    }
    const doc: RichDoc = { type: 'doc', content: content.length > 0 ? content : [{ type: 'paragraph' }] };
    return { ok: true, doc, textChars, nodes, dropped };
  } catch (error) {
    if (error instanceof TooLarge) return { ok: false, reason: error.message };
    throw error;
  }
}

function blockAttrs(type: BlockType, raw: unknown): RichAttrs | undefined {
  const attrs = isRecord(raw) ? raw : {};
  switch (type) {
    case 'heading': {
      const level = typeof attrs.level === 'number' ? attrs.level : Number(attrs.level);
      return { level: Number.isInteger(level) && level >= 1 && level <= 6 ? level : 1 };
    }
    case 'orderedList': {
      const start = typeof attrs.start === 'number' ? attrs.start : Number(attrs.start ?? 1);
      return { start: Number.isSafeInteger(start) && start >= 0 && start < 1_000_000 ? start : 1 };
    }
    case 'taskItem':
      return { checked: attrs.checked === true || attrs.checked === 'true' };
    case 'codeBlock': {
      const language = typeof attrs.language === 'string' && /^[\w+#.-]{1,32}$/.test(attrs.language) ? attrs.language : null;
      return { language };
    }
    default:
      return undefined;
  }
}

function sanitizeMarks(raw: unknown): { marks: RichMark[]; dropped: number } {
  if (!Array.isArray(raw)) return { marks: [], dropped: 0 };
  const marks: RichMark[] = [];
  const seen = new Set<string>();
  let dropped = 0;
  for (const mark of raw) {
    if (!isRecord(mark) || typeof mark.type !== 'string' || !MARKS.has(mark.type) || seen.has(mark.type)) {
      dropped += 1;
      continue;
    }
    if (mark.type === 'link') {
      const href = isRecord(mark.attrs) ? mark.attrs.href : undefined;
      const verdict = checkExternalUrl(href);
      // A link to somewhere Hearth would never open stays as plain text.
      if (!verdict.ok) {
        dropped += 1;
        continue;
      }
      marks.push({ type: 'link', attrs: { href: verdict.url } });
    } else {
      marks.push({ type: mark.type as Exclude<MarkType, 'link'> });
    }
    seen.add(mark.type);
  }
  marks.sort((a, b) => (MARK_ORDER.get(a.type) ?? 0) - (MARK_ORDER.get(b.type) ?? 0));
  return { marks, dropped };
}

/** Joins neighbouring text nodes with the same marks, so equal content has one shape. */
function mergeTextNodes(nodes: RichNode[]): RichNode[] {
  const merged: RichNode[] = [];
  for (const node of nodes) {
    const previous = merged[merged.length - 1];
    if (previous && previous.type === 'text' && node.type === 'text' && sameMarks(previous.marks, node.marks)) {
      merged[merged.length - 1] = { ...previous, text: (previous.text ?? '') + (node.text ?? '') };
    } else {
      merged.push(node);
    }
  }
  return merged;
}

export function sameMarks(a: readonly RichMark[] | undefined, b: readonly RichMark[] | undefined): boolean {
  const left = a ?? [];
  const right = b ?? [];
  return left.length === right.length && left.every((mark, index) => markEquals(mark, right[index]));
}

export function markEquals(a: RichMark | undefined, b: RichMark | undefined): boolean {
  if (!a || !b || a.type !== b.type) return false;
  return a.type !== 'link' || (b.type === 'link' && a.attrs.href === b.attrs.href);
}

/** Member ids mentioned in a body, each once, in order of first mention. */
export function mentionedIds(doc: RichNode): string[] {
  const ids = new Set<string>();
  const walk = (node: RichNode) => {
    if (node.type === 'mention' && typeof node.attrs?.id === 'string') ids.add(node.attrs.id);
    node.content?.forEach(walk);
  };
  walk(doc);
  return [...ids];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when a body holds no words, mentions or rules: nothing worth posting. */
export function richTextIsEmpty(doc: RichNode): boolean {
  const hasContent = (node: RichNode): boolean =>
    (node.type === 'text' && (node.text ?? '').trim() !== '') ||
    node.type === 'mention' ||
    node.type === 'horizontalRule' ||
    (node.content ?? []).some(hasContent);
  return !hasContent(doc);
}
