import { useMemo, useState } from 'react';
import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  TouchSensor,
  closestCenter,
  closestCorners,
  useSensor,
  useSensors,
  type Announcements,
  type CollisionDetection,
  type DragEndEvent,
  type DragOverEvent,
  type DragStartEvent,
  type UniqueIdentifier,
} from '@dnd-kit/core';
import { SortableContext, horizontalListSortingStrategy, sortableKeyboardCoordinates } from '@dnd-kit/sortable';
import type { BoardView, CardView, ColumnView } from './boardEvents';
import { columnDndId } from './dnd';
import { KanbanColumn } from './KanbanColumn';
import { arrayMove, fullIndexFor, moveCardLocally, neighboursOf } from './moves';
import type { useBoardMutations } from './useBoardMutations';
import { TaskCard } from '../task/TaskCard';


type DragState =
  | { type: 'task'; taskId: string; fromColumn: string; items: Record<string, string[]> }
  | { type: 'column'; columnId: string; order: string[] };

interface DndData {
  type: 'task' | 'column' | 'column-body';
  id: string;
  columnId: string;
}

interface KanbanViewProps {
  board: BoardView;
  canEdit: boolean;
  visible: (card: CardView) => boolean;
  onOpenTask: (taskId: string) => void;
  actions: ReturnType<typeof useBoardMutations>;
}

/** Columns of cards, with drag and drop of both (pointer, touch, or keyboard: Space, arrows, Space). */
export function KanbanView({ board, canEdit, visible, onOpenTask, actions }: KanbanViewProps) {
  const [drag, setDrag] = useState<DragState | null>(null);
  const [newColumn, setNewColumn] = useState('');

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 250, tolerance: 6 } }),
    useSensor(KeyboardSensor, {
      coordinateGetter: sortableKeyboardCoordinates,
      // Enter opens a card; Space picks it up and drops it.
      keyboardCodes: { start: ['Space'], cancel: ['Escape'], end: ['Space', 'Enter'] },
    }),
  );

  const cards = useMemo(() => {
    const map = new Map<string, CardView>();
    board.columns.forEach((c) => c.tasks.nodes.forEach((t) => map.set(t.id, t)));
    return map;
  }, [board]);

  const visibleIds = useMemo(() => {
    const ids: Record<string, string[]> = {};
    for (const column of board.columns) ids[column.id] = column.tasks.nodes.filter(visible).map((t) => t.id);
    return ids;
  }, [board, visible]);

  const columnOrder = drag?.type === 'column' ? drag.order : board.columns.map((c) => c.id);
  const columnsById = new Map(board.columns.map((c) => [c.id, c]));
  const items = drag?.type === 'task' ? drag.items : visibleIds;

  const containerOf = (dndId: UniqueIdentifier, state: Record<string, string[]>): string | null => {
    const data = String(dndId);
    if (data.startsWith('column-body:')) return data.slice('column-body:'.length);
    if (data.startsWith('column:')) return data.slice('column:'.length);
    const taskId = data.slice('task:'.length);
    return Object.keys(state).find((col) => state[col]!.includes(taskId)) ?? null;
  };

  const collisionDetection: CollisionDetection = (args) => {
    const type = (args.active.data.current as DndData | undefined)?.type;
    if (type === 'column') {
      return closestCenter({
        ...args,
        droppableContainers: args.droppableContainers.filter((c) => (c.data.current as DndData | undefined)?.type === 'column'),
      });
    }
    return closestCorners({
      ...args,
      droppableContainers: args.droppableContainers.filter((c) => (c.data.current as DndData | undefined)?.type !== 'column'),
    });
  };

  function onDragStart({ active }: DragStartEvent) {
    const data = active.data.current as DndData;
    if (data.type === 'column') {
      setDrag({ type: 'column', columnId: data.id, order: board.columns.map((c) => c.id) });
    } else {
      setDrag({ type: 'task', taskId: data.id, fromColumn: data.columnId, items: structuredClone(visibleIds) });
    }
  }

  function onDragOver({ active, over }: DragOverEvent) {
    if (!over || drag?.type !== 'task') return;
    const from = containerOf(active.id, drag.items);
    const to = containerOf(over.id, drag.items);
    if (!from || !to || from === to) return;
    setDrag((d) => {
      if (d?.type !== 'task') return d;
      const source = d.items[from]!.filter((id) => id !== d.taskId);
      const target = [...d.items[to]!];
      const overTask = String(over.id).startsWith('task:') ? String(over.id).slice(5) : null;
      const overIndex = overTask ? target.indexOf(overTask) : -1;
      target.splice(overIndex >= 0 ? overIndex : target.length, 0, d.taskId);
      return { ...d, items: { ...d.items, [from]: source, [to]: target } };
    });
  }

  function onDragEnd({ over }: DragEndEvent) {
    const current = drag;
    setDrag(null);
    if (!current || !over) return;

    if (current.type === 'column') {
      const overId = (over.data.current as DndData | undefined)?.columnId;
      const from = current.order.indexOf(current.columnId);
      const to = overId ? current.order.indexOf(overId) : -1;
      const column = columnsById.get(current.columnId);
      if (column && to >= 0 && from !== to) void actions.moveColumn(column, to);
      return;
    }

    const to = containerOf(over.id, current.items);
    if (!to) return;
    let list = current.items[to]!;
    const overTask = String(over.id).startsWith('task:') ? String(over.id).slice(5) : null;
    if (overTask && overTask !== current.taskId && list.includes(overTask)) {
      list = arrayMove(list, list.indexOf(current.taskId), list.indexOf(overTask));
    }
    const card = cards.get(current.taskId);
    const column = columnsById.get(to);
    if (!card || !column) return;
    const fullWithout = column.tasks.nodes.map((t) => t.id).filter((id) => id !== card.id);
    const index = fullIndexFor(fullWithout, list, card.id);
    const before = board.columns.find((c) => c.id === card.column.id)!.tasks.nodes.map((t) => t.id);
    if (to === card.column.id && before.indexOf(card.id) === index) return; // dropped where it was
    const after = moveCardLocally(board, card.id, to, index).columns.find((c) => c.id === to)!.tasks.nodes.map((t) => t.id);
    void actions.moveTask(card, to, neighboursOf(after, card.id));
  }

  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up ${describe(active.id)}.`,
    onDragOver: ({ active, over }) => (over ? `${describe(active.id)} is over ${describe(over.id)}.` : `${describe(active.id)} is not over a column.`),
    onDragEnd: ({ active, over }) => (over ? `${describe(active.id)} was dropped on ${describe(over.id)}.` : `${describe(active.id)} was dropped.`),
    onDragCancel: ({ active }) => `Moving ${describe(active.id)} was cancelled.`,
  };
  function describe(id: UniqueIdentifier): string {
    const s = String(id);
    if (s.startsWith('task:')) {
      const card = cards.get(s.slice(5));
      return card ? `card #${card.number} ${card.title}` : 'a card';
    }
    const columnId = s.replace(/^column(-body)?:/, '');
    return `column ${columnsById.get(columnId)?.name ?? ''}`;
  }

  const activeCard = drag?.type === 'task' ? cards.get(drag.taskId) : undefined;
  const activeColumn = drag?.type === 'column' ? columnsById.get(drag.columnId) : undefined;

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={collisionDetection}
      onDragStart={onDragStart}
      onDragOver={onDragOver}
      onDragEnd={onDragEnd}
      onDragCancel={() => setDrag(null)}
      accessibility={{
        announcements,
        screenReaderInstructions: {
          draggable: 'To move a card or column, press Space, use the arrow keys, then press Space again to drop it, or Escape to cancel. Press Enter to open a card.',
        },
      }}
    >
      <div className="kanban" data-testid="kanban">
        <SortableContext items={columnOrder.map(columnDndId)} strategy={horizontalListSortingStrategy}>
          {columnOrder.map((id) => {
            const column = columnsById.get(id);
            if (!column) return null;
            return (
              <KanbanColumn
                key={id}
                column={column}
                columns={board.columns}
                cards={(items[id] ?? []).map((taskId) => cards.get(taskId)).filter((c): c is CardView => !!c)}
                hiddenCount={column.tasks.nodes.length - (visibleIds[id]?.length ?? 0)}
                canEdit={canEdit}
                draggingTaskId={drag?.type === 'task' ? drag.taskId : null}
                onOpenTask={onOpenTask}
                actions={actions}
              />
            );
          })}
        </SortableContext>
        {canEdit && (
          <form
            className="add-column"
            onSubmit={async (e) => {
              e.preventDefault();
              const name = newColumn.trim();
              if (name && (await actions.createColumn(name))) setNewColumn('');
            }}
          >
            <input aria-label="New column name" placeholder="+ Add column" value={newColumn} maxLength={100} onChange={(e) => setNewColumn(e.target.value)} />
            {newColumn.trim() && (
              <button className="primary small" type="submit">
                Add
              </button>
            )}
          </form>
        )}
        {board.columns.length === 0 && !canEdit && <p className="muted">This board has no columns yet.</p>}
      </div>
      <DragOverlay dropAnimation={null}>
        {activeCard ? <TaskCard task={activeCard} dragging /> : null}
        {activeColumn ? <ColumnGhost column={activeColumn} /> : null}
      </DragOverlay>
    </DndContext>
  );
}

function ColumnGhost({ column }: { column: ColumnView }) {
  return (
    <div className="column column-ghost">
      <div className="column-header">
        <strong>{column.name}</strong>
        <span className="count">{column.taskCount}</span>
      </div>
    </div>
  );
}
