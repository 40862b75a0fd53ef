// The compact rich-text editor for posts: the same content as notes minus headings' extra levels,
// a small toolbar, @mentions with a picker, Ctrl/Cmd+Enter to send and Escape to cancel. It holds a
// draft only; the caller reads it (getJSON) and passes it to a command, which sanitizes it again.
import { useEffect, useId, useImperativeHandle, useMemo, useRef, useState, type Ref } from 'react';
import { Extension, type JSONContent } from '@tiptap/core';
import Placeholder from '@tiptap/extension-placeholder';
import { EditorContent, useEditor } from '@tiptap/react';
import type { HostApi } from '../../shared/host-api.js';
import type { RichDoc } from '../../shared/rich-text/rich-text.js';
import { POST_LIMITS } from '../../shared/threads/schema.js';
import { contentExtensions } from './extensions.js';
import { linkClickHandler, openLink } from './links.js';
import { MentionMenu, MentionMenuStore, mentionSuggestion, type MentionCandidate } from './mention-menu.js';
import { TextLimit } from './text-limit.js';
import { Toolbar } from './Toolbar.js';
import './rich-text.css';

export interface CompactEditorHandle {
  getJSON(): JSONContent;
  isEmpty(): boolean;
  clear(): void;
  focus(): void;
}

export interface CompactEditorProps {
  readonly ref?: Ref<CompactEditorHandle>;
  /** The accessible name of the text area, e.g. "Reply". */
  readonly label: string;
  readonly placeholder: string;
  /** A body to edit (a post's, already sanitized). */
  readonly initial?: RichDoc;
  readonly members: readonly MentionCandidate[];
  readonly host: HostApi;
  readonly autoFocus?: boolean;
  /** Ctrl/Cmd+Enter. */
  readonly onSubmit: () => void;
  /** Escape, when no picker is open. */
  readonly onCancel?: () => void;
  /** Called when the draft goes from empty to not empty or back. */
  readonly onEmptyChange?: (empty: boolean) => void;
  /** A typed or pasted change was refused because the post would be too long. */
  readonly onTooLong?: (chars: number) => void;
  readonly onLinkRefused?: (reason: string) => void;
}

export function CompactEditor({
  ref,
  label,
  placeholder,
  initial,
  members,
  host,
  autoFocus = false,
  onSubmit,
  onCancel,
  onEmptyChange,
  onTooLong,
  onLinkRefused,
}: CompactEditorProps) {
  const listId = useId();
  const menu = useMemo(() => new MentionMenuStore(), []);
  // The editor is built once; these refs let its key handlers and picker see the latest props.
  const latest = useRef({ members, onSubmit, onCancel, onEmptyChange, onTooLong, onLinkRefused });
  latest.current = { members, onSubmit, onCancel, onEmptyChange, onTooLong, onLinkRefused };
  const [empty, setEmpty] = useState(true);
  const wasEmpty = useRef(true);

  const open = (href: string) => {
    void openLink(host, href).then((result) => {
      if (!result.opened) latest.current.onLinkRefused?.(result.reason);
    });
  };

  const editor = useEditor({
    extensions: [
      ...contentExtensions({
        collaborative: false,
        mention: { suggestion: mentionSuggestion(menu, () => latest.current.members), HTMLAttributes: { class: 'mention' } },
      }),
      Placeholder.configure({ placeholder }),
      TextLimit.configure({ maxChars: POST_LIMITS.maxTextChars, onRefused: (chars) => latest.current.onTooLong?.(chars) }),
      Extension.create({
        name: 'hearthComposerKeys',
        addKeyboardShortcuts: () => ({
          'Mod-Enter': () => {
            latest.current.onSubmit();
            return true;
          },
          Escape: () => {
            if (menu.open || !latest.current.onCancel) return false;
            latest.current.onCancel();
            return true;
          },
        }),
      }),
    ],
    // RichDoc is ProseMirror JSON with readonly arrays; the editor copies it and never writes to it.
    content: (initial as JSONContent | undefined) ?? '',
    autofocus: autoFocus ? 'end' : false,
    editorProps: {
      attributes: { 'aria-label': label, 'aria-multiline': 'true', role: 'textbox', class: 'rich-text compact-body' },
      handleClick: linkClickHandler(open),
    },
    onUpdate: ({ editor: current }) => {
      const nowEmpty = current.isEmpty;
      if (nowEmpty === wasEmpty.current) return;
      wasEmpty.current = nowEmpty;
      setEmpty(nowEmpty);
      latest.current.onEmptyChange?.(nowEmpty);
    },
  });

  useEffect(() => {
    if (initial) {
      wasEmpty.current = editor.isEmpty;
      setEmpty(editor.isEmpty);
      latest.current.onEmptyChange?.(editor.isEmpty);
    }
    // Only the first content counts; later drafts belong to the editor.
  }, [editor]);

  // The editor controls the picker's listbox only while it is shown: an aria-controls naming an id
  // that is not in the page is invalid ARIA. ProseMirror leaves attributes it was not given alone.
  // It starts without one; the store changes only while the member types, once the view is mounted.
  useEffect(() => {
    const unsubscribe = menu.subscribe(() => {
      if (menu.listShown) editor.view.dom.setAttribute('aria-controls', listId);
      else editor.view.dom.removeAttribute('aria-controls');
    });
    return () => {
      unsubscribe();
    };
  }, [editor, menu, listId]);

  useImperativeHandle(
    ref,
    () => ({
      getJSON: () => editor.getJSON(),
      isEmpty: () => editor.isEmpty,
      clear: () => {
        editor.commands.clearContent(true);
      },
      focus: () => {
        // Synchronously, unlike the focus command (next frame): keys typed right after Enter in a
        // title must land here, not in the title.
        editor.view.focus();
        editor.commands.setTextSelection(editor.state.doc.content.size);
      },
    }),
    [editor],
  );

  return (
    <div className={`compact-editor${empty ? ' is-empty' : ''}`}>
      <Toolbar editor={editor} variant="compact" onOpenLink={open} />
      <EditorContent editor={editor} />
      <MentionMenu store={menu} listId={listId} />
    </div>
  );
}
