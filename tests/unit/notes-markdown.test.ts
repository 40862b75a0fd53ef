import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import { createNote, noteBody } from '../../shared/notes/commands.js';
import { fileNameOf, noteToMarkdown } from '../../shared/notes/export.js';
import { xmlFragmentToRawJson } from '../../shared/rich-text/from-xml.js';
import { richTextToMarkdown } from '../../shared/rich-text/markdown.js';
import { richTextExcerpt, richTextToPlainText } from '../../shared/rich-text/plain-text.js';
import { sanitizeRichText, type RichDoc } from '../../shared/rich-text/rich-text.js';
import { ADA, communityDoc, doc, paragraph, text, writeBody } from './content-fixtures.js';

const LIMITS = { maxTextChars: 100_000, maxNodes: 10_000, maxDepth: 16 };

function clean(value: unknown): RichDoc {
  const result = sanitizeRichText(value, LIMITS);
  if (!result.ok) throw new Error(result.reason);
  return result.doc;
}

const link = (value: string, href: string) => ({ type: 'text', text: value, marks: [{ type: 'link', attrs: { href } }] });
const item = (...content: unknown[]) => ({ type: 'listItem', content });
const task = (checked: boolean, value: string) => ({ type: 'taskItem', attrs: { checked }, content: [paragraph(text(value))] });

const everything = doc(
  { type: 'heading', attrs: { level: 1 }, content: [text('Retro')] },
  paragraph(
    text('We shipped '),
    text('three', 'bold'),
    text(' things, '),
    text('mostly', 'italic'),
    text(' on time. See '),
    link('the board', 'https://example.org/board'),
    text('.'),
  ),
  {
    type: 'bulletList',
    content: [
      item(paragraph(text('Onboarding'))),
      item(paragraph(text('Billing')), { type: 'bulletList', content: [item(paragraph(text('Invoices')))] }),
    ],
  },
  { type: 'orderedList', attrs: { start: 3 }, content: [item(paragraph(text('Third'))), item(paragraph(text('Fourth')))] },
  { type: 'taskList', content: [task(true, 'Send notes'), task(false, 'Book room')] },
  { type: 'blockquote', content: [paragraph(text('Done is better than perfect.')), paragraph(text('— someone'))] },
  { type: 'codeBlock', attrs: { language: 'ts' }, content: [text('const x = ```;\nexport {};')] },
  { type: 'horizontalRule' },
  paragraph(text('Line one'), { type: 'hardBreak' }, text('line two with '), text('code`', 'code'), text(' and '), {
    type: 'mention',
    attrs: { id: 'memberada0000001', label: 'Ada' },
  }),
);

describe('rich text read from the editor’s fragment', () => {
  it('reads exactly what y-prosemirror reads, for every node and mark the editor makes', () => {
    const ydoc = new Y.Doc();
    const fragment = ydoc.getXmlFragment('body');
    writeBody(fragment, everything);
    const ours = xmlFragmentToRawJson(fragment);
    expect(ours).toEqual(yXmlFragmentToProsemirrorJSON(fragment));
    // After sanitizing, only what Hearth shows is left, and it is the document that went in.
    expect(clean(ours)).toEqual(clean(everything));
    expect(clean(ours).content).toHaveLength(9);
  });

  it('flattens to plain text and a one-line excerpt', () => {
    const body = clean(everything);
    const plain = richTextToPlainText(body);
    expect(plain.split('\n').slice(0, 4)).toEqual([
      'Retro',
      'We shipped three things, mostly on time. See the board.',
      'Onboarding',
      'Billing',
    ]);
    expect(plain).toContain('Line one\nline two with code` and @Ada');
    expect(richTextExcerpt(body, 30)).toBe('Retro We shipped three things…');
  });
});

describe('Markdown export', () => {
  it('writes CommonMark with task lists, keeping marks, lists, quotes and code intact', () => {
    expect(richTextToMarkdown(clean(everything))).toBe(
      [
        '# Retro',
        '',
        'We shipped **three** things, _mostly_ on time. See [the board](https://example.org/board).',
        '',
        '- Onboarding',
        '',
        '- Billing',
        '',
        '  - Invoices',
        '',
        '3. Third',
        '4. Fourth',
        '',
        '- [x] Send notes',
        '- [ ] Book room',
        '',
        '> Done is better than perfect.',
        '>',
        '> — someone',
        '',
        '````ts',
        'const x = ```;',
        'export {};',
        '````',
        '',
        '---',
        '',
        'Line one\\',
        'line two with `` code` `` and @Ada',
        '',
      ].join('\n'),
    );
  });

  it('nests marks like a stack, keeps spaces outside them and escapes what Markdown would read as syntax', () => {
    const marks = (value: string, ...types: string[]) => ({ type: 'text', text: value, marks: types.map((type) => ({ type })) });
    expect(richTextToMarkdown(clean(doc(paragraph(marks('bold ', 'bold'), marks('both', 'bold', 'italic'), text(' plain')))))).toBe(
      '**bold _both_** plain\n',
    );
    expect(richTextToMarkdown(clean(doc(paragraph(text('# not a heading, *not* emphasis, [not](a link)')))))).toBe(
      '\\# not a heading, \\*not\\* emphasis, \\[not\\](a link)\n',
    );
    expect(richTextToMarkdown(clean(doc(paragraph(text('1. not a list')), paragraph(text('- nor this')))))).toBe(
      '1\\. not a list\n\n\\- nor this\n',
    );
    expect(richTextToMarkdown(clean(doc(paragraph(link('a (b)', 'https://example.org/a (b)')))))).toBe(
      '[a (b)](https://example.org/a%20%28b%29)\n',
    );
    expect(richTextToMarkdown(clean(doc(paragraph())))).toBe('');
  });

  it('exports a note with its title as the heading and a safe file name', () => {
    const community = communityDoc();
    const { id } = createNote(community, { title: 'Q3 / planning: draft?', by: ADA });
    writeBody(noteBody(community, id)!, doc(paragraph(text('Hello '), text('team', 'bold'))));
    expect(noteToMarkdown(community, id)).toEqual({
      fileName: 'Q3 planning draft.md',
      markdown: '# Q3 / planning: draft?\n\nHello **team**\n',
    });
    const empty = createNote(community, { title: 'Empty', by: ADA });
    expect(noteToMarkdown(community, empty.id)?.markdown).toBe('# Empty\n');
    expect(noteToMarkdown(community, 'nosuchnote000000')).toBeNull();
  });

  it.each([
    ['con', 'note con'],
    ['...', 'note'],
    ['a\u0000b\\c', 'a b c'],
    ['x'.repeat(300), 'x'.repeat(100)],
  ])('makes the file name of %j safe: %j', (title, expected) => {
    expect(fileNameOf(title)).toBe(expected);
  });
});
