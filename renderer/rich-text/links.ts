// Links in notes and posts leave the app only through the host's openExternal, which refuses anything
// but web and e-mail links; the editors never navigate or call window.open themselves.
import type { EditorView } from '@tiptap/pm/view';
import type { HostApi, OpenExternalResult } from '../../shared/host-api.js';
import { normalizeHref } from './extensions.js';

export async function openLink(host: HostApi, href: string): Promise<OpenExternalResult> {
  try {
    return await host.openExternal(normalizeHref(href));
  } catch (error) {
    return { opened: false, reason: error instanceof Error ? error.message : 'The link could not be opened.' };
  }
}

/** The href of the link under a click, if any. */
export function linkAt(target: EventTarget | null, root: HTMLElement): string | null {
  if (!(target instanceof Element)) return null;
  const anchor = target.closest('a[href]');
  return anchor && root.contains(anchor) ? anchor.getAttribute('href') : null;
}

/**
 * ProseMirror click handling for an editor: Ctrl/Cmd+click opens a link (a plain click places the
 * caret, as in every editor); the default navigation of an anchor is always prevented.
 */
export function linkClickHandler(open: (href: string) => void) {
  return (view: EditorView, _pos: number, event: MouseEvent): boolean => {
    const href = linkAt(event.target, view.dom);
    if (!href) return false;
    event.preventDefault();
    if (event.ctrlKey || event.metaKey) {
      open(href);
      return true;
    }
    return false;
  };
}
