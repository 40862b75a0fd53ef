// Shows sanitized rich text (a post's body) as React elements: no HTML strings, no editor instance,
// links that open only through the host. Mentions show the member's current name.
import type { ReactNode } from 'react';
import type { RichMark, RichNode } from '../../shared/rich-text/rich-text.js';

export interface RichTextViewProps {
  readonly doc: RichNode;
  /** Current display names by member id; a mention of someone unknown keeps its stored label. */
  readonly names?: ReadonlyMap<string, string>;
  readonly onOpenLink: (href: string) => void;
  readonly className?: string;
}

export function RichTextView({ doc, names, onOpenLink, className }: RichTextViewProps) {
  const render = (node: RichNode, key: number): ReactNode => {
    const children = () => (node.content ?? []).map(render);
    switch (node.type) {
      case 'doc':
        return <>{children()}</>;
      case 'paragraph':
        return <p key={key}>{node.content?.length ? children() : <br />}</p>;
      case 'heading': {
        const level = typeof node.attrs?.level === 'number' ? node.attrs.level : 1;
        // Inside a post, headings sit below the page's own headings.
        const Tag = level <= 1 ? 'h3' : level === 2 ? 'h4' : 'h5';
        return <Tag key={key}>{children()}</Tag>;
      }
      case 'bulletList':
        return <ul key={key}>{children()}</ul>;
      case 'orderedList':
        return (
          <ol key={key} start={typeof node.attrs?.start === 'number' ? node.attrs.start : undefined}>
            {children()}
          </ol>
        );
      case 'listItem':
        return <li key={key}>{children()}</li>;
      case 'taskList':
        return (
          <ul key={key} data-type="taskList">
            {children()}
          </ul>
        );
      case 'taskItem':
        return (
          <li key={key} data-checked={node.attrs?.checked === true}>
            <input
              type="checkbox"
              checked={node.attrs?.checked === true}
              disabled
              aria-label={node.attrs?.checked === true ? 'Done' : 'Not done'}
            />
            <div>{children()}</div>
          </li>
        );
      case 'blockquote':
        return <blockquote key={key}>{children()}</blockquote>;
      case 'codeBlock':
        return (
          <pre key={key}>
            <code>{(node.content ?? []).map((child) => child.text ?? '').join('')}</code>
          </pre>
        );
      case 'horizontalRule':
        return <hr key={key} />;
      case 'hardBreak':
        return <br key={key} />;
      case 'mention': {
        const id = typeof node.attrs?.id === 'string' ? node.attrs.id : '';
        const label = names?.get(id) ?? (typeof node.attrs?.label === 'string' ? node.attrs.label : 'someone');
        return (
          <span key={key} className="mention" data-member-id={id}>
            @{label}
          </span>
        );
      }
      case 'text':
        return <Marked key={key} text={node.text ?? ''} marks={node.marks ?? []} onOpenLink={onOpenLink} />;
      default:
        return null;
    }
  };
  return <div className={`rich-text ${className ?? ''}`}>{render(doc, 0)}</div>;
}

function Marked({ text, marks, onOpenLink }: { text: string; marks: readonly RichMark[]; onOpenLink: (href: string) => void }) {
  let content: ReactNode = text;
  // Innermost first, so a link wraps the bold text inside it.
  for (const mark of marks) {
    switch (mark.type) {
      case 'bold':
        content = <strong>{content}</strong>;
        break;
      case 'italic':
        content = <em>{content}</em>;
        break;
      case 'strike':
        content = <s>{content}</s>;
        break;
      case 'underline':
        content = <u>{content}</u>;
        break;
      case 'code':
        content = <code>{content}</code>;
        break;
      case 'link': {
        const href = mark.attrs.href;
        content = (
          <a
            href={href}
            rel="noopener noreferrer nofollow"
            title={href}
            onClick={(event) => {
              event.preventDefault();
              onOpenLink(href);
            }}
          >
            {content}
          </a>
        );
        break;
      }
    }
  }
  return <>{content}</>;
}
