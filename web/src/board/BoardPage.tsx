import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { graphql } from '../gql';
import type { BoardHeaderFragment } from '../gql/graphql';
import type { CardView } from './boardEvents';
import { BoardViewQuery } from './queries';
import { useBoardLive } from './useBoardLive';
import { useBoardMutations } from './useBoardMutations';
import { KanbanView } from './KanbanView';
import { ListView } from './ListView';
import { CalendarView } from './CalendarView';
import { Filters } from './Filters';
import { MembersDialog } from './MembersDialog';
import { ConnectionIndicator } from './ConnectionIndicator';
import { cardMatches, NO_FILTER, type TaskFilterState } from './filters';
import { TaskPanel } from '../task/TaskPanel';
import { describeError } from '../ui/errors';
import type { BoardViewName, Route } from '../ui/router';
import { useDebounced } from '../ui/useDebounced';
import { useNotify } from '../ui/Toasts';

export const BoardHeaderFields = graphql(`
  fragment BoardHeader on Board {
    id
    name
    description
    myRole
    version
  }
`);

const SearchTasks = graphql(`
  query SearchTasks($boardId: ID!, $filter: TaskFilter!) {
    board(id: $boardId) {
      id
      tasks(filter: $filter, first: 100) {
        nodes {
          id
        }
      }
    }
  }
`);

const RenameBoardInPage = graphql(`
  mutation RenameBoardInPage($input: UpdateBoardInput!) {
    updateBoard(input: $input) {
      board {
        ...BoardHeader
      }
    }
  }
`);

const VIEW_LABEL: Record<BoardViewName, string> = { kanban: 'Board', list: 'List', calendar: 'Calendar' };

interface BoardPageProps {
  route: Extract<Route, { name: 'board' }>;
  navigate: (route: Route, replace?: boolean) => void;
  meId: string;
}

/** One board: live, in one of three views, with a task panel and the members dialog. */
export function BoardPage({ route, navigate, meId }: BoardPageProps) {
  const { boardId, view, taskId } = route;
  const notify = useNotify();
  const live = useBoardLive(boardId, meId);
  const { data } = useQuery(BoardViewQuery, { variables: { id: boardId }, fetchPolicy: 'cache-only' });
  const board = data?.board ?? null;
  const actions = useBoardMutations(boardId);
  const [filter, setFilter] = useState<TaskFilterState>(NO_FILTER);
  const [membersOpen, setMembersOpen] = useState(false);

  const searchText = useDebounced(filter.text.trim(), 300);
  const search = useQuery(SearchTasks, {
    variables: { boardId, filter: { text: searchText } },
    skip: searchText.length === 0,
    fetchPolicy: 'no-cache',
  });
  const lastSeq = board?.lastSeq;
  const debouncedSeq = useDebounced(lastSeq, 500);
  const { refetch: refetchSearch } = search;
  useEffect(() => {
    // Live changes can make more (or fewer) tasks match: search again once they settle.
    if (searchText) void refetchSearch().catch(() => {});
  }, [debouncedSeq, searchText, refetchSearch]);
  const textMatches = useMemo(() => new Set(search.data?.board?.tasks.nodes.map((t) => t.id) ?? []), [search.data]);

  const visible = useCallback(
    (card: CardView) => cardMatches(card, { ...filter, text: searchText ? filter.text : '' }, textMatches),
    [filter, searchText, textMatches],
  );

  const openTask = useCallback((id: string | null) => navigate({ ...route, taskId: id }), [navigate, route]);
  const setView = (next: BoardViewName) => navigate({ ...route, view: next });

  useEffect(() => {
    if (live.state !== 'gone') return;
    notify(
      live.reason === 'deleted'
        ? 'This board was deleted.'
        : live.reason === 'removed'
          ? 'You are no longer a member of this board.'
          : 'This board does not exist, or you are not a member.',
      'error',
    );
    navigate({ name: 'boards' }, true);
  }, [live, navigate, notify]);

  if (!board) {
    if (live.state === 'error') {
      return (
        <main className="page">
          <p className="error">{describeError(live.error, 'Loading the board')} Retrying…</p>
        </main>
      );
    }
    return (
      <main className="page">
        <p className="muted">Loading the board…</p>
      </main>
    );
  }

  const canEdit = board.myRole !== 'VIEWER';

  return (
    <main className={`board-page${taskId ? ' with-panel' : ''}`} data-testid="board-page" data-role={board.myRole} data-last-seq={board.lastSeq}>
      <div className="board-toolbar">
        <BoardTitle board={board} />
        <span className="role-badge" title="Your role on this board" data-testid="my-role">
          {board.myRole.toLowerCase()}
        </span>
        <ConnectionIndicator />
        <nav className="view-tabs" aria-label="Views">
          {(Object.keys(VIEW_LABEL) as BoardViewName[]).map((v) => (
            <button key={v} className={v === view ? 'tab active' : 'tab'} aria-pressed={v === view} onClick={() => setView(v)}>
              {VIEW_LABEL[v]}
            </button>
          ))}
        </nav>
        <Filters board={board} filter={filter} onChange={setFilter} />
        <button className="members-button" onClick={() => setMembersOpen(true)}>
          Members ({board.members.nodes.length})
        </button>
      </div>
      {board.description && <p className="board-description muted">{board.description}</p>}
      {!canEdit && <p className="notice small">You can view this board; only editors can change it.</p>}
      {view === 'kanban' && <KanbanView board={board} canEdit={canEdit} visible={visible} onOpenTask={openTask} actions={actions} />}
      {view === 'list' && <ListView board={board} visible={visible} onOpenTask={openTask} />}
      {view === 'calendar' && <CalendarView board={board} visible={visible} onOpenTask={openTask} />}
      {taskId && <TaskPanel key={taskId} taskId={taskId} board={board} meId={meId} onClose={() => openTask(null)} actions={actions} />}
      {membersOpen && (
        <MembersDialog board={board} meId={meId} onClose={() => setMembersOpen(false)} onLeft={() => navigate({ name: 'boards' }, true)} />
      )}
    </main>
  );
}

function BoardTitle({ board }: { board: BoardHeaderFragment }) {
  const notify = useNotify();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(board.name);
  const [rename] = useMutation(RenameBoardInPage, { errorPolicy: 'all' });
  const isOwner = board.myRole === 'OWNER';

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!editing) return;
    setEditing(false);
    const trimmed = name.trim();
    if (!trimmed || trimmed === board.name) return setName(board.name);
    const { error } = await rename({ variables: { input: { boardId: board.id, name: trimmed, expectedVersion: board.version } } });
    if (error) notify(describeError(error, 'Renaming the board'), 'error');
  }

  if (editing) {
    return (
      <form onSubmit={submit} className="board-title-form">
        <input aria-label="Board name" autoFocus value={name} maxLength={100} onChange={(e) => setName(e.target.value)} onBlur={submit} />
      </form>
    );
  }
  return (
    <h1 className="board-title" data-testid="board-title">
      {board.name}
      {isOwner && (
        <button className="icon small" aria-label="Rename board" onClick={() => (setName(board.name), setEditing(true))}>
          ✎
        </button>
      )}
    </h1>
  );
}
