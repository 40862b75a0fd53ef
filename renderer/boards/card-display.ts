// How cards' details read on screen: label colours, due dates and their urgency.
import { colourOf } from '../ui/Avatar.js';

/** A label's colour comes from its text, so "urgent" looks the same on every card and every device. */
export function labelColour(label: string): string {
  return colourOf(`label:${label}`);
}

/** Today as YYYY-MM-DD in the member's own time zone (due dates are calendar days, not instants). */
export function today(now = new Date()): string {
  const month = String(now.getMonth() + 1).padStart(2, '0');
  const day = String(now.getDate()).padStart(2, '0');
  return `${now.getFullYear()}-${month}-${day}`;
}

export type DueState = 'overdue' | 'today' | 'soon' | 'later';

export function dueState(dueDate: string, now = new Date()): DueState {
  const current = today(now);
  if (dueDate < current) return 'overdue';
  if (dueDate === current) return 'today';
  const inThreeDays = today(new Date(now.getFullYear(), now.getMonth(), now.getDate() + 3));
  return dueDate <= inThreeDays ? 'soon' : 'later';
}

export function formatDue(dueDate: string, now = new Date()): string {
  const [year, month, day] = dueDate.split('-').map(Number);
  const date = new Date(year!, month! - 1, day!);
  return date.toLocaleDateString(undefined, { month: 'short', day: 'numeric', ...(year === now.getFullYear() ? {} : { year: 'numeric' }) });
}

export function dueLabel(dueDate: string, now = new Date()): string {
  const state = dueState(dueDate, now);
  const date = formatDue(dueDate, now);
  if (state === 'overdue') return `Overdue since ${date}`;
  if (state === 'today') return 'Due today';
  return `Due ${date}`;
}
