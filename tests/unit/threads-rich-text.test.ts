import { describe, expect, it } from 'vitest';
import { emptyRichDoc, mentionedIds, richTextIsEmpty, sanitizeRichText, type RichDoc } from '../../shared/rich-text/rich-text.js';
import { doc, paragraph, text } from './content-fixtures.js';

const LIMITS = { maxTextChars: 1_000, maxNodes: 100, maxDepth: 6 };

function clean(value: unknown): RichDoc {
  const result = sanitizeRichText(value, LIMITS);
  if (!result.ok) throw new Error(result.reason);
  return result.doc;
}

function nested(depth: number): unknown {
  let node: unknown = paragraph(text('deep'));
  for (let level = 0; level < depth; level += 1) node = { type: 'blockquote', content: [node] };
  return doc(node);
}

describe('rich text from peers is sanitized before it is stored or shown', () => {
  it.each([
    ['a string', '<p>hi</p>'],
    ['null', null],
    ['an array', [doc()]],
    ['a node that is not a document', paragraph(text('hi'))],
  ])('refuses %s', (_, value) => {
    expect(sanitizeRichText(value, LIMITS)).toEqual({ ok: false, reason: 'The body is not a rich-text document.' });
  });

  it.each([
    ['too much text', doc(paragraph(text('x'.repeat(1_001)))), 'That is 1,001 characters; the limit is 1,000.'],
    ['too many nodes', doc(...Array.from({ length: 101 }, () => paragraph())), 'The body has more than 100 parts.'],
    ['nesting too deep', nested(7), 'The body is nested more than 6 levels deep.'],
  ])('refuses %s with a reason', (_, value, reason) => {
    expect(sanitizeRichText(value, LIMITS)).toMatchObject({ ok: false, reason });
  });

  it('drops unknown nodes, marks and attributes, and nodes in places the editor never puts them', () => {
    const hostile = {
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 99, onclick: 'alert(1)' }, content: [text('Title')] },
        { type: 'script', content: [text('alert(1)')] },
        { type: 'listItem', content: [paragraph(text('loose item'))] },
        { type: 'bulletList', content: [paragraph(text('not an item'))] },
        paragraph(
          {
            type: 'text',
            text: 'styled',
            marks: [{ type: 'bold' }, { type: 'bold' }, { type: 'color', attrs: { value: 'red' } }, 'italic'],
          },
          { type: 'paragraph', content: [text('block in inline')] },
          { type: 'text', text: '' },
          { type: 'mention', attrs: { id: '../../etc', label: 'Mallory' } },
          { type: 'mention', attrs: { id: 'membergrace00002', label: 'G'.repeat(200) } },
        ),
        { type: 'codeBlock', attrs: { language: '"><script>' }, content: [text('let a', 'bold'), { type: 'hardBreak' }, text('= 1')] },
        { type: 'orderedList', attrs: { start: -5 }, content: [{ type: 'listItem', content: [paragraph(text('one'))] }] },
        { type: 'taskList', content: [{ type: 'taskItem', attrs: { checked: 'true' }, content: [paragraph(text('done'))] }] },
        JSON.parse('{"__proto__": {"type": "paragraph", "polluted": true}}'),
      ],
    };
    const result = sanitizeRichText(hostile, LIMITS);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.doc).toEqual(
      doc(
        { type: 'heading', attrs: { level: 1 }, content: [text('Title')] },
        { type: 'bulletList' },
        paragraph(text('styled', 'bold'), { type: 'mention', attrs: { id: 'membergrace00002', label: 'G'.repeat(80) } }),
        { type: 'codeBlock', attrs: { language: null }, content: [text('let a\n= 1')] },
        { type: 'orderedList', attrs: { start: 1 }, content: [{ type: 'listItem', content: [paragraph(text('one'))] }] },
        { type: 'taskList', content: [{ type: 'taskItem', attrs: { checked: true }, content: [paragraph(text('done'))] }] },
      ),
    );
    expect(result.dropped).toBe(10);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('gives an empty body one empty paragraph, and knows it is empty', () => {
    const result = sanitizeRichText(doc(), LIMITS);
    expect(result).toMatchObject({ ok: true, doc: emptyRichDoc() });
    expect(richTextIsEmpty(emptyRichDoc())).toBe(true);
    expect(richTextIsEmpty(clean(doc(paragraph(text('  ')))))).toBe(true);
    expect(richTextIsEmpty(clean(doc(paragraph({ type: 'mention', attrs: { id: 'memberada0000001', label: 'Ada' } }))))).toBe(false);
  });

  it('lists each mentioned member once', () => {
    const mention = (id: string) => ({ type: 'mention', attrs: { id, label: id } });
    expect(
      mentionedIds(clean(doc(paragraph(mention('memberb000000001'), mention('membera000000001'), mention('memberb000000001'))))),
    ).toEqual(['memberb000000001', 'membera000000001']);
  });
});
