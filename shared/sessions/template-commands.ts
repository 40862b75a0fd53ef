// The community's own session templates: saving an agenda as one, and deleting one. Hearth's built-in
// templates are code (templates.ts) and cannot be deleted.
import type * as Y from 'yjs';
import { checkActor, type Actor } from '../community/actor.js';
import { newId } from '../ids.js';
import { templatesMap } from './doc.js';
import { SESSION_LIMITS, TEMPLATE_RECORD_VERSION, templateItemSchema, templateNameSchema, type TemplateItem } from './schema.js';
import { CommandError, parse, transact } from '../doc/records.js';

export interface NewTemplate extends Actor {
  readonly name: string;
  readonly items: readonly TemplateItem[];
  readonly id?: string;
}

/** Saves an agenda as one of the community's own templates. */
export function saveTemplate(doc: Y.Doc, input: NewTemplate): string {
  checkActor(input);
  const name = parse(templateNameSchema, input.name);
  const items = input.items.map((item) => parse(templateItemSchema, item));
  if (items.length === 0) throw new CommandError('Add agenda items before saving it as a template.');
  if (items.length > SESSION_LIMITS.itemsPerSession)
    throw new CommandError(`A template holds up to ${SESSION_LIMITS.itemsPerSession} items.`);
  if (templatesMap(doc).size >= SESSION_LIMITS.templates)
    throw new CommandError(`A community keeps up to ${SESSION_LIMITS.templates} templates.`);
  const id = input.id ?? newId();
  transact(doc, () =>
    templatesMap(doc).set(id, { v: TEMPLATE_RECORD_VERSION, id, name, items, createdAt: input.now ?? Date.now(), createdBy: input.by }),
  );
  return id;
}

export function deleteTemplate(doc: Y.Doc, templateId: string): void {
  if (!templatesMap(doc).has(templateId)) throw new CommandError('That template no longer exists.');
  transact(doc, () => templatesMap(doc).delete(templateId));
}
