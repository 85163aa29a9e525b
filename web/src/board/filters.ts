// Which cards a person sees under the board's search and filters. Assignee and label filters
// apply locally (instantly, and to cards that arrive live); text also matches descriptions
// through the server's search, whose matching ids come in as `textMatches`.

import type { CardView } from './boardEvents';

export interface TaskFilterState {
  text: string;
  /** A user id, 'none' for unassigned, or '' for anyone. */
  assignee: string;
  /** Label ids a card must all carry. */
  labels: string[];
}

export const NO_FILTER: TaskFilterState = { text: '', assignee: '', labels: [] };

export function isFiltering(filter: TaskFilterState): boolean {
  return filter.text.trim() !== '' || filter.assignee !== '' || filter.labels.length > 0;
}

export function cardMatches(card: CardView, filter: TaskFilterState, textMatches: ReadonlySet<string> | null): boolean {
  if (filter.assignee === 'none' ? card.assignee !== null : filter.assignee !== '' && card.assignee?.id !== filter.assignee) {
    return false;
  }
  if (filter.labels.some((id) => !card.labels.some((l) => l.id === id))) return false;
  const text = filter.text.trim().toLowerCase();
  if (text) {
    const local = card.title.toLowerCase().includes(text) || `#${card.number}` === text || String(card.number) === text;
    if (!local && !textMatches?.has(card.id)) return false;
  }
  return true;
}
