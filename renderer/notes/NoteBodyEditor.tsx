// A note's body in TipTap, bound to the note's Y.XmlFragment through the Collaboration extension:
// what is typed goes straight into the community document and merges with everyone else's typing.
// Live carets need awareness from a sync provider; pass `presence` and they switch on.
import { memo, useRef, useState } from 'react';
import Collaboration, { isChangeOrigin } from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import Placeholder from '@tiptap/extension-placeholder';
import { EditorContent, useEditor } from '@tiptap/react';
import type * as Y from 'yjs';
import type { HostApi } from '../../shared/host-api.js';
import { NOTE_LIMITS } from '../../shared/notes/schema.js';
import { contentExtensions } from '../rich-text/extensions.js';
import { linkClickHandler, openLink } from '../rich-text/links.js';
import { TextLimit } from '../rich-text/text-limit.js';
import { Toolbar } from '../rich-text/Toolbar.js';
import '../rich-text/rich-text.css';

/**
 * What live carets need: something holding the community's Yjs awareness (the sync layer's), and who
 * this member is. The caret extension writes `user` into the awareness state, so it carries the same
 * fields the sync layer puts there (id, name, colour).
 */
export interface NotePresence {
  readonly provider: { readonly awareness: object };
  readonly user: { readonly id: string; readonly name: string; readonly color: string };
}

export interface NoteBodyEditorProps {
  readonly fragment: Y.XmlFragment;
  readonly host: HostApi;
  readonly presence?: NotePresence;
  /** The member typed (not a peer's change arriving); the caller stamps the note's last edit. */
  readonly onLocalEdit: () => void;
  readonly onTooLong: (chars: number) => void;
  readonly onLinkRefused: (reason: string) => void;
}

// Memoized: the community page re-renders on every change to the document (each keystroke), and
// nothing here needs to unless its own props change; the toolbar follows the editor by itself.
export const NoteBodyEditor = memo(function NoteBodyEditor({
  fragment,
  host,
  presence,
  onLocalEdit,
  onTooLong,
  onLinkRefused,
}: NoteBodyEditorProps) {
  const latest = useRef({ onLocalEdit, onTooLong, onLinkRefused });
  latest.current = { onLocalEdit, onTooLong, onLinkRefused };
  const [ready, setReady] = useState(false);
  const open = (href: string) => {
    void openLink(host, href).then((result) => {
      if (!result.opened) latest.current.onLinkRefused(result.reason);
    });
  };

  const editor = useEditor(
    {
      extensions: [
        ...contentExtensions({ collaborative: true }),
        Collaboration.configure({ fragment, onFirstRender: () => setReady(true) }),
        ...(presence ? [CollaborationCaret.configure({ provider: presence.provider, user: presence.user })] : []),
        Placeholder.configure({
          placeholder: 'Start writing… Use the toolbar or Markdown shortcuts like # for a heading and - for a list.',
        }),
        TextLimit.configure({ maxChars: NOTE_LIMITS.bodyChars, onRefused: (chars) => latest.current.onTooLong(chars) }),
      ],
      editorProps: {
        attributes: { 'aria-label': 'Note text', role: 'textbox', 'aria-multiline': 'true', class: 'rich-text note-body' },
        handleClick: linkClickHandler(open),
      },
      onUpdate: ({ transaction }) => {
        if (!isChangeOrigin(transaction)) latest.current.onLocalEdit();
      },
    },
    [fragment, presence],
  );

  return (
    <div className="note-editor" data-ready={ready}>
      <div className="note-toolbar">
        <Toolbar editor={editor} variant="full" onOpenLink={open} />
      </div>
      <EditorContent editor={editor} className="note-editor-content" />
    </div>
  );
});
