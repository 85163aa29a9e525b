import { useEffect, useState, type FormEvent } from 'react';
import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { graphql } from '../gql';
import type { BoardListItemFragment } from '../gql/graphql';
import { describeError } from '../ui/errors';
import { formatRoute } from '../ui/router';
import { useNotify } from '../ui/Toasts';

export const BoardListItemFields = graphql(`
  fragment BoardListItem on Board {
    id
    name
    description
    myRole
    version
    columns {
      id
      taskCount
    }
  }
`);

export const BoardsQuery = graphql(`
  query Boards {
    boards(first: 100) {
      nodes {
        ...BoardListItem
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`);

const CreateBoard = graphql(`
  mutation CreateBoard($input: CreateBoardInput!) {
    createBoard(input: $input) {
      board {
        ...BoardListItem
      }
    }
  }
`);

const CreateStarterColumn = graphql(`
  mutation CreateStarterColumn($input: CreateColumnInput!) {
    createColumn(input: $input) {
      column {
        id
      }
    }
  }
`);

const RenameBoard = graphql(`
  mutation RenameBoard($input: UpdateBoardInput!) {
    updateBoard(input: $input) {
      board {
        ...BoardListItem
      }
    }
  }
`);

const DeleteBoard = graphql(`
  mutation DeleteBoard($input: DeleteBoardInput!) {
    deleteBoard(input: $input) {
      deletedBoardId
    }
  }
`);

const STARTER_COLUMNS = [
  { name: 'To do', isDone: false },
  { name: 'In progress', isDone: false },
  { name: 'Done', isDone: true },
];

/** The boards you are a member of, and a form to start a new one. */
export function BoardList() {
  // There is no live feed of one's boards, so look again now and then (invitations arrive this way).
  const { data, loading, error, refetch } = useQuery(BoardsQuery, { fetchPolicy: 'cache-and-network', pollInterval: 20_000 });
  useEffect(() => {
    const onFocus = () => void refetch().catch(() => {});
    window.addEventListener('focus', onFocus);
    return () => window.removeEventListener('focus', onFocus);
  }, [refetch]);
  const boards = data?.boards.nodes ?? [];

  return (
    <main className="page boards-page">
      <h1>Your boards</h1>
      <NewBoardForm />
      {error && <p className="error">{describeError(error, 'Loading your boards')}</p>}
      {loading && !data && <p className="muted">Loading…</p>}
      {data && boards.length === 0 && <p className="muted">No boards yet. Create one above, or ask someone to invite you.</p>}
      <ul className="board-list" data-testid="board-list">
        {boards.map((board) => (
          <BoardRow key={board.id} board={board} />
        ))}
      </ul>
    </main>
  );
}

function NewBoardForm() {
  const client = useApolloClient();
  const notify = useNotify();
  const [name, setName] = useState('');
  const [starter, setStarter] = useState(true);
  const [busy, setBusy] = useState(false);
  const [createBoard] = useMutation(CreateBoard, {
    update(cache, { data }) {
      const board = data?.createBoard.board;
      if (!board) return;
      cache.updateQuery({ query: BoardsQuery }, (existing) =>
        existing && !existing.boards.nodes.some((b) => b.id === board.id)
          ? { ...existing, boards: { ...existing.boards, nodes: [...existing.boards.nodes, board] } }
          : existing,
      );
    },
  });

  async function submit(e: FormEvent) {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return;
    setBusy(true);
    try {
      const { data } = await createBoard({ variables: { input: { name: trimmed } } });
      const board = data?.createBoard.board;
      if (!board) return;
      if (starter) {
        for (const column of STARTER_COLUMNS) {
          await client.mutate({ mutation: CreateStarterColumn, variables: { input: { boardId: board.id, ...column } } });
        }
      }
      setName('');
      window.location.hash = formatRoute({ name: 'board', boardId: board.id, view: 'kanban', taskId: null });
    } catch (err) {
      notify(describeError(err, 'Creating the board'), 'error');
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="new-board" onSubmit={submit} aria-label="New board">
      <input
        aria-label="Board name"
        placeholder="New board name"
        value={name}
        maxLength={100}
        onChange={(e) => setName(e.target.value)}
      />
      <label className="check">
        <input type="checkbox" checked={starter} onChange={(e) => setStarter(e.target.checked)} /> with To do / In progress / Done
      </label>
      <button className="primary" type="submit" disabled={busy || !name.trim()}>
        Create board
      </button>
    </form>
  );
}

function BoardRow({ board }: { board: BoardListItemFragment }) {
  const notify = useNotify();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(board.name);
  const [renameBoard] = useMutation(RenameBoard, { errorPolicy: 'all' });
  const [deleteBoard] = useMutation(DeleteBoard, {
    update(cache, { data }) {
      const id = data?.deleteBoard.deletedBoardId;
      if (!id) return;
      cache.updateQuery({ query: BoardsQuery }, (existing) =>
        existing ? { ...existing, boards: { ...existing.boards, nodes: existing.boards.nodes.filter((b) => b.id !== id) } } : existing,
      );
      cache.evict({ id: cache.identify({ __typename: 'Board', id }) });
      cache.gc();
    },
  });
  const tasks = board.columns.reduce((n, c) => n + c.taskCount, 0);
  const owner = board.myRole === 'OWNER';

  async function rename(e: FormEvent) {
    e.preventDefault();
    const trimmed = name.trim();
    setEditing(false);
    if (!trimmed || trimmed === board.name) return;
    const { error } = await renameBoard({ variables: { input: { boardId: board.id, name: trimmed, expectedVersion: board.version } } });
    if (error) {
      notify(describeError(error, 'Renaming the board'), 'error');
      setName(board.name);
    }
  }

  async function remove() {
    if (!window.confirm(`Delete the board "${board.name}" with everything on it? This cannot be undone.`)) return;
    try {
      await deleteBoard({ variables: { input: { boardId: board.id } } });
    } catch (err) {
      notify(describeError(err, 'Deleting the board'), 'error');
    }
  }

  return (
    <li className="board-row" data-testid="board-row">
      {editing ? (
        <form onSubmit={rename} className="row grow">
          <input aria-label="Board name" autoFocus value={name} maxLength={100} onChange={(e) => setName(e.target.value)} onBlur={rename} />
        </form>
      ) : (
        <a className="board-link" href={formatRoute({ name: 'board', boardId: board.id, view: 'kanban', taskId: null })}>
          <strong>{board.name}</strong>
          <span className="muted small">
            {board.columns.length} columns · {tasks} tasks · {board.myRole.toLowerCase()}
          </span>
        </a>
      )}
      {owner && !editing && (
        <span className="row">
          <button className="ghost small" onClick={() => setEditing(true)}>
            Rename
          </button>
          <button className="ghost small danger" onClick={() => void remove()}>
            Delete
          </button>
        </span>
      )}
    </li>
  );
}
