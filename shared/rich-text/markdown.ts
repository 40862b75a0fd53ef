// Rich text written out as CommonMark (with GitHub's task lists and strikethrough), for "Export as
// Markdown". Works on sanitized JSON, so the same code serves notes and posts.
import { markEquals, type RichMark, type RichNode } from './rich-text.js';

/** The body as Markdown, ending in one newline (or empty for an empty body). */
export function richTextToMarkdown(doc: RichNode): string {
  const text = blocks(doc.content ?? [], false).trimEnd();
  return text === '' ? '' : `${text}\n`;
}

function blocks(nodes: readonly RichNode[], tight: boolean): string {
  return nodes
    .map((node) => block(node))
    .filter((text) => text !== null)
    .join(tight ? '\n' : '\n\n');
}

function block(node: RichNode): string | null {
  switch (node.type) {
    case 'paragraph':
      return inline(node.content ?? [], true);
    case 'heading': {
      const level = typeof node.attrs?.level === 'number' ? Math.min(6, Math.max(1, node.attrs.level)) : 1;
      return `${'#'.repeat(level)} ${inline(node.content ?? [], false)}`.trimEnd();
    }
    case 'blockquote':
      return prefixLines(blocks(node.content ?? [], false), '> ', '> ').replace(/> $/gm, '>');
    case 'codeBlock': {
      const code = (node.content ?? []).map((child) => child.text ?? '').join('');
      const fence = '`'.repeat(Math.max(3, longestRun(code, '`') + 1));
      const language = typeof node.attrs?.language === 'string' ? node.attrs.language : '';
      return `${fence}${language}\n${code}\n${fence}`;
    }
    case 'horizontalRule':
      return '---';
    case 'bulletList':
      return list(node, () => '- ');
    case 'orderedList': {
      const start = typeof node.attrs?.start === 'number' ? node.attrs.start : 1;
      return list(node, (index) => `${start + index}. `);
    }
    case 'taskList':
      return list(node, (_, item) => (item.attrs?.checked === true ? '- [x] ' : '- [ ] '));
    default:
      return null;
  }
}

function list(node: RichNode, marker: (index: number, item: RichNode) => string): string {
  const items = (node.content ?? []).map((item, index) => {
    const bullet = marker(index, item);
    const body = blocks(item.content ?? [], false) || '';
    return prefixLines(body, bullet, ' '.repeat(bullet.length)).trimEnd();
  });
  // A list whose items are single paragraphs stays tight; otherwise items are separated by a blank line.
  const loose = (node.content ?? []).some((item) => (item.content ?? []).length > 1);
  return items.join(loose ? '\n\n' : '\n');
}

function prefixLines(text: string, first: string, rest: string): string {
  return text
    .split('\n')
    .map((line, index) => (index === 0 ? first : line === '' ? rest.trimEnd() : rest) + line)
    .join('\n');
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}

const MARK_OPEN: Record<Exclude<RichMark['type'], 'link' | 'code'>, string> = { bold: '**', italic: '_', strike: '~~', underline: '' };

/**
 * Inline content with marks opened and closed like a stack, so "bold, then bold italic" becomes
 * `**a _b_**` rather than `**a****_b_**`. Whitespace is kept outside the markers, where CommonMark
 * needs it.
 */
function inline(nodes: readonly RichNode[], atLineStart: boolean): string {
  let out = '';
  const open: RichMark[] = [];
  let pendingSpace = '';

  const closeMark = (mark: RichMark) => {
    if (mark.type === 'link') out += `](${escapeUrl(mark.attrs.href)})`;
    else if (mark.type !== 'code') out += MARK_OPEN[mark.type];
  };
  const openMark = (mark: RichMark) => {
    if (mark.type === 'link') out += '[';
    else if (mark.type !== 'code') out += MARK_OPEN[mark.type];
  };

  for (const node of nodes) {
    const marks = node.type === 'text' ? (node.marks ?? []) : [];
    // Close from the top of the stack down to the first mark this node does not carry.
    let keep = 0;
    while (keep < open.length && marks.some((mark) => markEquals(mark, open[keep]))) keep += 1;
    while (open.length > keep) closeMark(open.pop()!);
    out += pendingSpace;
    pendingSpace = '';

    if (node.type === 'hardBreak') {
      out += '\\\n';
      continue;
    }
    if (node.type === 'mention') {
      out += `@${escapeText(typeof node.attrs?.label === 'string' ? node.attrs.label : 'someone')}`;
      continue;
    }
    const raw = node.text ?? '';
    const isCode = marks.some((mark) => mark.type === 'code');
    const leading = /^\s*/.exec(raw)![0];
    const trailing = raw.length > leading.length ? /\s*$/.exec(raw)![0] : '';
    const core = raw.slice(leading.length, raw.length - trailing.length);
    out += leading;
    if (core === '') {
      pendingSpace = trailing;
      continue;
    }
    for (const mark of marks) {
      if (mark.type === 'code' || open.some((candidate) => markEquals(candidate, mark))) continue;
      openMark(mark);
      open.push(mark);
    }
    if (isCode) {
      const ticks = '`'.repeat(longestRun(core, '`') + 1);
      const pad = core.startsWith('`') || core.endsWith('`') ? ' ' : '';
      out += `${ticks}${pad}${core}${pad}${ticks}`;
    } else {
      out += escapeText(core);
    }
    pendingSpace = trailing;
  }
  while (open.length > 0) closeMark(open.pop()!);
  out += pendingSpace;
  return atLineStart ? escapeLineStart(out) : out;
}

function escapeText(text: string): string {
  return text.replace(/[\\`*_[\]<>~|]/g, '\\$&');
}

/** Text that would otherwise start a heading, quote, list or rule at the start of a paragraph. */
function escapeLineStart(text: string): string {
  return text.replace(
    /^(\s*)(#{1,6}(?=\s|$)|>|[-+](?=\s)|(\d+)([.)])(?=\s)|={3,}|-{3,})/,
    (_, space: string, token: string, digits?: string, dot?: string) =>
      digits !== undefined ? `${space}${digits}\\${dot}` : `${space}\\${token}`,
  );
}

function escapeUrl(href: string): string {
  // encodeURIComponent leaves parentheses alone, and an unbalanced one would end the link early.
  return href.replace(/[()\s]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
