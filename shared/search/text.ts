// How search reads words: one tokenizer and one term normalizer shared by the index and the highlighter,
// so what is marked in a result is exactly what matched, and the snippet shown around the first match.

/** Words are split on white space and punctuation (the same classes MiniSearch splits on by default). */
const SEPARATOR = /[\n\r\p{Z}\p{P}\p{S}]+/u;
const WORD = /[^\n\r\p{Z}\p{P}\p{S}]+/gu;
const DIACRITICS = /\p{M}+/gu;
const ASCII = /^[\x00-\x7f]*$/;

export function tokenize(text: string): string[] {
  return text.split(SEPARATOR).filter((word) => word.length > 0);
}

/** Lower case without accents, so "Café" finds "cafe" and the other way round. */
export function normalizeTerm(term: string): string {
  const lower = term.toLowerCase();
  // Most words are plain ASCII; decomposing them would only cost time (it halves indexing time).
  return ASCII.test(lower) ? lower : lower.normalize('NFD').replace(DIACRITICS, '');
}

/** Text on one line: what results show, and what snippets are cut from. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export interface Segment {
  readonly text: string;
  readonly match: boolean;
}

interface WordAt {
  readonly start: number;
  readonly end: number;
  readonly term: string;
}

function wordsOf(text: string): WordAt[] {
  const words: WordAt[] = [];
  for (const found of text.matchAll(WORD))
    words.push({ start: found.index, end: found.index + found[0].length, term: normalizeTerm(found[0]) });
  return words;
}

/** `text` cut into plain and matching runs: every word whose normalized form is one of `terms`. */
export function highlight(text: string, terms: ReadonlySet<string>): Segment[] {
  const segments: Segment[] = [];
  let at = 0;
  for (const word of wordsOf(text)) {
    if (!terms.has(word.term)) continue;
    if (word.start > at) segments.push({ text: text.slice(at, word.start), match: false });
    segments.push({ text: text.slice(word.start, word.end), match: true });
    at = word.end;
  }
  if (at < text.length) segments.push({ text: text.slice(at), match: false });
  return segments;
}

export const SNIPPET_CHARS = 160;
/** How much of the text before the first match a snippet keeps, so the match is read in context. */
const SNIPPET_LEAD_CHARS = 40;

/**
 * A window of one-line `text` around its first word in `terms` (or its start, when only the title
 * matched), with ellipses where it was cut and the matching words marked.
 */
export function snippet(text: string, terms: ReadonlySet<string>, maxChars = SNIPPET_CHARS): Segment[] {
  if (text.length === 0) return [];
  const words = wordsOf(text);
  const first = words.find((word) => terms.has(word.term));
  let start = 0;
  if (first && first.end > maxChars - 10) {
    // Start at a word boundary a little before the match.
    const wanted = Math.max(0, first.start - SNIPPET_LEAD_CHARS);
    start = words.find((word) => word.start >= wanted)?.start ?? first.start;
  }
  let end = Math.min(text.length, start + maxChars);
  if (end < text.length) {
    const lastWordEnd = words.filter((word) => word.end <= end && word.start >= start).at(-1)?.end;
    if (lastWordEnd !== undefined && lastWordEnd > start) end = lastWordEnd;
  }
  const cut = `${start > 0 ? '…' : ''}${text.slice(start, end).trim()}${end < text.length ? '…' : ''}`;
  return highlight(cut, terms);
}
