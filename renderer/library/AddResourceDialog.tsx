// "Add to the library": a link, a file or a how-to, with tags. Each field says what is wrong with it
// in words (a `javascript:` link, a file over 25 MB, an empty title) before anything is saved.
import { useId, useRef, useState, type DragEvent, type FormEvent, type ReactNode } from 'react';
import { FileUp } from 'lucide-react';
import type * as Y from 'yjs';
import { FileRefused, checkFileSize, storeFile, type BlobStore } from '../../shared/library/blobs.js';
import { addFile, addHowTo, addLink, parseTags } from '../../shared/library/commands.js';
import { errorMessage } from '../../shared/errors.js';
import {
  LIBRARY_LIMITS,
  MAX_FILE_BYTES,
  formatBytes,
  howToBodySchema,
  resourceDescriptionSchema,
  resourceTitleSchema,
  resourceUrlSchema,
  type ResourceKind,
} from '../../shared/library/schema.js';
import { Dialog } from '../ui/Dialog.js';
import { DialogHeader } from '../ui/DialogHeader.js';
import { DialogFooter } from '../ui/DialogFooter.js';

const HEADINGS = {
  link: { title: 'Add a link', intro: 'A page, a video or a tool worth sharing. Only web and e-mail links are accepted.' },
  file: {
    title: 'Add a file',
    intro: `Slides, a template, a recording: up to ${formatBytes(MAX_FILE_BYTES)}. It is kept on this device and shared with members from here.`,
  },
  howto: { title: 'Add a how-to', intro: 'A short tip or recipe in your own words: the steps someone needs to get it done.' },
} as const satisfies Record<ResourceKind, { title: string; intro: string }>;

export function AddResourceDialog({
  kind,
  doc,
  blobs,
  memberId,
  onClose,
  onAdded,
}: {
  kind: ResourceKind | null;
  doc: Y.Doc;
  blobs: BlobStore;
  memberId: string;
  onClose: () => void;
  onAdded: (resourceId: string) => void;
}) {
  const titleId = useId();
  return (
    <Dialog open={kind !== null} onClose={onClose} labelledBy={titleId}>
      {kind ? (
        <AddResourceForm
          key={kind}
          kind={kind}
          titleId={titleId}
          doc={doc}
          blobs={blobs}
          memberId={memberId}
          onClose={onClose}
          onAdded={onAdded}
        />
      ) : null}
    </Dialog>
  );
}

type Errors = Partial<Record<'url' | 'title' | 'description' | 'body' | 'file' | 'tags' | 'form', string>>;

function firstIssue(result: { success: boolean; error?: { issues: readonly { message: string }[] } }): string | undefined {
  return result.success ? undefined : (result.error?.issues[0]?.message ?? 'Check this field.');
}

function AddResourceForm({
  kind,
  titleId,
  doc,
  blobs,
  memberId,
  onClose,
  onAdded,
}: {
  kind: ResourceKind;
  titleId: string;
  doc: Y.Doc;
  blobs: BlobStore;
  memberId: string;
  onClose: () => void;
  onAdded: (resourceId: string) => void;
}) {
  const [url, setUrl] = useState('');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [body, setBody] = useState('');
  const [tags, setTags] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);

  function validate(): Errors {
    const found: Errors = {};
    if (kind === 'link') found.url = firstIssue(resourceUrlSchema.safeParse(url));
    if (kind === 'howto' || title.trim()) found.title = firstIssue(resourceTitleSchema.safeParse(title));
    found.description = firstIssue(resourceDescriptionSchema.safeParse(description));
    if (kind === 'howto') found.body = firstIssue(howToBodySchema.safeParse(body));
    if (kind === 'file') found.file = file ? (checkFileSize(file.name, file.size) ?? undefined) : 'Choose a file to add.';
    try {
      parseTags(splitTags(tags));
    } catch (error) {
      found.tags = errorMessage(error);
    }
    return Object.fromEntries(Object.entries(found).filter(([, value]) => value !== undefined));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = validate();
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const common = { by: memberId, title, description, tags: splitTags(tags) };
      let id: string;
      if (kind === 'link') id = addLink(doc, { ...common, url });
      else if (kind === 'howto') id = addHowTo(doc, { ...common, body });
      else {
        const chosen = file!;
        const info = await storeFile(blobs, { name: chosen.name, type: chosen.type, bytes: new Uint8Array(await chosen.arrayBuffer()) });
        id = addFile(doc, { ...common, file: info });
      }
      onAdded(id);
    } catch (error) {
      const message = errorMessage(error);
      setErrors(error instanceof FileRefused ? { file: message } : { form: message });
      setBusy(false);
    }
  }

  const heading = HEADINGS[kind];
  return (
    <form className="dialog-form" onSubmit={submit} noValidate>
      <DialogHeader titleId={titleId} title={heading.title} lede={heading.intro} onClose={onClose} />

      {kind === 'link' ? (
        <Field label="Link" error={errors.url}>
          {(props) => (
            <input
              {...props}
              className="input"
              type="url"
              inputMode="url"
              autoFocus
              placeholder="https://…"
              value={url}
              onChange={(event) => {
                setUrl(event.target.value);
                setErrors(({ url: _url, ...rest }) => rest);
              }}
            />
          )}
        </Field>
      ) : null}

      {kind === 'file' ? (
        <FilePicker
          file={file}
          error={errors.file}
          onChoose={(chosen) => {
            setFile(chosen);
            // Said at once, before the member fills in the rest: a file over the limit is never read.
            const refusal = chosen ? checkFileSize(chosen.name, chosen.size) : null;
            setErrors(({ file: _file, ...rest }) => (refusal ? { ...rest, file: refusal } : rest));
          }}
        />
      ) : null}

      <Field
        label="Title"
        hint={kind === 'howto' ? undefined : kind === 'link' ? 'Optional: the address stands in.' : 'Optional: the file’s name stands in.'}
        error={errors.title}
      >
        {(props) => (
          <input
            {...props}
            className="input"
            autoFocus={kind === 'howto'}
            maxLength={LIBRARY_LIMITS.titleChars + 20}
            placeholder={kind === 'howto' ? 'e.g. Stretching watercolour paper' : undefined}
            value={title}
            onChange={(event) => {
              setTitle(event.target.value);
              setErrors(({ title: _title, ...rest }) => rest);
            }}
          />
        )}
      </Field>

      {kind === 'howto' ? (
        <Field label="How to do it" error={errors.body}>
          {(props) => (
            <textarea
              {...props}
              className="textarea"
              rows={6}
              maxLength={LIBRARY_LIMITS.howToChars + 100}
              placeholder={'1. Soak the sheet for five minutes\n2. Tape it down on a board\n3. Let it dry flat overnight'}
              value={body}
              onChange={(event) => {
                setBody(event.target.value);
                setErrors(({ body: _body, ...rest }) => rest);
              }}
            />
          )}
        </Field>
      ) : (
        <Field label="Description" hint="Optional: why it is worth a look." error={errors.description}>
          {(props) => (
            <textarea
              {...props}
              className="textarea"
              rows={2}
              maxLength={LIBRARY_LIMITS.descriptionChars + 100}
              value={description}
              onChange={(event) => {
                setDescription(event.target.value);
                setErrors(({ description: _description, ...rest }) => rest);
              }}
            />
          )}
        </Field>
      )}

      <Field label="Tags" hint="Optional, separated by commas: e.g. beginner, watercolour." error={errors.tags}>
        {(props) => (
          <input
            {...props}
            className="input"
            value={tags}
            onChange={(event) => {
              setTags(event.target.value);
              setErrors(({ tags: _tags, ...rest }) => rest);
            }}
          />
        )}
      </Field>

      {errors.form ? (
        <p className="banner danger" role="alert">
          Could not add it: {errors.form}
        </p>
      ) : null}
      <DialogFooter onCancel={onClose} actionLabel={busy ? 'Adding…' : 'Add to library'} actionDisabled={busy} />
    </form>
  );
}

export function splitTags(text: string): string[] {
  return text
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag.length > 0);
}

interface FieldInputProps {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby'?: string;
}

function Field({
  label,
  hint,
  error,
  children,
}: {
  label: string;
  hint?: string;
  error?: string;
  children: (props: FieldInputProps) => ReactNode;
}) {
  const id = useId();
  const noteId = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': error !== undefined, ...(error || hint ? { 'aria-describedby': noteId } : {}) })}
      {error ? (
        <span className="error-text" id={noteId} role="alert">
          {error}
        </span>
      ) : hint ? (
        <span className="hint" id={noteId}>
          {hint}
        </span>
      ) : null}
    </div>
  );
}

function FilePicker({ file, error, onChoose }: { file: File | null; error?: string; onChoose: (file: File | null) => void }) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const id = useId();
  const noteId = useId();
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const dropped = event.dataTransfer.files[0];
    if (dropped) onChoose(dropped);
  };
  return (
    <div className="field">
      <label htmlFor={id}>File</label>
      <div
        className={`file-drop${dragging ? ' dragging' : ''}${error ? ' invalid' : ''}`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <FileUp size={22} aria-hidden="true" />
        {file ? (
          <span className="file-chosen">
            <strong>{file.name}</strong> <span className="muted">{formatBytes(file.size)}</span>
          </span>
        ) : (
          <span className="muted">Drop a file here, or</span>
        )}
        <button type="button" className="button small" onClick={() => inputRef.current?.click()}>
          {file ? 'Choose another' : 'Choose a file'}
        </button>
        <input
          ref={inputRef}
          id={id}
          type="file"
          className="visually-hidden"
          aria-invalid={error !== undefined}
          aria-describedby={noteId}
          onChange={(event) => onChoose(event.target.files?.[0] ?? null)}
        />
      </div>
      {error ? (
        <span className="error-text" id={noteId} role="alert">
          {error}
        </span>
      ) : (
        <span className="hint" id={noteId}>
          Up to {formatBytes(MAX_FILE_BYTES)}.
        </span>
      )}
    </div>
  );
}
