import { useState, type FormEvent } from 'react';
import type { ColumnView } from './boardEvents';
import type { useBoardMutations } from './useBoardMutations';
import { Modal } from '../ui/Modal';

/** Rename a column, set its WIP limit, mark it done, or delete it (moving its cards elsewhere). */
export function ColumnSettings({
  column,
  columns,
  actions,
  onClose,
}: {
  column: ColumnView;
  columns: ColumnView[];
  actions: ReturnType<typeof useBoardMutations>;
  onClose: () => void;
}) {
  const [name, setName] = useState(column.name);
  const [wip, setWip] = useState(column.wipLimit?.toString() ?? '');
  const [isDone, setIsDone] = useState(column.isDone);
  const others = columns.filter((c) => c.id !== column.id);
  const [target, setTarget] = useState(others[0]?.id ?? '');
  const [busy, setBusy] = useState(false);

  const wipValue = wip.trim() === '' ? null : Number(wip);
  const wipValid = wipValue === null || (Number.isInteger(wipValue) && wipValue >= 1 && wipValue <= 10_000);

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!name.trim() || !wipValid) return;
    const changes: Parameters<typeof actions.updateColumn>[1] = {};
    if (name.trim() !== column.name) changes.name = name.trim();
    if (wipValue !== column.wipLimit) changes.wipLimit = wipValue;
    if (isDone !== column.isDone) changes.isDone = isDone;
    if (Object.keys(changes).length === 0) return onClose();
    setBusy(true);
    const ok = await actions.updateColumn(column, changes);
    setBusy(false);
    if (ok) onClose();
  }

  async function remove() {
    const holdsCards = column.taskCount > 0;
    if (holdsCards && !target) return;
    const message = holdsCards
      ? `Delete "${column.name}" and move its ${column.taskCount} cards to "${others.find((c) => c.id === target)?.name}"?`
      : `Delete the empty column "${column.name}"?`;
    if (!window.confirm(message)) return;
    setBusy(true);
    const ok = await actions.deleteColumn(column, holdsCards ? target : null);
    setBusy(false);
    if (ok) onClose();
  }

  return (
    <Modal title={`Column: ${column.name}`} onClose={onClose}>
      <form className="stack" onSubmit={save}>
        <label>
          Name
          <input value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          WIP limit (empty for none)
          <input inputMode="numeric" value={wip} onChange={(e) => setWip(e.target.value.replace(/[^0-9]/g, ''))} aria-invalid={!wipValid} />
        </label>
        <label className="check">
          <input type="checkbox" checked={isDone} onChange={(e) => setIsDone(e.target.checked)} /> Cards moved here are done
        </label>
        <div className="row end">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button className="primary" type="submit" disabled={busy || !name.trim() || !wipValid}>
            Save
          </button>
        </div>
      </form>
      <hr />
      <div className="stack">
        {column.taskCount > 0 && others.length > 0 && (
          <label>
            Move its cards to
            <select value={target} onChange={(e) => setTarget(e.target.value)}>
              {others.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <button className="danger" onClick={() => void remove()} disabled={busy || (column.taskCount > 0 && others.length === 0)}>
          Delete column
        </button>
        {column.taskCount > 0 && others.length === 0 && <p className="muted small">Its cards need another column to go to first.</p>}
      </div>
    </Modal>
  );
}
