// The agendas a session can start from: Hearth's own templates, and how a template (built in or saved
// by the community) turns into agenda items.
import type { AgendaKind, TemplateItem } from './schema.js';
import { SESSION_LIMITS } from './schema.js';

export interface SessionTemplate {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly items: readonly TemplateItem[];
  /** Built-in templates are not stored in the document; saved ones are. */
  readonly builtIn: boolean;
}

export interface HotSeatOptions {
  /** How many hot seats (one agenda item each). */
  readonly seats: number;
  /** Minutes each. */
  readonly minutes: number;
}

export const DEFAULT_HOT_SEATS: HotSeatOptions = { seats: 3, minutes: 15 };

const item = (title: string, kind: AgendaKind, minutes: number): TemplateItem => ({ title, kind, minutes });

/** Ids of the built-in templates; they cannot collide with stored ones (those are random, 16 chars). */
export const BUILT_IN_TEMPLATES: readonly SessionTemplate[] = [
  {
    id: 'mastermind',
    name: 'Mastermind hot seat',
    description: 'A check-in round, a hot seat for each member in turn, and a round of commitments.',
    builtIn: true,
    items: [
      item('Check-in round', 'checkIn', 10),
      item('Hot seat', 'hotSeat', DEFAULT_HOT_SEATS.minutes),
      item('Commitments round', 'commitments', 10),
    ],
  },
  {
    id: 'coaching',
    name: 'Group coaching',
    description: 'Teach one idea, practise it together, then open questions.',
    builtIn: true,
    items: [item('Teach', 'topic', 20), item('Practise', 'topic', 25), item('Q&A', 'topic', 15)],
  },
  {
    id: 'workshop',
    name: 'Workshop',
    description: 'Goals, input, hands-on work in small groups, share-back and wrap-up.',
    builtIn: true,
    items: [
      item('Welcome and goals', 'topic', 10),
      item('Input', 'topic', 20),
      item('Hands-on work', 'topic', 40),
      item('Share-back', 'topic', 20),
      item('Wrap-up and commitments', 'commitments', 10),
    ],
  },
  { id: 'blank', name: 'Blank', description: 'An empty agenda to fill in yourself.', builtIn: true, items: [] },
];

export function builtInTemplate(id: string): SessionTemplate | undefined {
  return BUILT_IN_TEMPLATES.find((template) => template.id === id);
}

export function hasHotSeats(items: readonly TemplateItem[]): boolean {
  return items.some((entry) => entry.kind === 'hotSeat');
}

/**
 * A template's items as a session's agenda: a template's hot-seat item stands for "the hot seats", and
 * becomes `seats` items of `minutes` each, numbered when there is more than one.
 */
export function expandTemplate(items: readonly TemplateItem[], hotSeats: HotSeatOptions = DEFAULT_HOT_SEATS): TemplateItem[] {
  const seats = Math.max(0, Math.min(SESSION_LIMITS.hotSeats, Math.trunc(hotSeats.seats)));
  const agenda: TemplateItem[] = [];
  let expandedHotSeats = false;
  for (const entry of items) {
    if (entry.kind !== 'hotSeat') {
      agenda.push(entry);
    } else if (!expandedHotSeats) {
      // Several hot-seat items in a saved template are the seats of a session saved as a template:
      // they collapse into one run of `seats`.
      expandedHotSeats = true;
      for (let seat = 1; seat <= seats; seat += 1)
        agenda.push({ title: seats === 1 ? 'Hot seat' : `Hot seat ${seat}`, kind: 'hotSeat', minutes: hotSeats.minutes });
    }
  }
  return agenda;
}
