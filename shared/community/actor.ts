// Who makes a change and when: every content command takes one, so records say who wrote or edited
// them. `now` is for tests and imports; the app lets it default to the clock.
import { CommandError } from '../doc/records.js';
import { ID_PATTERN } from '../ids.js';

export interface Actor {
  /** The member's id. */
  readonly by: string;
  readonly now?: number;
}

export function checkActor(actor: Actor): void {
  if (typeof actor.by !== 'string' || !ID_PATTERN.test(actor.by)) throw new CommandError('Changes need a member to make them.');
}
