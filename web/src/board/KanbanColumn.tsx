import { useState, type FormEvent } from 'react';
import { useDroppable } from '@dnd-kit/core';
import { SortableContext, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { graphql } from '../gql';
import type { CardView, ColumnView } from './boardEvents';
import { ColumnSettings } from './ColumnSettings';
import { columnBodyDndId, columnDndId, taskDndId } from './dnd';
import type { useBoardMutations } from './useBoardMutations';
import { TaskCard } from '../task/TaskCard';

export const ColumnFieldsFragment = graphql(`
  fragment ColumnFields on Column {
    id
    name
    isDone
    wipLimit
    taskCount
    version
  }
`);

interface KanbanColumnProps {
  column: ColumnView;
  columns: ColumnView[];
  cards: CardView[];
  hiddenCount: number;
  canEdit: boolean;
  draggingTaskId: string | null;
  onOpenTask: (taskId: string) => void;
  actions: ReturnType<typeof useBoardMutations>;
}

export function KanbanColumn({ column, columns, cards, hiddenCount, canEdit, draggingTaskId, onOpenTask, actions }: KanbanColumnProps) {
  const sortable = useSortable({
    id: columnDndId(column.id),
    data: { type: 'column', id: column.id, columnId: column.id },
    disabled: !canEdit,
  });
  const body = useDroppable({ id: columnBodyDndId(column.id), data: { type: 'column-body', id: column.id, columnId: column.id } });
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [adding, setAdding] = useState(false);
  const [title, setTitle] = useState('');

  const overLimit = column.wipLimit != null && column.taskCount > column.wipLimit;

  async function addCard(e: FormEvent) {
    e.preventDefault();
    const trimmed = title.trim();
    if (!trimmed) return;
    setTitle('');
    await actions.createTask(column.id, trimmed);
  }

  return (
    <section
      ref={sortable.setNodeRef}
      style={{ transform: CSS.Translate.toString(sortable.transform), transition: sortable.transition }}
      className={`column${sortable.isDragging ? ' column-placeholder' : ''}${column.isDone ? ' column-done' : ''}`}
      data-testid="column"
      data-column-id={column.id}
      data-column-name={column.name}
      aria-label={`Column ${column.name}`}
    >
      <header className={`column-header${overLimit ? ' over-limit' : ''}`}>
        {canEdit && (
          <button
            className="icon handle"
            aria-label={`Move column ${column.name}`}
            title="Drag to move the column (or focus and press Space, then arrows)"
            {...sortable.attributes}
            {...sortable.listeners}
          >
            ⠿
          </button>
        )}
        <h2 className="column-name" data-testid="column-name">
          {column.name}
          {column.isDone && (
            <span className="done-mark" title="Cards here count as done">
              ✓
            </span>
          )}
        </h2>
        <span className="count" title={column.wipLimit != null ? `${column.taskCount} of at most ${column.wipLimit}` : `${column.taskCount} cards`}>
          {column.taskCount}
          {column.wipLimit != null && `/${column.wipLimit}`}
        </span>
        {canEdit && (
          <button className="icon" aria-label={`Column settings for ${column.name}`} onClick={() => setSettingsOpen(true)}>
            ⋯
          </button>
        )}
      </header>
      <SortableContext items={cards.map((c) => taskDndId(c.id))} strategy={verticalListSortingStrategy}>
        <div ref={body.setNodeRef} className={`column-body${body.isOver ? ' drop-target' : ''}`} data-testid="column-body">
          {cards.map((card) => (
            <SortableCard key={card.id} card={card} canEdit={canEdit} hidden={card.id === draggingTaskId} onOpen={onOpenTask} />
          ))}
          {cards.length === 0 && <div className="empty-column">{hiddenCount > 0 ? `${hiddenCount} hidden by the filter` : 'No cards'}</div>}
          {cards.length > 0 && hiddenCount > 0 && <div className="muted small center">{hiddenCount} hidden by the filter</div>}
          {column.tasks.pageInfo.hasNextPage && (
            <div className="muted small center">Showing the first {column.tasks.nodes.length} of {column.taskCount}</div>
          )}
        </div>
      </SortableContext>
      {canEdit &&
        (adding ? (
          <form className="add-card" onSubmit={addCard}>
            <textarea
              aria-label="New card title"
              autoFocus
              rows={2}
              maxLength={200}
              placeholder="Card title"
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && !e.shiftKey) {
                  e.preventDefault();
                  e.currentTarget.form?.requestSubmit();
                }
                if (e.key === 'Escape') setAdding(false);
              }}
            />
            <div className="row">
              <button className="primary small" type="submit" disabled={!title.trim()}>
                Add card
              </button>
              <button className="ghost small" type="button" onClick={() => setAdding(false)}>
                Done
              </button>
            </div>
          </form>
        ) : (
          <button className="ghost add-card-button" onClick={() => setAdding(true)}>
            + Add card
          </button>
        ))}
      {settingsOpen && <ColumnSettings column={column} columns={columns} actions={actions} onClose={() => setSettingsOpen(false)} />}
    </section>
  );
}

function SortableCard({ card, canEdit, hidden, onOpen }: { card: CardView; canEdit: boolean; hidden: boolean; onOpen: (id: string) => void }) {
  const sortable = useSortable({
    id: taskDndId(card.id),
    data: { type: 'task', id: card.id, columnId: card.column.id },
    disabled: !canEdit || card.id.startsWith('temp-'),
  });
  return (
    <TaskCard
      task={card}
      cardRef={sortable.setNodeRef}
      style={{ transform: CSS.Translate.toString(sortable.transform), transition: sortable.transition }}
      className={hidden || sortable.isDragging ? 'card-placeholder' : ''}
      // A card someone may not move is still a button that opens it, not a disabled one.
      {...(canEdit ? sortable.attributes : {})}
      {...(canEdit ? sortable.listeners : {})}
      tabIndex={0}
      role="button"
      aria-roledescription={canEdit ? 'draggable card' : 'card'}
      aria-label={`#${card.number} ${card.title}`}
      onClick={() => onOpen(card.id)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          onOpen(card.id);
          return;
        }
        if (canEdit) sortable.listeners?.onKeyDown?.(e);
      }}
    />
  );
}
