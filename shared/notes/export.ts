// A note as a Markdown file: its title as the top heading, then its body, and a file name made from
// the title that every operating system accepts.
import type * as Y from 'yjs';
import { richTextToMarkdown } from '../rich-text/markdown.js';
import { readNote, readNoteBody } from './queries.js';

export interface MarkdownFile {
  readonly fileName: string;
  readonly markdown: string;
}

export function noteToMarkdown(doc: Y.Doc, noteId: string): MarkdownFile | null {
  const note = readNote(doc, noteId);
  if (!note) return null;
  const body = richTextToMarkdown(readNoteBody(doc, noteId));
  const title = note.title.replace(/\s+/g, ' ');
  return { fileName: `${fileNameOf(title)}.md`, markdown: `# ${title.replace(/^([#>+-])/, '\\$1')}\n${body ? `\n${body}` : ''}` };
}

/** Letters, digits, spaces and a few marks survive; the rest (slashes, colons, control characters) go. */
export function fileNameOf(title: string): string {
  const cleaned = title
    .replace(/[\\/:*?"<>|\u0000-\u001f\u007f]/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, 100)
    .trim();
  return /^(con|prn|aux|nul|com\d|lpt\d)$/i.test(cleaned) || cleaned === '' ? `note ${cleaned}`.trim() : cleaned;
}
