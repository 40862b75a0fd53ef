// The @mention picker: TipTap's suggestion plugin finds "@que…" as it is typed, this keeps the
// matching members in a tiny store, and MentionMenu shows them as a listbox under the caret.
// Arrow keys move, Enter or Tab picks, Escape closes; the mouse works too.
import { useSyncExternalStore } from 'react';
import type { MentionOptions } from '@tiptap/extension-mention';
import type { SuggestionKeyDownProps, SuggestionProps } from '@tiptap/suggestion';
import { Avatar } from '../ui/Avatar.js';

export interface MentionCandidate {
  readonly id: string;
  readonly label: string;
}

export interface MentionMenuState {
  readonly items: readonly MentionCandidate[];
  readonly selected: number;
  readonly rect: { readonly left: number; readonly top: number; readonly bottom: number } | null;
  readonly pick: (item: MentionCandidate) => void;
}

export class MentionMenuStore {
  private state: MentionMenuState | null = null;
  private readonly listeners = new Set<() => void>();

  readonly subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly get = () => this.state;

  set(next: MentionMenuState | null): void {
    this.state = next;
    for (const listener of this.listeners) listener();
  }

  get open(): boolean {
    return this.state !== null && this.state.items.length > 0;
  }

  /** Whether MentionMenu is showing its listbox (what an aria-controls may point at). */
  get listShown(): boolean {
    return this.open && this.state?.rect != null;
  }
}

const MAX_SHOWN = 6;

/** Case and accents do not matter when looking for a name ("gra" finds "Åsa Grå"). */
const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();

/** Members whose name matches the query: those it starts with first, then those containing it. */
export function matchMembers(candidates: readonly MentionCandidate[], query: string): MentionCandidate[] {
  const q = fold(query.trim());
  const starts = candidates.filter((candidate) => fold(candidate.label).startsWith(q));
  const contains = candidates.filter((candidate) => !starts.includes(candidate) && fold(candidate.label).includes(q));
  return [...starts, ...contains].slice(0, MAX_SHOWN);
}

/** The suggestion settings for TipTap's Mention extension, wired to `store`. */
export function mentionSuggestion(
  store: MentionMenuStore,
  candidates: () => readonly MentionCandidate[],
): Partial<MentionOptions>['suggestion'] {
  const show = (props: SuggestionProps<MentionCandidate, MentionCandidate>, selected: number) => {
    const rect = props.clientRect?.() ?? null;
    store.set({
      items: props.items,
      selected: Math.min(selected, Math.max(0, props.items.length - 1)),
      rect: rect ? { left: rect.left, top: rect.top, bottom: rect.bottom } : null,
      pick: (item) => props.command(item),
    });
  };
  return {
    char: '@',
    items: ({ query }) => matchMembers(candidates(), query),
    render: () => ({
      onStart: (props) => show(props, 0),
      onUpdate: (props) => show(props, store.get()?.selected ?? 0),
      onKeyDown: ({ event }: SuggestionKeyDownProps) => {
        const state = store.get();
        if (!state || state.items.length === 0) return false;
        if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
          const step = event.key === 'ArrowDown' ? 1 : -1;
          store.set({ ...state, selected: (state.selected + step + state.items.length) % state.items.length });
          return true;
        }
        if (event.key === 'Enter' || event.key === 'Tab') {
          state.pick(state.items[state.selected]!);
          return true;
        }
        if (event.key === 'Escape') {
          store.set(null);
          return true;
        }
        return false;
      },
      onExit: () => store.set(null),
    }),
  };
}

export function MentionMenu({ store, listId }: { store: MentionMenuStore; listId: string }) {
  const state = useSyncExternalStore(store.subscribe, store.get);
  // Keep in step with MentionMenuStore.listShown.
  if (!state || !state.rect) return null;
  return (
    <div className="mention-menu" style={{ left: state.rect.left, top: state.rect.bottom + 6 }}>
      {state.items.length === 0 ? (
        <div className="mention-empty">No member by that name</div>
      ) : (
        <ul role="listbox" id={listId} aria-label="Mention a member">
          {state.items.map((item, index) => (
            <li
              key={item.id}
              role="option"
              aria-selected={index === state.selected}
              className="mention-option"
              // Keep focus in the editor, so picking does not lose the caret.
              onMouseDown={(event) => {
                event.preventDefault();
                state.pick(item);
              }}
            >
              <Avatar id={item.id} name={item.label} size="sm" />
              <span>{item.label}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
