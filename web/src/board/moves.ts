// Local (optimistic) moves of cards and columns, and the neighbours the server is told about.
// The server orders by keys it computes; a client only ever names the items a moved one lands
// between, so these functions work on positions in the lists the user sees.

import { withNodes, type BoardView, type CardView } from './boardEvents';

export interface Neighbours {
  afterId: string | null;
  beforeId: string | null;
}

/** The items right before and right after `id` in `ids` (an ordered list that contains it). */
export function neighboursOf(ids: readonly string[], id: string): Neighbours {
  const index = ids.indexOf(id);
  if (index < 0) return { afterId: null, beforeId: null };
  return { afterId: ids[index - 1] ?? null, beforeId: ids[index + 1] ?? null };
}

/** Moves `ids[from]` to index `to`, like dnd-kit's arrayMove, without touching the input. */
export function arrayMove<T>(items: readonly T[], from: number, to: number): T[] {
  const copy = [...items];
  const [item] = copy.splice(from, 1);
  copy.splice(Math.max(0, Math.min(to, copy.length)), 0, item!);
  return copy;
}

export function findCard(board: BoardView, taskId: string): CardView | undefined {
  for (const column of board.columns) {
    const card = column.tasks.nodes.find((t) => t.id === taskId);
    if (card) return card;
  }
  return undefined;
}

/**
 * The board with a card moved to `index` of column `toColumnId` (clamped to the column's
 * length). Counts follow the card. Unknown cards or columns leave the board as it is.
 */
export function moveCardLocally(board: BoardView, taskId: string, toColumnId: string, index: number): BoardView {
  const card = findCard(board, taskId);
  if (!card || !board.columns.some((c) => c.id === toColumnId)) return board;
  const moved: CardView = { ...card, column: { ...card.column, id: toColumnId } };
  const from = card.column.id;
  return {
    ...board,
    columns: board.columns.map((column) => {
      const without = column.tasks.nodes.filter((t) => t.id !== taskId);
      if (column.id === toColumnId) {
        const nodes = [...without];
        nodes.splice(Math.max(0, Math.min(index, nodes.length)), 0, moved);
        const delta = from === toColumnId ? 0 : 1;
        return withNodes(column, nodes, column.taskCount + delta);
      }
      if (without.length !== column.tasks.nodes.length) {
        return withNodes(column, without, Math.max(0, column.taskCount - 1));
      }
      return column;
    }),
  };
}

/** The board with a column moved to `index`. */
export function moveColumnLocally(board: BoardView, columnId: string, index: number): BoardView {
  const from = board.columns.findIndex((c) => c.id === columnId);
  if (from < 0) return board;
  return { ...board, columns: arrayMove(board.columns, from, index) };
}

/** The board with a new card appended to (or put at `index` of) its column. */
export function addCardLocally(board: BoardView, card: CardView, index?: number): BoardView {
  if (findCard(board, card.id)) return board;
  return {
    ...board,
    columns: board.columns.map((column) => {
      if (column.id !== card.column.id) return column;
      const nodes = [...column.tasks.nodes];
      nodes.splice(index ?? nodes.length, 0, card);
      return withNodes(column, nodes, column.taskCount + 1);
    }),
  };
}

/**
 * The board with a card placed in `toColumnId` right after `afterId` (or, when that is not in the
 * column, right before `beforeId`; else at the end): where the server puts it for those
 * neighbours, whatever else changed meanwhile.
 */
export function placeByNeighbours(
  board: BoardView,
  taskId: string,
  toColumnId: string,
  { afterId, beforeId }: Neighbours,
): BoardView {
  const column = board.columns.find((c) => c.id === toColumnId);
  if (!column) return board;
  const ids = column.tasks.nodes.map((t) => t.id).filter((id) => id !== taskId);
  let index = ids.length;
  if (afterId && ids.includes(afterId)) index = ids.indexOf(afterId) + 1;
  else if (beforeId && ids.includes(beforeId)) index = ids.indexOf(beforeId);
  else if (!afterId && beforeId) index = 0;
  return moveCardLocally(board, taskId, toColumnId, index);
}

/**
 * Where in a full list an item dropped at `visibleIndex` of a filtered list goes: right after
 * the visible item before it, or right before the visible item after it. `visibleIds` is the
 * filtered list after the drop (it contains the moved id); `fullIds` the full list without it.
 */
export function fullIndexFor(fullIds: readonly string[], visibleIds: readonly string[], movedId: string): number {
  const at = visibleIds.indexOf(movedId);
  const before = visibleIds[at - 1];
  if (before !== undefined && fullIds.includes(before)) return fullIds.indexOf(before) + 1;
  const after = visibleIds[at + 1];
  if (after !== undefined && fullIds.includes(after)) return fullIds.indexOf(after);
  return before !== undefined ? fullIds.length : 0;
}
