// Keeps a body from growing past its size limit while it is typed or pasted into, and says so. Only
// local edits are filtered: refusing a change that came through Yjs would split the editor from the
// document.
import { Extension } from '@tiptap/core';
import { isChangeOrigin } from '@tiptap/extension-collaboration';
import { Plugin, PluginKey } from '@tiptap/pm/state';

export interface TextLimitOptions {
  readonly maxChars: number;
  /** Called with the size the refused change would have made. */
  readonly onRefused: (chars: number) => void;
}

export const TextLimit = Extension.create<TextLimitOptions>({
  name: 'hearthTextLimit',
  addOptions() {
    return { maxChars: Number.POSITIVE_INFINITY, onRefused: () => undefined };
  },
  addProseMirrorPlugins() {
    const { maxChars, onRefused } = this.options;
    return [
      new Plugin({
        key: new PluginKey('hearthTextLimit'),
        filterTransaction: (transaction, state) => {
          if (!transaction.docChanged || isChangeOrigin(transaction)) return true;
          // The document's size counts every character plus node boundaries, so below the limit
          // there is nothing to count.
          if (transaction.doc.content.size <= maxChars) return true;
          const after = transaction.doc.textContent.length;
          if (after <= maxChars || after <= state.doc.textContent.length) return true;
          onRefused(after);
          return false;
        },
      }),
    ];
  },
});
