// The TipTap extensions that define what notes and posts may contain. Kept free of React and of the
// editing-only extensions (collaboration, placeholder, carets) so tests can build the same schema in
// Node and check that shared/rich-text reads what this editor writes.
import type { AnyExtension } from '@tiptap/core';
import TaskItem from '@tiptap/extension-task-item';
import TaskList from '@tiptap/extension-task-list';
import Mention, { type MentionOptions } from '@tiptap/extension-mention';
import StarterKit from '@tiptap/starter-kit';
import { checkExternalUrl } from '../../shared/links.js';

/** A link a person typed without a scheme ("example.org") is a web link. */
export function normalizeHref(href: string): string {
  const trimmed = href.trim();
  return /^[a-z][a-z0-9+.-]*:/i.test(trimmed) ? trimmed : `https://${trimmed}`;
}

export function isAllowedHref(href: string): boolean {
  return checkExternalUrl(normalizeHref(href)).ok;
}

export interface ContentOptions {
  /** Notes get their undo history from the collaboration extension; posts keep ProseMirror's own. */
  readonly collaborative: boolean;
  /** Posts can mention members; the picker is configured by the caller. */
  readonly mention?: Partial<MentionOptions>;
}

export function contentExtensions({ collaborative, mention }: ContentOptions): AnyExtension[] {
  return [
    StarterKit.configure({
      undoRedo: collaborative ? false : {},
      heading: { levels: [1, 2, 3] },
      link: {
        // Clicks are handled by the editor component, which opens links through the host's allowlist;
        // the extension's own handler would call window.open.
        openOnClick: false,
        autolink: true,
        linkOnPaste: true,
        defaultProtocol: 'https',
        isAllowedUri: (url) => isAllowedHref(url),
        HTMLAttributes: { target: null, rel: 'noopener noreferrer nofollow' },
      },
    }),
    TaskList,
    TaskItem.configure({ nested: true }),
    ...(mention ? [Mention.configure(mention)] : []),
  ];
}
