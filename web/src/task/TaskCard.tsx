import type { CSSProperties, HTMLAttributes, Ref } from 'react';
import { graphql } from '../gql';
import type { TaskCardFragment } from '../gql/graphql';
import { Avatar } from '../ui/Avatar';
import { Icon } from '../ui/Icon';
import { LabelChip } from './LabelChip';
import { PRIORITY_LABEL, formatDue, isOverdue } from './format';

export const TaskCardFields = graphql(`
  fragment TaskCard on Task {
    id
    number
    title
    priority
    dueDate
    commentCount
    completedAt
    version
    column {
      id
    }
    assignee {
      id
      handle
      displayName
    }
    labels {
      ...LabelChip
    }
  }
`);

interface TaskCardProps extends HTMLAttributes<HTMLDivElement> {
  task: TaskCardFragment;
  dragging?: boolean;
  cardRef?: Ref<HTMLDivElement>;
  style?: CSSProperties;
}

/** A card on the board: number, title, labels, and a footer with due date, priority, comments, assignee. */
export function TaskCard({ task, dragging, cardRef, className, ...rest }: TaskCardProps) {
  const overdue = isOverdue(task.dueDate, task.completedAt);
  return (
    <div
      ref={cardRef}
      className={`card${dragging ? ' card-dragging' : ''}${task.completedAt ? ' card-done' : ''} ${className ?? ''}`}
      data-testid="task-card"
      data-task-id={task.id}
      data-task-number={task.number}
      // Sent but not yet confirmed by the server (an optimistic card has no number yet).
      data-pending={task.id.startsWith('temp-') ? 'true' : undefined}
      {...rest}
    >
      {task.labels.length > 0 && (
        <div className="card-labels">
          {task.labels.map((label) => (
            <LabelChip key={label.id} label={label} />
          ))}
        </div>
      )}
      <div className="card-title">
        <span className="card-number">{task.number > 0 ? `#${task.number}` : '…'}</span> <span data-testid="task-title">{task.title}</span>
      </div>
      <div className="card-meta">
        {task.priority !== 'NONE' && (
          <span className={`priority priority-${task.priority.toLowerCase()}`} title="Priority">
            {PRIORITY_LABEL[task.priority]}
          </span>
        )}
        {task.dueDate && (
          <span className={`due${overdue ? ' due-overdue' : ''}`} title="Due date">
            <Icon name="calendar" /> {formatDue(task.dueDate)}
          </span>
        )}
        {task.commentCount > 0 && (
          <span className="comment-count" title={`${task.commentCount} comments`} data-testid="comment-count">
            <Icon name="comment" /> {task.commentCount}
          </span>
        )}
        <span className="spacer" />
        {task.assignee && <Avatar user={task.assignee} size={22} />}
      </div>
    </div>
  );
}
