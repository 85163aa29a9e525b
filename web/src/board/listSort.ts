// Sorting the List view. Empty values (no assignee, no due date) always sort last.

import type { CardView } from './boardEvents';
import { PRIORITY_RANK } from '../task/format';

export type SortKey = 'number' | 'title' | 'column' | 'assignee' | 'priority' | 'due';
export interface Sort {
  key: SortKey;
  dir: 'asc' | 'desc';
}

export interface ListRow {
  card: CardView;
  columnName: string;
  columnIndex: number;
}

export function sortRows(rows: readonly ListRow[], sort: Sort): ListRow[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  const text = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: 'base', numeric: true });
  const compare = (a: ListRow, b: ListRow): number => {
    switch (sort.key) {
      case 'number':
        return sign * (a.card.number - b.card.number);
      case 'title':
        return sign * text(a.card.title, b.card.title);
      case 'column':
        return sign * (a.columnIndex - b.columnIndex);
      case 'priority':
        return sign * (PRIORITY_RANK[a.card.priority] - PRIORITY_RANK[b.card.priority]);
      case 'assignee':
        return emptyLast(a.card.assignee?.handle, b.card.assignee?.handle, (x, y) => sign * text(x, y));
      case 'due':
        return emptyLast(a.card.dueDate, b.card.dueDate, (x, y) => sign * x.localeCompare(y));
    }
  };
  // Ties keep task-number order, so the list never shuffles as live changes arrive.
  return [...rows].sort((a, b) => compare(a, b) || a.card.number - b.card.number);
}

function emptyLast<T>(a: T | null | undefined, b: T | null | undefined, f: (a: T, b: T) => number): number {
  if (a == null && b == null) return 0;
  if (a == null) return 1;
  if (b == null) return -1;
  return f(a, b);
}
