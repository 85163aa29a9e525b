// Live comments for an open task: the comment events of its board applied to the task's
// cached detail (the thread). Upserts by id, so a comment seen twice is shown once.

import type { TaskDetailQuery } from '../gql/graphql';
import type { BoardEventData } from '../board/boardEvents';

export type TaskDetailView = NonNullable<TaskDetailQuery['task']>;
export type CommentView = TaskDetailView['comments']['nodes'][number];

export function applyCommentEvent(task: TaskDetailView, event: BoardEventData): TaskDetailView {
  switch (event.kind) {
    case 'COMMENT_ADDED':
    case 'COMMENT_EDITED': {
      const state = event.comment;
      if (!state || state.task.id !== task.id) return task;
      const comment: CommentView = {
        __typename: 'Comment',
        id: state.id,
        body: state.body,
        createdAt: state.createdAt,
        editedAt: state.editedAt,
        version: state.version,
        author: state.author,
      };
      return upsertComment(task, comment, state.task.commentCount);
    }
    case 'COMMENT_DELETED':
      return event.taskId === task.id ? removeComment(task, event.entityId) : task;
    default:
      return task;
  }
}

/** The thread with a comment added or replaced (an older version never replaces a newer one). */
export function upsertComment(task: TaskDetailView, comment: CommentView, commentCount?: number): TaskDetailView {
  const existing = task.comments.nodes.find((c) => c.id === comment.id);
  if (existing && existing.version > comment.version) return task;
  const nodes = existing
    ? task.comments.nodes.map((c) => (c.id === comment.id ? comment : c))
    : sortComments([...task.comments.nodes, comment]);
  return {
    ...task,
    commentCount: commentCount ?? (existing ? task.commentCount : task.commentCount + 1),
    comments: { ...task.comments, nodes },
  };
}

/**
 * The thread without a comment; unchanged when it does not hold it. The task's comment count
 * is left alone: a deletion does not carry the new count, and the cached count is shared with
 * the card, so the caller asks the server for it (a decrement here and one on the card would
 * count the same deletion twice).
 */
export function removeComment(task: TaskDetailView, commentId: string): TaskDetailView {
  const nodes = task.comments.nodes.filter((c) => c.id !== commentId);
  if (nodes.length === task.comments.nodes.length) return task;
  return { ...task, comments: { ...task.comments, nodes } };
}

function sortComments(comments: CommentView[]): CommentView[] {
  return comments.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.id.localeCompare(b.id));
}
