import { useState, type FormEvent } from 'react';
import { useApolloClient } from '@apollo/client/react';
import { graphql } from '../gql';
import type { CommentItemFragment } from '../gql/graphql';
import { Avatar } from '../ui/Avatar';
import { describeError } from '../ui/errors';
import { useNotify } from '../ui/Toasts';
import { formatTime } from './format';
import { removeComment, upsertComment } from './commentEvents';
import { TaskDetailQuery } from './TaskPanel';

export const CommentItemFields = graphql(`
  fragment CommentItem on Comment {
    id
    body
    createdAt
    editedAt
    version
    author {
      id
      handle
      displayName
    }
  }
`);

/** The task's comment count, asked for after a deletion (deletions do not carry it). */
export const TaskCommentCountQuery = graphql(`
  query TaskCommentCount($id: ID!) {
    task(id: $id) {
      id
      commentCount
    }
  }
`);

const AddComment = graphql(`
  mutation AddComment($input: AddCommentInput!) {
    addComment(input: $input) {
      comment {
        ...CommentItem
        task {
          id
          commentCount
        }
      }
    }
  }
`);

const EditComment = graphql(`
  mutation EditComment($input: EditCommentInput!) {
    editComment(input: $input) {
      comment {
        ...CommentItem
      }
    }
  }
`);

const DeleteComment = graphql(`
  mutation DeleteComment($input: DeleteCommentInput!) {
    deleteComment(input: $input) {
      deletedCommentId
      taskId
    }
  }
`);

interface CommentThreadProps {
  taskId: string;
  comments: CommentItemFragment[];
  meId: string;
  canEdit: boolean;
  isOwner: boolean;
}

/** The comments of a task, oldest first, live; add yours, edit or delete your own. */
export function CommentThread({ taskId, comments, meId, canEdit, isOwner }: CommentThreadProps) {
  const client = useApolloClient();
  const notify = useNotify();
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);

  async function add(e: FormEvent) {
    e.preventDefault();
    const text = body.trim();
    if (!text) return;
    setBusy(true);
    try {
      await client.mutate({
        mutation: AddComment,
        variables: { input: { taskId, body: text } },
        update(cache, { data }) {
          const comment = data?.addComment.comment;
          if (!comment) return;
          const { task, ...item } = comment;
          cache.updateQuery({ query: TaskDetailQuery, variables: { id: taskId } }, (d) =>
            d?.task ? { task: upsertComment(d.task, item, task.commentCount) } : undefined,
          );
        },
      });
      setBody('');
    } catch (err) {
      notify(describeError(err, 'Adding the comment'), 'error');
    } finally {
      setBusy(false);
    }
  }

  async function remove(comment: CommentItemFragment) {
    if (!window.confirm('Delete this comment?')) return;
    try {
      await client.mutate({
        mutation: DeleteComment,
        variables: { input: { commentId: comment.id } },
        update(cache, { data }) {
          const id = data?.deleteComment.deletedCommentId;
          if (!id) return;
          cache.updateQuery({ query: TaskDetailQuery, variables: { id: taskId } }, (d) =>
            d?.task ? { task: removeComment(d.task, id) } : undefined,
          );
        },
      });
      await client.query({ query: TaskCommentCountQuery, variables: { id: taskId }, fetchPolicy: 'network-only' });
    } catch (err) {
      notify(describeError(err, 'Deleting the comment'), 'error');
    }
  }

  return (
    <section className="comments" aria-label="Comments">
      <h3>Comments ({comments.length})</h3>
      <ol className="comment-list" data-testid="comments">
        {comments.map((comment) => (
          <CommentItem
            key={comment.id}
            comment={comment}
            mine={comment.author.id === meId}
            canEdit={canEdit}
            canDelete={canEdit && (comment.author.id === meId || isOwner)}
            onDelete={() => void remove(comment)}
          />
        ))}
        {comments.length === 0 && <li className="muted">No comments yet.</li>}
      </ol>
      {canEdit && (
        <form className="comment-form" onSubmit={add}>
          <textarea
            aria-label="New comment"
            placeholder="Write a comment…"
            rows={2}
            maxLength={10_000}
            value={body}
            onChange={(e) => setBody(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) e.currentTarget.form?.requestSubmit();
            }}
          />
          <button className="primary" type="submit" disabled={busy || !body.trim()}>
            Comment
          </button>
        </form>
      )}
    </section>
  );
}

function CommentItem({
  comment,
  mine,
  canEdit,
  canDelete,
  onDelete,
}: {
  comment: CommentItemFragment;
  mine: boolean;
  canEdit: boolean;
  canDelete: boolean;
  onDelete: () => void;
}) {
  const client = useApolloClient();
  const notify = useNotify();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(comment.body);

  async function save(e: FormEvent) {
    e.preventDefault();
    const text = draft.trim();
    if (!text || text === comment.body) return setEditing(false);
    const { error } = await client.mutate({
      mutation: EditComment,
      variables: { input: { commentId: comment.id, body: text, expectedVersion: comment.version } },
      errorPolicy: 'all',
    });
    if (error) {
      notify(describeError(error, 'Editing the comment'), 'error');
      setDraft(comment.body);
    }
    setEditing(false);
  }

  return (
    <li className="comment" data-testid="comment">
      <div className="comment-head">
        <Avatar user={comment.author} size={22} />
        <strong>{comment.author.displayName}</strong>
        <span className="muted small">
          {formatTime(comment.createdAt)}
          {comment.editedAt && ' (edited)'}
        </span>
        <span className="spacer" />
        {mine && canEdit && !editing && (
          <button className="ghost small" onClick={() => (setDraft(comment.body), setEditing(true))}>
            Edit
          </button>
        )}
        {canDelete && !editing && (
          <button className="ghost small danger" onClick={onDelete}>
            Delete
          </button>
        )}
      </div>
      {editing ? (
        <form onSubmit={save} className="stack">
          <textarea aria-label="Edit comment" value={draft} rows={3} maxLength={10_000} onChange={(e) => setDraft(e.target.value)} autoFocus />
          <div className="row end">
            <button type="button" className="ghost small" onClick={() => setEditing(false)}>
              Cancel
            </button>
            <button type="submit" className="primary small">
              Save
            </button>
          </div>
        </form>
      ) : (
        <p className="comment-body" data-testid="comment-body">
          {comment.body}
        </p>
      )}
    </li>
  );
}
