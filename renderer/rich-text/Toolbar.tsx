// The formatting toolbar over a rich-text editor. Every button has an accessible name and says
// whether its format is on (aria-pressed); the full variant serves notes, the compact one posts.
import { useState, type ReactNode } from 'react';
import type { Editor } from '@tiptap/core';
import { useEditorState } from '@tiptap/react';
import {
  Bold,
  Code,
  ExternalLink,
  Heading1,
  Heading2,
  Heading3,
  Italic,
  Link,
  List,
  ListChecks,
  ListOrdered,
  Minus,
  Quote,
  Redo2,
  SquareCode,
  Strikethrough,
  Undo2,
} from 'lucide-react';
import { LinkDialog } from './LinkDialog.js';

const MOD = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl+';

interface ToolbarState {
  readonly bold: boolean;
  readonly italic: boolean;
  readonly strike: boolean;
  readonly code: boolean;
  readonly heading1: boolean;
  readonly heading2: boolean;
  readonly heading3: boolean;
  readonly bulletList: boolean;
  readonly orderedList: boolean;
  readonly taskList: boolean;
  readonly blockquote: boolean;
  readonly codeBlock: boolean;
  readonly link: boolean;
  readonly href: string | null;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
}

export function Toolbar({
  editor,
  variant,
  onOpenLink,
}: {
  editor: Editor;
  variant: 'full' | 'compact';
  onOpenLink: (href: string) => void;
}) {
  const [linkOpen, setLinkOpen] = useState(false);
  const state = useEditorState<ToolbarState>({
    editor,
    selector: ({ editor: current }) => ({
      bold: current.isActive('bold'),
      italic: current.isActive('italic'),
      strike: current.isActive('strike'),
      code: current.isActive('code'),
      heading1: current.isActive('heading', { level: 1 }),
      heading2: current.isActive('heading', { level: 2 }),
      heading3: current.isActive('heading', { level: 3 }),
      bulletList: current.isActive('bulletList'),
      orderedList: current.isActive('orderedList'),
      taskList: current.isActive('taskList'),
      blockquote: current.isActive('blockquote'),
      codeBlock: current.isActive('codeBlock'),
      link: current.isActive('link'),
      href: (current.getAttributes('link').href as string | undefined) ?? null,
      canUndo: current.can().undo(),
      canRedo: current.can().redo(),
    }),
  });
  const chain = () => editor.chain().focus();

  return (
    <div className={`rt-toolbar ${variant}`} role="toolbar" aria-label="Formatting">
      {variant === 'full' ? (
        <Group>
          <ToolButton
            label="Heading 1"
            pressed={state.heading1}
            onClick={() => chain().toggleHeading({ level: 1 }).run()}
            icon={<Heading1 />}
          />
          <ToolButton
            label="Heading 2"
            pressed={state.heading2}
            onClick={() => chain().toggleHeading({ level: 2 }).run()}
            icon={<Heading2 />}
          />
          <ToolButton
            label="Heading 3"
            pressed={state.heading3}
            onClick={() => chain().toggleHeading({ level: 3 }).run()}
            icon={<Heading3 />}
          />
        </Group>
      ) : null}
      <Group>
        <ToolButton label="Bold" shortcut={`${MOD}B`} pressed={state.bold} onClick={() => chain().toggleBold().run()} icon={<Bold />} />
        <ToolButton
          label="Italic"
          shortcut={`${MOD}I`}
          pressed={state.italic}
          onClick={() => chain().toggleItalic().run()}
          icon={<Italic />}
        />
        <ToolButton label="Strikethrough" pressed={state.strike} onClick={() => chain().toggleStrike().run()} icon={<Strikethrough />} />
        <ToolButton
          label="Inline code"
          shortcut={`${MOD}E`}
          pressed={state.code}
          onClick={() => chain().toggleCode().run()}
          icon={<Code />}
        />
      </Group>
      <Group>
        <ToolButton label="Bulleted list" pressed={state.bulletList} onClick={() => chain().toggleBulletList().run()} icon={<List />} />
        <ToolButton
          label="Numbered list"
          pressed={state.orderedList}
          onClick={() => chain().toggleOrderedList().run()}
          icon={<ListOrdered />}
        />
        {variant === 'full' ? (
          <ToolButton label="Checklist" pressed={state.taskList} onClick={() => chain().toggleTaskList().run()} icon={<ListChecks />} />
        ) : null}
      </Group>
      <Group>
        <ToolButton label="Quote" pressed={state.blockquote} onClick={() => chain().toggleBlockquote().run()} icon={<Quote />} />
        <ToolButton label="Code block" pressed={state.codeBlock} onClick={() => chain().toggleCodeBlock().run()} icon={<SquareCode />} />
        {variant === 'full' ? <ToolButton label="Divider" onClick={() => chain().setHorizontalRule().run()} icon={<Minus />} /> : null}
      </Group>
      <Group>
        <ToolButton label={state.link ? 'Edit link' : 'Add link'} pressed={state.link} onClick={() => setLinkOpen(true)} icon={<Link />} />
        {state.link && state.href ? <ToolButton label="Open link" onClick={() => onOpenLink(state.href!)} icon={<ExternalLink />} /> : null}
      </Group>
      {variant === 'full' ? (
        <Group last>
          <ToolButton label="Undo" shortcut={`${MOD}Z`} disabled={!state.canUndo} onClick={() => chain().undo().run()} icon={<Undo2 />} />
          <ToolButton
            label="Redo"
            shortcut={`${MOD}Shift+Z`}
            disabled={!state.canRedo}
            onClick={() => chain().redo().run()}
            icon={<Redo2 />}
          />
        </Group>
      ) : null}
      <LinkDialog editor={editor} open={linkOpen} onClose={() => setLinkOpen(false)} />
    </div>
  );
}

function Group({ children, last = false }: { children: ReactNode; last?: boolean }) {
  return <div className={`rt-group${last ? ' last' : ''}`}>{children}</div>;
}

function ToolButton({
  label,
  shortcut,
  pressed,
  disabled = false,
  onClick,
  icon,
}: {
  label: string;
  shortcut?: string;
  pressed?: boolean;
  disabled?: boolean;
  onClick: () => void;
  icon: ReactNode;
}) {
  return (
    <button
      type="button"
      className="rt-button"
      aria-label={label}
      aria-pressed={pressed}
      title={shortcut ? `${label} (${shortcut})` : label}
      disabled={disabled}
      // Keep the editor's selection: a mousedown on a button would otherwise move focus away first.
      onMouseDown={(event) => event.preventDefault()}
      onClick={onClick}
    >
      <span aria-hidden="true">{icon}</span>
    </button>
  );
}
