import { useMemo, useState } from 'react';
import type { BoardView, CardView } from './boardEvents';
import { addMonths, monthGrid, monthOf, type Month } from './calendar';
import { todayIso } from '../task/format';

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** Tasks on a month calendar by due date; tasks without one are listed beside it. */
export function CalendarView({ board, visible, onOpenTask }: { board: BoardView; visible: (card: CardView) => boolean; onOpenTask: (id: string) => void }) {
  const today = todayIso();
  const [month, setMonth] = useState<Month>(() => monthOf(today));
  const weeks = useMemo(() => monthGrid(month), [month]);

  const { byDate, undated } = useMemo(() => {
    const byDate = new Map<string, CardView[]>();
    const undated: CardView[] = [];
    for (const column of board.columns) {
      for (const card of column.tasks.nodes) {
        if (!visible(card)) continue;
        if (!card.dueDate) undated.push(card);
        else byDate.set(card.dueDate, [...(byDate.get(card.dueDate) ?? []), card]);
      }
    }
    return { byDate, undated };
  }, [board, visible]);

  const title = new Date(month.year, month.month, 1).toLocaleDateString(undefined, { month: 'long', year: 'numeric' });
  const inMonth = (iso: string) => monthOf(iso).month === month.month;

  return (
    <div className="calendar-view" data-testid="calendar-view">
      <div className="calendar-nav row">
        <button aria-label="Previous month" onClick={() => setMonth((m) => addMonths(m, -1))}>
          ‹
        </button>
        <h2>{title}</h2>
        <button aria-label="Next month" onClick={() => setMonth((m) => addMonths(m, 1))}>
          ›
        </button>
        <button className="ghost small" onClick={() => setMonth(monthOf(today))}>
          Today
        </button>
      </div>
      <div className="calendar-layout">
        <div className="calendar-grid" role="grid" aria-label={title}>
          {WEEKDAYS.map((d) => (
            <div key={d} className="weekday" role="columnheader">
              {d}
            </div>
          ))}
          {weeks.flat().map((iso) => (
            <div key={iso} role="gridcell" className={`day${inMonth(iso) ? '' : ' other-month'}${iso === today ? ' today' : ''}`} aria-label={iso}>
              <span className="day-number">{Number(iso.slice(8))}</span>
              {(byDate.get(iso) ?? []).map((card) => (
                <button key={card.id} className={`calendar-task${card.completedAt ? ' card-done' : ''}`} onClick={() => onOpenTask(card.id)} title={card.title}>
                  #{card.number} {card.title}
                </button>
              ))}
            </div>
          ))}
        </div>
        <aside className="undated">
          <h3>No due date ({undated.length})</h3>
          {undated.map((card) => (
            <button key={card.id} className="calendar-task" onClick={() => onOpenTask(card.id)}>
              #{card.number} {card.title}
            </button>
          ))}
        </aside>
      </div>
    </div>
  );
}
