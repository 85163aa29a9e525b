import type { BoardView } from './boardEvents';
import { isFiltering, NO_FILTER, type TaskFilterState } from './filters';
import { LabelChip } from '../task/LabelChip';

/** Search and filters shared by every view of the board. */
export function Filters({ board, filter, onChange }: { board: BoardView; filter: TaskFilterState; onChange: (f: TaskFilterState) => void }) {
  const unchosen = board.labels.filter((l) => !filter.labels.includes(l.id));
  return (
    <div className="filters" role="search">
      <input
        type="search"
        aria-label="Search tasks"
        placeholder="Search…"
        value={filter.text}
        maxLength={200}
        onChange={(e) => onChange({ ...filter, text: e.target.value })}
      />
      <select aria-label="Filter by assignee" value={filter.assignee} onChange={(e) => onChange({ ...filter, assignee: e.target.value })}>
        <option value="">Anyone</option>
        <option value="none">Unassigned</option>
        {board.members.nodes.map((m) => (
          <option key={m.user.id} value={m.user.id}>
            @{m.user.handle}
          </option>
        ))}
      </select>
      {board.labels.length > 0 && (
        <select
          aria-label="Filter by label"
          value=""
          onChange={(e) => e.target.value && onChange({ ...filter, labels: [...filter.labels, e.target.value] })}
        >
          <option value="">{filter.labels.length ? '+ label' : 'Any label'}</option>
          {unchosen.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name}
            </option>
          ))}
        </select>
      )}
      {filter.labels.map((id) => {
        const label = board.labels.find((l) => l.id === id);
        return label ? (
          <button key={id} className="label-toggle on" title="Remove this label filter" onClick={() => onChange({ ...filter, labels: filter.labels.filter((l) => l !== id) })}>
            <LabelChip label={label} /> ×
          </button>
        ) : null;
      })}
      {isFiltering(filter) && (
        <button className="ghost small" onClick={() => onChange(NO_FILTER)}>
          Clear
        </button>
      )}
    </div>
  );
}
