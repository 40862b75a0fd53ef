// Adds, changes or removes the link on the selected text. The address is checked with the same
// allowlist that opening uses, so a link that would never open is never made.
import { useEffect, useId, useRef, useState } from 'react';
import type { Editor } from '@tiptap/core';
import { checkExternalUrl } from '../../shared/links.js';
import { Dialog } from '../ui/Dialog.js';
import { normalizeHref } from './extensions.js';
import { DialogHeader } from '../ui/DialogHeader.js';
import { DialogFooter } from '../ui/DialogFooter.js';

export function LinkDialog({ editor, open, onClose }: { editor: Editor; open: boolean; onClose: () => void }) {
  const titleId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const existing = open ? ((editor.getAttributes('link').href as string | undefined) ?? '') : '';

  useEffect(() => {
    if (!open) return;
    setValue(existing);
    setError(null);
    requestAnimationFrame(() => inputRef.current?.select());
  }, [open, existing]);

  const save = () => {
    const trimmed = value.trim();
    if (trimmed === '') {
      editor.chain().focus().extendMarkRange('link').unsetLink().run();
      onClose();
      return;
    }
    const verdict = checkExternalUrl(normalizeHref(trimmed));
    if (!verdict.ok) {
      setError(verdict.reason);
      return;
    }
    const chain = editor.chain().focus().extendMarkRange('link');
    if (editor.state.selection.empty && !editor.isActive('link')) {
      chain.insertContent({ type: 'text', text: trimmed, marks: [{ type: 'link', attrs: { href: verdict.url } }] }).run();
    } else {
      chain.setLink({ href: verdict.url }).run();
    }
    onClose();
  };

  return (
    <Dialog open={open} onClose={onClose} labelledBy={titleId}>
      <form
        className="dialog-form"
        onSubmit={(event) => {
          event.preventDefault();
          save();
        }}
      >
        <DialogHeader
          titleId={titleId}
          title={existing ? 'Edit link' : 'Add a link'}
          lede="Web and e-mail links only. Leave it empty to remove the link."
        />
        <div className="field">
          <label htmlFor={`${titleId}-url`}>Address</label>
          <input
            ref={inputRef}
            id={`${titleId}-url`}
            className="input"
            value={value}
            placeholder="https://example.org"
            aria-invalid={error ? 'true' : 'false'}
            aria-describedby={error ? `${titleId}-error` : undefined}
            onChange={(event) => {
              setValue(event.target.value);
              setError(null);
            }}
          />
          {error ? (
            <span className="error-text" id={`${titleId}-error`} role="alert">
              {error}
            </span>
          ) : null}
        </div>
        <DialogFooter onCancel={onClose} actionLabel={value.trim() === '' && existing ? 'Remove link' : 'Save link'} />
      </form>
    </Dialog>
  );
}
