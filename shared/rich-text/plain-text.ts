// Rich text flattened to plain text: what search indexes and what a one-line preview shows.
import type { RichNode } from './rich-text.js';

const BLOCK_SEPARATED = new Set(['doc', 'blockquote', 'bulletList', 'orderedList', 'taskList', 'listItem', 'taskItem']);

/** Blocks on their own lines; mentions as "@Name"; marks dropped. */
export function richTextToPlainText(node: RichNode): string {
  switch (node.type) {
    case 'text':
      return node.text ?? '';
    case 'hardBreak':
      return '\n';
    case 'mention':
      return `@${typeof node.attrs?.label === 'string' ? node.attrs.label : 'someone'}`;
    case 'horizontalRule':
      return '';
    default: {
      const children = (node.content ?? []).map(richTextToPlainText);
      return BLOCK_SEPARATED.has(node.type) ? children.filter((text) => text !== '').join('\n') : children.join('');
    }
  }
}

/** The first `maxChars` of the text on one line, for list previews. */
export function richTextExcerpt(node: RichNode, maxChars = 160): string {
  const flat = richTextToPlainText(node).replace(/\s+/g, ' ').trim();
  return flat.length > maxChars ? `${flat.slice(0, maxChars - 1).trimEnd()}…` : flat;
}
