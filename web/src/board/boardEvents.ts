// Applying the board's live events to the cached board, as pure functions of plain data, so the
// rules can be tested without a cache or a socket:
//
// - Events apply in seq order, exactly once: an event at or below the board's `lastSeq` is a
//   duplicate (or already reflected by a fetch) and is skipped; an event beyond `lastSeq + 1`
//   means something was missed, so the caller refetches instead of guessing.
// - Every event carries the new state of what changed, so applying one is an upsert: applying the
//   same state twice leaves the board as applying it once.
// - Order is the server's: task and column events carry their container's current order, and
//   the board is reordered to it; the client never computes an order of its own from events.
// - Counts are taken from events, never incremented, because the cached count is shared with
//   mutation answers and other queries that may have counted the same change already.
// - When an event does not carry enough to apply (a column deleted with tasks in it, a state
//   missing from a replayed event) the answer is "refetch", never a guess.

import type { BoardChangedSubscription, BoardViewQuery } from '../gql/graphql';

export type BoardView = NonNullable<BoardViewQuery['board']>;
export type ColumnView = BoardView['columns'][number];
export type CardView = ColumnView['tasks']['nodes'][number];
export type LabelView = BoardView['labels'][number];
export type MemberView = BoardView['members']['nodes'][number];
export type BoardEventData = BoardChangedSubscription['boardChanged'];

export type ApplyOutcome =
  /** The event applied; `board` is the new state (a new object, the input is left untouched). */
  | { type: 'applied'; board: BoardView }
  /** A duplicate or an event the board already reflects. */
  | { type: 'skipped' }
  /** Events between the board's lastSeq and this one are missing: refetch the board. */
  | { type: 'gap'; expected: number; got: number }
  /** The event cannot be applied from what it carries: refetch the board. */
  | { type: 'refetch'; reason: string }
  /** The board is no longer visible to this user. */
  | { type: 'gone'; reason: 'deleted' | 'removed' };

/**
 * Applies one event of the board to its cached view. `meId` is the signed-in user, whose own
 * membership changes decide their role and whether they still see the board.
 */
export function applyBoardEvent(board: BoardView, event: BoardEventData, meId: string): ApplyOutcome {
  if (event.boardId !== board.id) return { type: 'skipped' };
  if (event.seq <= board.lastSeq) return { type: 'skipped' };
  if (event.seq !== board.lastSeq + 1) return { type: 'gap', expected: board.lastSeq + 1, got: event.seq };

  const next = applyState(board, event, meId);
  if ('type' in next) return next;
  return { type: 'applied', board: { ...next, lastSeq: event.seq } };
}

/** What an event changes, leaving seq bookkeeping to the caller. */
function applyState(board: BoardView, event: BoardEventData, meId: string): BoardView | Exclude<ApplyOutcome, { type: 'applied' }> {
  switch (event.kind) {
    case 'BOARD_CREATED':
      return board;
    case 'BOARD_UPDATED':
      if (!event.board) return refetch('board state missing');
      return {
        ...board,
        name: event.board.name,
        description: event.board.description,
        myRole: event.board.myRole,
        version: event.board.version,
      };
    case 'BOARD_DELETED':
      return { type: 'gone', reason: 'deleted' };

    case 'MEMBER_ADDED':
    case 'MEMBER_UPDATED': {
      const member = event.member;
      if (!member) return refetch('member state missing');
      const nodes = upsertBy(board.members.nodes, member, (m) => m.user.id);
      return {
        ...board,
        myRole: member.user.id === meId ? member.role : board.myRole,
        members: { ...board.members, nodes },
      };
    }
    case 'MEMBER_REMOVED':
      if (event.entityId === meId) return { type: 'gone', reason: 'removed' };
      return {
        ...board,
        members: { ...board.members, nodes: board.members.nodes.filter((m) => m.user.id !== event.entityId) },
      };

    case 'COLUMN_CREATED':
    case 'COLUMN_UPDATED':
    case 'COLUMN_MOVED': {
      const state = event.column;
      if (!state) return refetch('column state missing');
      const existing = board.columns.find((c) => c.id === state.id);
      const column: ColumnView = existing && existing.version > state.version ? existing : {
        __typename: 'Column',
        id: state.id,
        name: state.name,
        isDone: state.isDone,
        wipLimit: state.wipLimit,
        taskCount: state.taskCount,
        version: state.version,
        tasks: existing?.tasks ?? emptyTasks(),
      };
      const columns = existing ? board.columns.map((c) => (c.id === column.id ? column : c)) : [...board.columns, column];
      return { ...board, columns: reorder(columns, state.board.columns.map((c) => c.id)) };
    }
    case 'COLUMN_DELETED': {
      const column = board.columns.find((c) => c.id === event.entityId);
      if (!column) return board;
      // Its tasks moved to another column in the same event, which does not say where.
      if (column.tasks.nodes.length > 0 || column.taskCount > 0) return refetch('deleted column held tasks');
      return { ...board, columns: board.columns.filter((c) => c.id !== event.entityId) };
    }

    case 'LABEL_CREATED':
    case 'LABEL_UPDATED': {
      const state = event.label;
      if (!state) return refetch('label state missing');
      const label: LabelView = { __typename: 'Label', id: state.id, name: state.name, color: state.color, version: state.version };
      const labels = sortLabels(upsertBy(board.labels, label, (l) => l.id));
      return mapCards({ ...board, labels }, (card) =>
        card.labels.some((l) => l.id === label.id)
          ? { ...card, labels: sortLabels(card.labels.map((l) => (l.id === label.id ? label : l))) }
          : card,
      );
    }
    case 'LABEL_DELETED': {
      const labels = board.labels.filter((l) => l.id !== event.entityId);
      return mapCards({ ...board, labels }, (card) =>
        card.labels.some((l) => l.id === event.entityId)
          ? { ...card, labels: card.labels.filter((l) => l.id !== event.entityId) }
          : card,
      );
    }

    case 'TASK_CREATED':
    case 'TASK_UPDATED':
    case 'TASK_MOVED': {
      const state = event.task;
      if (!state) return refetch('task state missing');
      if (!board.columns.some((c) => c.id === state.column.id)) return refetch('task is in an unknown column');
      // A replayed state older than what the cache holds (our own mutation's answer came first)
      // must not roll the card back; the order it carries is current either way.
      const cached = findCardIn(board, state.id);
      const card = cached && cached.version > state.version ? cached : toCard(state);
      return placeCard(board, card, state.column.tasks.nodes.map((t) => t.id), state.column.taskCount);
    }
    case 'TASK_DELETED':
      return removeCard(board, event.entityId);

    case 'COMMENT_ADDED':
    case 'COMMENT_EDITED': {
      const count = event.comment?.task.commentCount;
      const taskId = event.comment?.task.id ?? event.taskId;
      if (count == null || !taskId) return board;
      return mapCards(board, (card) => (card.id === taskId ? { ...card, commentCount: count } : card));
    }
    case 'COMMENT_DELETED':
      // The event carries no count; the live hook asks the server for the task's new one.
      return board;
    default:
      // A kind this client does not know yet: its seq still counts, nothing else changes.
      return board;
  }
}

/** The card-sized part of a task state carried by an event. */
export function toCard(task: NonNullable<BoardEventData['task']>): CardView {
  return {
    __typename: 'Task',
    id: task.id,
    number: task.number,
    title: task.title,
    priority: task.priority,
    dueDate: task.dueDate,
    commentCount: task.commentCount,
    completedAt: task.completedAt,
    version: task.version,
    column: { __typename: 'Column', id: task.column.id },
    assignee: task.assignee,
    labels: task.labels,
  };
}

/**
 * Puts a card into the column its state names, out of any other, in the order the server
 * reported for that column (`order`, task ids). Ids in `order` that the board does not hold yet are
 * left for their own events; cards the board holds that `order` does not list keep their place
 * relative to their neighbours.
 */
export function placeCard(board: BoardView, card: CardView, order: readonly string[] | null, taskCount?: number): BoardView {
  const target = card.column.id;
  const columns = board.columns.map((column) => {
    const inThis = column.tasks.nodes.some((t) => t.id === card.id);
    if (column.id === target) {
      const withCard = inThis ? column.tasks.nodes.map((t) => (t.id === card.id ? card : t)) : [...column.tasks.nodes, card];
      const nodes = order ? reorder(withCard, order) : withCard;
      return withNodes(column, nodes, taskCount ?? column.taskCount + (inThis ? 0 : 1));
    }
    if (inThis) {
      return withNodes(
        column,
        column.tasks.nodes.filter((t) => t.id !== card.id),
        Math.max(0, column.taskCount - 1),
      );
    }
    return column;
  });
  return { ...board, columns };
}

/** Takes a card off the board; the board is unchanged when it holds no such card. */
export function removeCard(board: BoardView, taskId: string): BoardView {
  if (!board.columns.some((c) => c.tasks.nodes.some((t) => t.id === taskId))) return board;
  return {
    ...board,
    columns: board.columns.map((column) =>
      column.tasks.nodes.some((t) => t.id === taskId)
        ? withNodes(
            column,
            column.tasks.nodes.filter((t) => t.id !== taskId),
            Math.max(0, column.taskCount - 1),
          )
        : column,
    ),
  };
}

/**
 * A column with new cards. When the column holds all its cards (one page), its count is simply
 * how many there are; only a column longer than a page needs `countIfPaged`, the best estimate
 * of the caller (counts in events are read at delivery, so adding and subtracting them would
 * count a replayed change twice).
 */
export function withNodes(column: ColumnView, nodes: CardView[], countIfPaged: number): ColumnView {
  return {
    ...column,
    taskCount: column.tasks.pageInfo.hasNextPage ? countIfPaged : nodes.length,
    tasks: { ...column.tasks, nodes },
  };
}

/**
 * Orders `items` by `order` (ids). Items not named in `order` keep their position relative to
 * the item before them, so a list that is briefly ahead or behind the server never loses items.
 */
export function reorder<T extends { id: string }>(items: readonly T[], order: readonly string[]): T[] {
  const byId = new Map(items.map((item) => [item.id, item]));
  const ordered: T[] = [];
  const placed = new Set<string>();
  for (const id of order) {
    const item = byId.get(id);
    if (item && !placed.has(id)) {
      ordered.push(item);
      placed.add(id);
    }
  }
  // Slot the unlisted ones in after the item that preceded them in the old order.
  items.forEach((item, index) => {
    if (placed.has(item.id)) return;
    let at = 0;
    for (let i = index - 1; i >= 0; i--) {
      const found = ordered.indexOf(items[i]!);
      if (found >= 0) {
        at = found + 1;
        break;
      }
    }
    ordered.splice(at, 0, item);
    placed.add(item.id);
  });
  return ordered;
}

function findCardIn(board: BoardView, taskId: string): CardView | undefined {
  for (const column of board.columns) {
    const card = column.tasks.nodes.find((t) => t.id === taskId);
    if (card) return card;
  }
  return undefined;
}

function upsertBy<T>(items: readonly T[], item: T, key: (t: T) => string): T[] {
  const k = key(item);
  return items.some((t) => key(t) === k) ? items.map((t) => (key(t) === k ? item : t)) : [...items, item];
}

function sortLabels(labels: LabelView[]): LabelView[] {
  return [...labels].sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || a.id.localeCompare(b.id));
}

function mapCards(board: BoardView, f: (card: CardView) => CardView): BoardView {
  let changed = false;
  const columns = board.columns.map((column) => {
    let columnChanged = false;
    const nodes = column.tasks.nodes.map((card) => {
      const next = f(card);
      if (next !== card) columnChanged = true;
      return next;
    });
    if (!columnChanged) return column;
    changed = true;
    return { ...column, tasks: { ...column.tasks, nodes } };
  });
  return changed ? { ...board, columns } : board;
}

export function emptyTasks(): ColumnView['tasks'] {
  return { __typename: 'TaskConnection', nodes: [], pageInfo: { __typename: 'PageInfo', hasNextPage: false } };
}

function refetch(reason: string): { type: 'refetch'; reason: string } {
  return { type: 'refetch', reason };
}
