// A post's reactions: one chip per emoji with its count (pressed when this member reacted), and a
// small palette to add one. Clicking a chip adds or takes back this member's reaction.
import { useEffect, useRef, useState } from 'react';
import { SmilePlus } from 'lucide-react';
import type { ReactionSummary } from '../../shared/threads/queries.js';
import { QUICK_REACTIONS } from '../../shared/threads/schema.js';

export function ReactionBar({
  reactions,
  me,
  nameOf,
  onToggle,
}: {
  reactions: readonly ReactionSummary[];
  me: string;
  nameOf: (memberId: string) => string;
  onToggle: (emoji: string) => void;
}) {
  const [palette, setPalette] = useState(false);
  const wrapper = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!palette) return;
    const close = (event: MouseEvent) => {
      if (!wrapper.current?.contains(event.target as Node)) setPalette(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [palette]);

  return (
    <div className="reactions" ref={wrapper}>
      {reactions.map((reaction) => {
        const mine = reaction.memberIds.includes(me);
        const who = reaction.memberIds.map((id) => (id === me ? 'you' : nameOf(id))).join(', ');
        return (
          <button
            key={reaction.emoji}
            type="button"
            className="reaction"
            aria-pressed={mine}
            aria-label={`${reaction.emoji} ${reaction.memberIds.length} (${who})`}
            title={`${who} reacted with ${reaction.emoji}`}
            onClick={() => onToggle(reaction.emoji)}
          >
            <span aria-hidden="true">{reaction.emoji}</span>
            <span className="reaction-count" aria-hidden="true">
              {reaction.memberIds.length}
            </span>
          </button>
        );
      })}
      <div className="reaction-add-wrap">
        <button
          type="button"
          className="reaction add"
          aria-label="Add reaction"
          aria-expanded={palette}
          title="Add reaction"
          onClick={() => setPalette((open) => !open)}
        >
          <SmilePlus size={16} aria-hidden="true" />
        </button>
        {palette ? (
          <div
            className="reaction-palette"
            role="group"
            aria-label="Reactions"
            onKeyDown={(event) => {
              if (event.key === 'Escape') {
                event.stopPropagation();
                event.preventDefault();
                setPalette(false);
              }
            }}
          >
            {QUICK_REACTIONS.map((emoji, index) => (
              <button
                key={emoji}
                type="button"
                className="palette-emoji"
                aria-label={`React with ${emoji}`}
                autoFocus={index === 0}
                onClick={() => {
                  onToggle(emoji);
                  setPalette(false);
                }}
              >
                {emoji}
              </button>
            ))}
          </div>
        ) : null}
      </div>
    </div>
  );
}
