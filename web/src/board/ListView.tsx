import { useMemo, useState } from 'react';
import type { BoardView, CardView } from './boardEvents';
import { sortRows, type ListRow, type Sort, type SortKey } from './listSort';
import { Avatar } from '../ui/Avatar';
import { LabelChip } from '../task/LabelChip';
import { PRIORITY_LABEL, formatDue, isOverdue } from '../task/format';

const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'number', label: '#' },
  { key: 'title', label: 'Title' },
  { key: 'column', label: 'Column' },
  { key: 'assignee', label: 'Assignee' },
  { key: 'priority', label: 'Priority' },
  { key: 'due', label: 'Due' },
];

/** Every task of the board as a sortable table. */
export function ListView({ board, visible, onOpenTask }: { board: BoardView; visible: (card: CardView) => boolean; onOpenTask: (id: string) => void }) {
  const [sort, setSort] = useState<Sort>({ key: 'number', dir: 'asc' });
  const rows = useMemo(() => {
    const all: ListRow[] = board.columns.flatMap((column, columnIndex) =>
      column.tasks.nodes.filter(visible).map((card) => ({ card, columnName: column.name, columnIndex })),
    );
    return sortRows(all, sort);
  }, [board, visible, sort]);

  const toggle = (key: SortKey) => setSort((s) => (s.key === key ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: 'asc' }));

  return (
    <div className="list-view" data-testid="list-view">
      <table>
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th key={c.key} aria-sort={sort.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
                <button className="sort" onClick={() => toggle(c.key)}>
                  {c.label}
                  {sort.key === c.key ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                </button>
              </th>
            ))}
            <th>Labels</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ card, columnName }) => (
            <tr key={card.id} tabIndex={0} onClick={() => onOpenTask(card.id)} onKeyDown={(e) => e.key === 'Enter' && onOpenTask(card.id)} data-testid="list-row">
              <td className="card-number">#{card.number}</td>
              <td className="title-cell">{card.title}</td>
              <td>{columnName}</td>
              <td>{card.assignee ? <span className="row"><Avatar user={card.assignee} size={20} /> @{card.assignee.handle}</span> : <span className="muted">—</span>}</td>
              <td>{card.priority === 'NONE' ? <span className="muted">—</span> : <span className={`priority priority-${card.priority.toLowerCase()}`}>{PRIORITY_LABEL[card.priority]}</span>}</td>
              <td className={isOverdue(card.dueDate, card.completedAt) ? 'due-overdue' : ''}>{card.dueDate ? formatDue(card.dueDate) : <span className="muted">—</span>}</td>
              <td>
                <span className="row wrap">
                  {card.labels.map((l) => (
                    <LabelChip key={l.id} label={l} />
                  ))}
                </span>
              </td>
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              <td colSpan={7} className="muted center">
                No tasks.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
