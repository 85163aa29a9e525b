import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useApolloClient, useQuery } from '@apollo/client/react';
import { graphql } from '../gql';
import type { TaskPriority } from '../gql/graphql';
import type { BoardView } from '../board/boardEvents';
import { removeCard } from '../board/boardEvents';
import { BoardViewQuery } from '../board/queries';
import { findCard } from '../board/moves';
import type { useBoardMutations } from '../board/useBoardMutations';
import { Avatar } from '../ui/Avatar';
import { describeError, hasCode } from '../ui/errors';
import { useNotify } from '../ui/Toasts';
import { CommentThread } from './CommentThread';
import { PRIORITIES, PRIORITY_LABEL, formatTime } from './format';
import { LabelChip } from './LabelChip';

export const TaskDetailQuery = graphql(`
  query TaskDetail($id: ID!) {
    task(id: $id) {
      ...TaskCard
      description
      createdAt
      updatedAt
      createdBy {
        id
        handle
        displayName
      }
      comments(first: 100) {
        nodes {
          ...CommentItem
        }
        pageInfo {
          hasNextPage
        }
      }
    }
  }
`);

/** The parts of a task that are not on its card; live events write them for an open panel. */
export const TaskTextFields = graphql(`
  fragment TaskText on Task {
    id
    description
    updatedAt
  }
`);

const TaskVersionFields = graphql(`
  fragment TaskVersion on Task {
    id
    version
  }
`);

const UpdateTask = graphql(`
  mutation UpdateTask($input: UpdateTaskInput!) {
    updateTask(input: $input) {
      task {
        ...TaskCard
        description
        updatedAt
      }
    }
  }
`);

const DeleteTask = graphql(`
  mutation DeleteTask($input: DeleteTaskInput!) {
    deleteTask(input: $input) {
      deletedTaskId
    }
  }
`);

const CreateLabel = graphql(`
  mutation CreateLabel($input: CreateLabelInput!) {
    createLabel(input: $input) {
      label {
        ...LabelChip
      }
    }
  }
`);

type Changes = {
  title?: string;
  description?: string;
  assigneeId?: string | null;
  dueDate?: string | null;
  priority?: TaskPriority;
  labelIds?: string[];
};

const LABEL_COLORS = ['#ef4444', '#f97316', '#eab308', '#22c55e', '#14b8a6', '#3b82f6', '#8b5cf6', '#ec4899', '#64748b'];

interface TaskPanelProps {
  taskId: string;
  board: BoardView;
  meId: string;
  onClose: () => void;
  actions: ReturnType<typeof useBoardMutations>;
}

/** A task's details, editable in place (each field saves on its own), with its comments. */
export function TaskPanel({ taskId, board, meId, onClose, actions }: TaskPanelProps) {
  const client = useApolloClient();
  const notify = useNotify();
  const { data, error, loading } = useQuery(TaskDetailQuery, { variables: { id: taskId }, fetchPolicy: 'cache-and-network', nextFetchPolicy: 'cache-first' });
  const task = data?.task;
  const canEdit = board.myRole !== 'VIEWER';
  const onBoard = board.columns.some((c) => c.tasks.nodes.some((t) => t.id === taskId));
  const panelRef = useRef<HTMLElement>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !(e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement)) onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);

  // One save at a time, each with the version the previous one left in the cache: two quick edits
  // by the same person must not conflict with each other.
  const saving = useRef<Promise<void>>(Promise.resolve());
  function save(changes: Changes, doing = 'Saving the task'): Promise<void> {
    const run = async () => {
      const current = client.cache.readFragment({ id: client.cache.identify({ __typename: 'Task', id: taskId }), fragment: TaskVersionFields });
      if (!current) return;
      const { error } = await client.mutate({
        mutation: UpdateTask,
        variables: { input: { taskId, expectedVersion: current.version, ...changes } },
        // On CONFLICT the answer still carries the task as it is now; the cache takes it.
        errorPolicy: 'all',
      });
      if (error) notify(describeError(error, doing), 'error');
    };
    saving.current = saving.current.then(run, run);
    return saving.current;
  }

  async function remove() {
    if (!task || !window.confirm(`Delete #${task.number} "${task.title}" and its comments?`)) return;
    try {
      await client.mutate({
        mutation: DeleteTask,
        variables: { input: { taskId } },
        update(cache, { data }) {
          const id = data?.deleteTask.deletedTaskId;
          if (!id) return;
          cache.updateQuery({ query: BoardViewQuery, variables: { id: board.id } }, (d) => (d?.board ? { board: removeCard(d.board, id) } : undefined));
        },
      });
      onClose();
    } catch (err) {
      notify(describeError(err, 'Deleting the task'), 'error');
    }
  }

  let content;
  const card = findCard(board, taskId);
  if (!task) {
    if (loading) content = <p className="muted">Loading…</p>;
    else if (error && !hasCode(error, 'NOT_FOUND')) content = <p className="error">{describeError(error, 'Loading the task')}</p>;
    else content = <p className="notice">This task was deleted, or is no longer on this board.</p>;
  } else if (!onBoard || !card) {
    content = <p className="notice">This task was deleted, or is no longer on this board.</p>;
  } else {
    const column = board.columns.find((c) => c.id === task.column.id);
    content = (
      <>
        <EditableTitle key={`title-${task.id}`} value={task.title} disabled={!canEdit} onSave={(title) => save({ title }, 'Renaming the task')} />
        <dl className="fields">
          <dt>Column</dt>
          <dd>
            <select
              aria-label="Column"
              value={task.column.id}
              disabled={!canEdit}
              onChange={(e) => {
                const to = board.columns.find((c) => c.id === e.target.value);
                if (!to) return;
                const last = to.tasks.nodes.filter((t) => t.id !== task.id).at(-1)?.id ?? null;
                void actions.moveTask(card, to.id, { afterId: last, beforeId: null });
              }}
            >
              {board.columns.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
            {column?.isDone && task.completedAt && <span className="muted small"> done {formatTime(task.completedAt)}</span>}
          </dd>
          <dt>Assignee</dt>
          <dd className="row">
            {task.assignee && <Avatar user={task.assignee} size={22} />}
            <select
              aria-label="Assignee"
              value={task.assignee?.id ?? ''}
              disabled={!canEdit}
              onChange={(e) => void save({ assigneeId: e.target.value || null }, 'Assigning the task')}
            >
              <option value="">Unassigned</option>
              {board.members.nodes.map((m) => (
                <option key={m.user.id} value={m.user.id}>
                  {m.user.displayName} (@{m.user.handle})
                </option>
              ))}
            </select>
          </dd>
          <dt>Priority</dt>
          <dd>
            <select
              aria-label="Priority"
              value={task.priority}
              disabled={!canEdit}
              onChange={(e) => void save({ priority: e.target.value as TaskPriority }, 'Changing the priority')}
            >
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {PRIORITY_LABEL[p]}
                </option>
              ))}
            </select>
          </dd>
          <dt>Due</dt>
          <dd className="row">
            <input
              type="date"
              aria-label="Due date"
              value={task.dueDate ?? ''}
              disabled={!canEdit}
              onChange={(e) => void save({ dueDate: e.target.value || null }, 'Changing the due date')}
            />
            {task.dueDate && canEdit && (
              <button className="ghost small" onClick={() => void save({ dueDate: null }, 'Clearing the due date')}>
                Clear
              </button>
            )}
          </dd>
          <dt>Labels</dt>
          <dd>
            <LabelPicker
              boardId={board.id}
              labels={board.labels}
              selected={task.labels.map((l) => l.id)}
              disabled={!canEdit}
              onChange={(labelIds) => void save({ labelIds }, 'Changing the labels')}
            />
          </dd>
        </dl>
        <EditableDescription
          key={`desc-${task.id}`}
          value={task.description}
          disabled={!canEdit}
          onSave={(description) => save({ description }, 'Saving the description')}
        />
        <p className="muted small">
          Created by {task.createdBy.displayName} {formatTime(task.createdAt)} · updated {formatTime(task.updatedAt)}
        </p>
        <CommentThread
          taskId={task.id}
          comments={task.comments.nodes}
          meId={meId}
          canEdit={canEdit}
          isOwner={board.myRole === 'OWNER'}
        />
        {canEdit && (
          <button className="danger small" onClick={() => void remove()}>
            Delete task
          </button>
        )}
      </>
    );
  }

  return (
    <aside className="task-panel" aria-label="Task" ref={panelRef} data-testid="task-panel">
      <header className="task-panel-header">
        <span className="card-number">{task ? `#${task.number}` : ''}</span>
        <span className="spacer" />
        <button className="icon" aria-label="Close task" onClick={onClose}>
          ×
        </button>
      </header>
      <div className="task-panel-body">{content}</div>
    </aside>
  );
}

/** A draft of a server value: follows the server while the person is not editing it. */
function useDraft(value: string): [string, (v: string) => void, boolean] {
  const [draft, setDraft] = useState(value);
  const server = useRef(value);
  useEffect(() => {
    setDraft((d) => (d === server.current ? value : d));
    server.current = value;
  }, [value]);
  return [draft, setDraft, draft !== value];
}

function EditableTitle({ value, disabled, onSave }: { value: string; disabled: boolean; onSave: (v: string) => Promise<void> }) {
  const [draft, setDraft, dirty] = useDraft(value);
  const commit = () => {
    const title = draft.trim();
    if (!title) return setDraft(value);
    if (dirty && title !== value) void onSave(title);
  };
  return (
    <input
      className="title-input"
      aria-label="Title"
      data-testid="task-title-input"
      value={draft}
      maxLength={200}
      disabled={disabled}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          e.currentTarget.blur();
        }
        if (e.key === 'Escape') setDraft(value);
      }}
    />
  );
}

function EditableDescription({ value, disabled, onSave }: { value: string; disabled: boolean; onSave: (v: string) => Promise<void> }) {
  const [draft, setDraft, dirty] = useDraft(value);
  const [saving, setSaving] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setSaving(true);
    await onSave(draft);
    setSaving(false);
  }
  return (
    <form className="description" onSubmit={submit}>
      <label htmlFor="task-description">Description</label>
      <textarea
        id="task-description"
        rows={5}
        maxLength={20_000}
        value={draft}
        placeholder={disabled ? '' : 'Add a description…'}
        disabled={disabled}
        onChange={(e) => setDraft(e.target.value)}
      />
      {dirty && !disabled && (
        <div className="row end">
          <button type="button" className="ghost small" onClick={() => setDraft(value)}>
            Discard
          </button>
          <button type="submit" className="primary small" disabled={saving}>
            Save description
          </button>
        </div>
      )}
    </form>
  );
}

function LabelPicker({
  boardId,
  labels,
  selected,
  disabled,
  onChange,
}: {
  boardId: string;
  labels: BoardView['labels'];
  selected: string[];
  disabled: boolean;
  onChange: (ids: string[]) => void;
}) {
  const client = useApolloClient();
  const notify = useNotify();
  const [name, setName] = useState('');
  const [color, setColor] = useState(LABEL_COLORS[labels.length % LABEL_COLORS.length]!);

  async function create(e: FormEvent) {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return;
    try {
      const { data } = await client.mutate({
        mutation: CreateLabel,
        variables: { input: { boardId, name: trimmed, color } },
        update(cache, { data }) {
          const label = data?.createLabel.label;
          if (!label) return;
          cache.updateQuery({ query: BoardViewQuery, variables: { id: boardId } }, (d) =>
            d?.board && !d.board.labels.some((l) => l.id === label.id)
              ? { board: { ...d.board, labels: [...d.board.labels, label].sort((a, b) => a.name.localeCompare(b.name)) } }
              : undefined,
          );
        },
      });
      setName('');
      if (data?.createLabel.label) onChange([...selected, data.createLabel.label.id]);
    } catch (err) {
      notify(describeError(err, 'Creating the label'), 'error');
    }
  }

  return (
    <div className="label-picker">
      <div className="row wrap">
        {labels.map((label) => {
          const on = selected.includes(label.id);
          return (
            <button
              key={label.id}
              className={`label-toggle${on ? ' on' : ''}`}
              aria-pressed={on}
              disabled={disabled}
              onClick={() => onChange(on ? selected.filter((id) => id !== label.id) : [...selected, label.id])}
            >
              <LabelChip label={label} />
            </button>
          );
        })}
        {labels.length === 0 && <span className="muted small">No labels on this board yet.</span>}
      </div>
      {!disabled && (
        <form className="row" onSubmit={create}>
          <input aria-label="New label name" placeholder="New label" value={name} maxLength={50} onChange={(e) => setName(e.target.value)} />
          <input aria-label="New label color" type="color" value={color} onChange={(e) => setColor(e.target.value)} />
          <button className="small" type="submit" disabled={!name.trim()}>
            Add
          </button>
        </form>
      )}
    </div>
  );
}
