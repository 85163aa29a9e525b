// The board's structural changes (cards and columns), each applied to the cached board at once
// (optimistic) and sent to the server; a refusal rolls the optimistic layer back and says why.
// The live event of the same change arrives later (or earlier) and applies as a no-op upsert.

import { useMemo } from 'react';
import { useApolloClient } from '@apollo/client/react';
import type { ApolloCache } from '@apollo/client';
import { graphql } from '../gql';
import { describeError } from '../ui/errors';
import { useNotify } from '../ui/Toasts';
import { emptyTasks, placeCard, type BoardView, type CardView, type ColumnView } from './boardEvents';
import { addCardLocally, moveColumnLocally, neighboursOf, placeByNeighbours, type Neighbours } from './moves';
import { BoardViewQuery } from './queries';

const CreateTask = graphql(`
  mutation CreateTask($input: CreateTaskInput!) {
    createTask(input: $input) {
      task {
        ...TaskCard
      }
    }
  }
`);

const MoveTask = graphql(`
  mutation MoveTask($input: MoveTaskInput!) {
    moveTask(input: $input) {
      task {
        ...TaskCard
      }
    }
  }
`);

const CreateColumn = graphql(`
  mutation CreateColumn($input: CreateColumnInput!) {
    createColumn(input: $input) {
      column {
        ...ColumnFields
      }
    }
  }
`);

const MoveColumn = graphql(`
  mutation MoveColumn($input: MoveColumnInput!) {
    moveColumn(input: $input) {
      column {
        ...ColumnFields
      }
    }
  }
`);

const UpdateColumn = graphql(`
  mutation UpdateColumn($input: UpdateColumnInput!) {
    updateColumn(input: $input) {
      column {
        ...ColumnFields
      }
    }
  }
`);

const DeleteColumn = graphql(`
  mutation DeleteColumn($input: DeleteColumnInput!) {
    deleteColumn(input: $input) {
      deletedColumnId
      movedTaskCount
    }
  }
`);

export interface ColumnChanges {
  name?: string;
  isDone?: boolean;
  wipLimit?: number | null;
}

export function useBoardMutations(boardId: string) {
  const client = useApolloClient();
  const notify = useNotify();

  return useMemo(() => {
    const variables = { id: boardId };
    const updateBoard = (cache: ApolloCache, f: (board: BoardView) => BoardView) =>
      cache.updateQuery({ query: BoardViewQuery, variables }, (data) => (data?.board ? { board: f(data.board) } : undefined));
    const readBoard = () => client.readQuery({ query: BoardViewQuery, variables })?.board ?? null;

    /** Moves a card between neighbours; `expectedVersion` makes a concurrent change win visibly. */
    async function moveTask(card: CardView, toColumnId: string, neighbours: Neighbours): Promise<boolean> {
      const moved: CardView = { ...card, column: { __typename: 'Column', id: toColumnId } };
      const { error } = await client.mutate({
        mutation: MoveTask,
        variables: {
          input: {
            taskId: card.id,
            columnId: toColumnId,
            afterId: neighbours.afterId,
            beforeId: neighbours.beforeId,
            expectedVersion: card.version,
          },
        },
        errorPolicy: 'all',
        optimisticResponse: { moveTask: { __typename: 'MoveTaskPayload', task: moved } },
        update(cache, result) {
          const task = result.data?.moveTask.task;
          if (result.errors?.length) {
            // CONFLICT comes with the task as it is now: show that, not our move.
            if (task) updateBoard(cache, (board) => placeCard(board, task, null));
            return;
          }
          updateBoard(cache, (board) => placeByNeighbours(board, card.id, toColumnId, neighbours));
        },
      });
      if (error) {
        notify(describeError(error, 'Moving the card'), 'error');
        return false;
      }
      return true;
    }

    async function createTask(columnId: string, title: string): Promise<boolean> {
      const temp: CardView = {
        __typename: 'Task',
        id: `temp-${crypto.randomUUID()}`,
        number: 0,
        title,
        priority: 'NONE',
        dueDate: null,
        commentCount: 0,
        completedAt: null,
        version: 0,
        column: { __typename: 'Column', id: columnId },
        assignee: null,
        labels: [],
      };
      try {
        await client.mutate({
          mutation: CreateTask,
          variables: { input: { columnId, title } },
          optimisticResponse: { createTask: { __typename: 'CreateTaskPayload', task: temp } },
          update(cache, result) {
            const task = result.data?.createTask.task;
            if (task) updateBoard(cache, (board) => addCardLocally(board, task));
          },
        });
        return true;
      } catch (err) {
        notify(describeError(err, 'Adding the card'), 'error');
        return false;
      }
    }

    async function createColumn(name: string, isDone = false): Promise<boolean> {
      try {
        const board = readBoard();
        const afterId = board?.columns.at(-1)?.id ?? null;
        await client.mutate({
          mutation: CreateColumn,
          variables: { input: { boardId, name, isDone, afterId } },
          update(cache, result) {
            const column = result.data?.createColumn.column;
            if (!column) return;
            updateBoard(cache, (b) =>
              b.columns.some((c) => c.id === column.id)
                ? b
                : { ...b, columns: [...b.columns, { ...column, tasks: emptyTasks() } satisfies ColumnView] },
            );
          },
        });
        return true;
      } catch (err) {
        notify(describeError(err, 'Adding the column'), 'error');
        return false;
      }
    }

    async function moveColumn(column: ColumnView, toIndex: number): Promise<boolean> {
      const board = readBoard();
      if (!board) return false;
      const ids = moveColumnLocally(board, column.id, toIndex).columns.map((c) => c.id);
      const neighbours = neighboursOf(ids, column.id);
      const { error } = await client.mutate({
        mutation: MoveColumn,
        variables: { input: { columnId: column.id, afterId: neighbours.afterId, beforeId: neighbours.beforeId } },
        errorPolicy: 'all',
        optimisticResponse: {
          moveColumn: { __typename: 'MoveColumnPayload', column: { __typename: 'Column', id: column.id, name: column.name, isDone: column.isDone, wipLimit: column.wipLimit, taskCount: column.taskCount, version: column.version } },
        },
        update(cache, result) {
          if (result.errors?.length) return;
          updateBoard(cache, (b) => {
            const rest = b.columns.map((c) => c.id).filter((id) => id !== column.id);
            let index = rest.length;
            if (neighbours.afterId && rest.includes(neighbours.afterId)) index = rest.indexOf(neighbours.afterId) + 1;
            else if (neighbours.beforeId && rest.includes(neighbours.beforeId)) index = rest.indexOf(neighbours.beforeId);
            return moveColumnLocally(b, column.id, index);
          });
        },
      });
      if (error) {
        notify(describeError(error, 'Moving the column'), 'error');
        return false;
      }
      return true;
    }

    async function updateColumn(column: ColumnView, changes: ColumnChanges): Promise<boolean> {
      const { error } = await client.mutate({
        mutation: UpdateColumn,
        variables: { input: { columnId: column.id, expectedVersion: column.version, ...changes } },
        errorPolicy: 'all',
      });
      if (error) {
        notify(describeError(error, 'Changing the column'), 'error');
        return false;
      }
      return true;
    }

    async function deleteColumn(column: ColumnView, moveTasksTo: string | null): Promise<boolean> {
      try {
        await client.mutate({
          mutation: DeleteColumn,
          variables: { input: { columnId: column.id, moveTasksTo } },
          update(cache, result) {
            const id = result.data?.deleteColumn.deletedColumnId;
            if (!id) return;
            updateBoard(cache, (b) => {
              const gone = b.columns.find((c) => c.id === id);
              let next: BoardView = { ...b, columns: b.columns.filter((c) => c.id !== id) };
              // The server appends the moved tasks to the target column, in their old order.
              for (const card of gone?.tasks.nodes ?? []) {
                if (moveTasksTo) next = placeCard(next, { ...card, column: { __typename: 'Column', id: moveTasksTo } }, null);
              }
              return next;
            });
          },
        });
        return true;
      } catch (err) {
        notify(describeError(err, 'Deleting the column'), 'error');
        return false;
      }
    }

    return { moveTask, createTask, createColumn, moveColumn, updateColumn, deleteColumn };
  }, [client, boardId, notify]);
}
