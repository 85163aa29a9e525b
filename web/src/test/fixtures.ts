// Builders of cached boards and live events for unit tests, shaped exactly like the generated
// query and subscription types so a test cannot drift from the documents.

import type { BoardEventData, BoardView, CardView, ColumnView, LabelView, MemberView } from '../board/boardEvents';
import type { BoardEventKind, BoardRole } from '../gql/graphql';
import type { TaskDetailView } from '../task/commentEvents';

export const ME = 'u-me';

export function user(id: string, handle = id) {
  return { __typename: 'User' as const, id, handle, displayName: handle };
}

export function label(id: string, name = id, color = '#336699', version = 1): LabelView {
  return { __typename: 'Label', id, name, color, version };
}

export function member(userId: string, role: BoardRole = 'EDITOR'): MemberView {
  return { __typename: 'BoardMember', role, addedAt: '2026-01-01T00:00:00Z', user: user(userId) };
}

export function card(id: string, columnId: string, over: Partial<CardView> = {}): CardView {
  return {
    __typename: 'Task',
    id,
    number: Number(id.replace(/\D/g, '')) || 1,
    title: `Task ${id}`,
    priority: 'NONE',
    dueDate: null,
    commentCount: 0,
    completedAt: null,
    version: 1,
    column: { __typename: 'Column', id: columnId },
    assignee: null,
    labels: [],
    ...over,
  };
}

export function column(id: string, taskIds: string[] = [], over: Partial<Omit<ColumnView, 'tasks'>> = {}): ColumnView {
  return {
    __typename: 'Column',
    id,
    name: `Column ${id}`,
    isDone: false,
    wipLimit: null,
    taskCount: taskIds.length,
    version: 1,
    tasks: {
      __typename: 'TaskConnection',
      nodes: taskIds.map((t) => card(t, id)),
      pageInfo: { __typename: 'PageInfo', hasNextPage: false },
    },
    ...over,
  };
}

export function board(columns: ColumnView[], over: Partial<BoardView> = {}): BoardView {
  return {
    __typename: 'Board',
    id: 'b1',
    name: 'Launch',
    description: '',
    myRole: 'EDITOR',
    version: 1,
    lastSeq: 10,
    labels: [],
    members: { __typename: 'BoardMemberConnection', nodes: [member(ME, 'EDITOR')] },
    columns,
    ...over,
  };
}

/** An event with no entity state; add the state the kind carries with the helpers below. */
export function event(seq: number, kind: BoardEventKind, entityId: string, over: Partial<BoardEventData> = {}): BoardEventData {
  return {
    __typename: 'BoardEvent',
    cursor: `c${seq}`,
    seq,
    kind,
    at: '2026-01-01T00:00:00Z',
    boardId: 'b1',
    entityId,
    taskId: null,
    actor: user('u-other'),
    board: null,
    member: null,
    column: null,
    label: null,
    task: null,
    comment: null,
    ...over,
  };
}

/** The task state a TASK_* event carries, with the current order of its column. */
export function taskState(
  c: CardView,
  order: string[],
  over: { description?: string; taskCount?: number } = {},
): NonNullable<BoardEventData['task']> {
  return {
    ...c,
    description: over.description ?? '',
    updatedAt: '2026-01-01T00:00:00Z',
    column: {
      __typename: 'Column',
      id: c.column.id,
      taskCount: over.taskCount ?? order.length,
      tasks: { __typename: 'TaskConnection', nodes: order.map((id) => ({ __typename: 'Task' as const, id })) },
    },
  };
}

export function taskEvent(seq: number, kind: 'TASK_CREATED' | 'TASK_UPDATED' | 'TASK_MOVED', c: CardView, order: string[]) {
  return event(seq, kind, c.id, { taskId: c.id, task: taskState(c, order) });
}

/** The column state a COLUMN_* event carries, with the board's current column order. */
export function columnState(c: ColumnView, order: string[]): NonNullable<BoardEventData['column']> {
  const { tasks: _tasks, ...fields } = c;
  void _tasks;
  return {
    ...fields,
    board: { __typename: 'Board', id: 'b1', columns: order.map((id) => ({ __typename: 'Column' as const, id })) },
  };
}

export function commentState(id: string, taskId: string, commentCount: number, over: { body?: string; version?: number; createdAt?: string } = {}) {
  return {
    __typename: 'Comment' as const,
    id,
    body: over.body ?? `comment ${id}`,
    createdAt: over.createdAt ?? '2026-01-01T00:00:00Z',
    editedAt: null,
    version: over.version ?? 1,
    author: user('u-other'),
    task: { __typename: 'Task' as const, id: taskId, commentCount },
  };
}

export function taskDetail(id: string, commentIds: string[] = []): TaskDetailView {
  return {
    ...card(id, 'c1'),
    description: '',
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    createdBy: user(ME),
    commentCount: commentIds.length,
    comments: {
      __typename: 'CommentConnection',
      nodes: commentIds.map((c, i) => {
        const { task: _t, ...rest } = commentState(c, id, commentIds.length, { createdAt: `2026-01-01T00:00:0${i}Z` });
        void _t;
        return rest;
      }),
      pageInfo: { __typename: 'PageInfo', hasNextPage: false },
    },
  };
}

/** Column id → task ids, the shape a person sees on the Kanban board. */
export function layout(b: BoardView): Record<string, string[]> {
  return Object.fromEntries(b.columns.map((c) => [c.id, c.tasks.nodes.map((t) => t.id)]));
}
