import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApolloClient, ApolloLink } from '@apollo/client';
import { Observable, Subject } from 'rxjs';
import { createCache } from '../apollo';
import { BoardLive, retryDelay, type LiveStatus } from './useBoardLive';
import { BoardViewQuery } from './queries';
import type { BoardEventData, BoardView } from './boardEvents';
import { ME, board, card, column, event, layout, member, taskEvent } from '../test/fixtures';

/**
 * A fake server behind a real Apollo Client and cache: BoardView answers with `state`, each
 * boardChanged subscription is a Subject the test pushes events into, and every request is
 * recorded.
 */
class FakeServer {
  state: BoardView;
  subscriptions: { variables: Record<string, unknown>; events: Subject<unknown> }[] = [];
  boardFetches = 0;
  failFetches = 0;
  commentCounts: Record<string, number> = {};
  countRequests: string[] = [];

  constructor(state: BoardView) {
    this.state = state;
  }

  link = new ApolloLink((operation) => {
    const name = operation.operationName;
    if (name === 'BoardChanged') {
      const events = new Subject<unknown>();
      this.subscriptions.push({ variables: operation.variables, events });
      return events.asObservable() as Observable<ApolloLink.Result>;
    }
    return new Observable((observer) => {
      if (name === 'BoardView') {
        this.boardFetches++;
        if (this.failFetches > 0) {
          this.failFetches--;
          observer.error(new Error('Failed to fetch'));
          return;
        }
        observer.next({ data: { board: structuredClone(this.state) } });
      } else if (name === 'TaskCommentCount') {
        const id = operation.variables.id as string;
        this.countRequests.push(id);
        observer.next({ data: { task: { __typename: 'Task', id, commentCount: this.commentCounts[id] ?? 0 } } });
      } else if (name === 'BoardSeq') {
        observer.next({ data: { board: { __typename: 'Board', id: this.state.id, lastSeq: this.state.lastSeq } } });
      } else {
        observer.error(new Error(`unexpected operation ${name}`));
      }
      observer.complete();
    });
  });

  get current() {
    return this.subscriptions.at(-1)!;
  }

  send(e: BoardEventData) {
    this.current.events.next({ data: { boardChanged: e } });
  }
}

function setup(state: BoardView) {
  const server = new FakeServer(state);
  const client = new ApolloClient({ link: server.link, cache: createCache() });
  const statuses: LiveStatus[] = [];
  const live = new BoardLive(client, state.id, ME, { status: (s) => statuses.push(s) }, { retryDelay: () => 5, seqCheckMs: 60_000 });
  const cached = () => client.readQuery({ query: BoardViewQuery, variables: { id: state.id } })?.board ?? null;
  return { server, client, live, statuses, cached };
}

const lives: BoardLive[] = [];
afterEach(() => lives.splice(0).forEach((l) => l.stop()));

async function started(state: BoardView) {
  const t = setup(state);
  lives.push(t.live);
  t.live.start();
  await vi.waitFor(() => expect(t.statuses).toContainEqual({ state: 'ready' }));
  return t;
}

describe('BoardLive', () => {
  const initial = () => board([column('todo', ['t1']), column('done')], { lastSeq: 10 });

  it('loads the board, then applies live events to the cache in order', async () => {
    const { server, cached } = await started(initial());
    expect(server.subscriptions).toHaveLength(1);
    expect(server.current.variables.after ?? null).toBeNull();

    server.send(taskEvent(11, 'TASK_CREATED', card('t2', 'todo'), ['t1', 't2']));
    server.send(taskEvent(12, 'TASK_MOVED', card('t1', 'done'), ['t1']));
    await vi.waitFor(() => expect(cached()?.lastSeq).toBe(12));
    expect(layout(cached()!)).toEqual({ todo: ['t2'], done: ['t1'] });
  });

  it('skips events the loaded board already reflects', async () => {
    const { server, cached } = await started(initial());
    server.send(taskEvent(9, 'TASK_MOVED', card('t1', 'done'), ['t1']));
    server.send(taskEvent(10, 'TASK_MOVED', card('t1', 'done'), ['t1']));
    server.send(event(11, 'BOARD_CREATED', 'b1'));
    await vi.waitFor(() => expect(cached()?.lastSeq).toBe(11));
    expect(layout(cached()!)).toEqual({ todo: ['t1'], done: [] });
  });

  it('refetches on a gap in seq and applies what queued up after the fresh board', async () => {
    const { server, cached } = await started(initial());
    // Events 11 and 12 never arrive; the server's board has them.
    server.state = board([column('todo', ['t1', 't2']), column('done', ['t3'])], { lastSeq: 12 });
    const fetches = server.boardFetches;
    server.send(taskEvent(13, 'TASK_MOVED', card('t2', 'done'), ['t3', 't2']));
    await vi.waitFor(() => expect(cached()?.lastSeq).toBe(13));
    expect(server.boardFetches).toBe(fetches + 1);
    expect(layout(cached()!)).toEqual({ todo: ['t1'], done: ['t3', 't2'] });
  });

  it('resubscribes after a dropped socket with the cursor of the last event it received', async () => {
    const { server, cached } = await started(initial());
    server.send(event(11, 'BOARD_CREATED', 'b1', { cursor: 'cursor-11' }));
    await vi.waitFor(() => expect(cached()?.lastSeq).toBe(11));
    const fetches = server.boardFetches;

    server.current.events.error(new Error('Socket closed with event 1006'));
    await vi.waitFor(() => expect(server.subscriptions).toHaveLength(2));
    expect(server.current.variables.after).toBe('cursor-11');

    // The server replays what was missed; nothing is refetched.
    server.send(taskEvent(12, 'TASK_MOVED', card('t1', 'done'), ['t1']));
    await vi.waitFor(() => expect(cached()?.lastSeq).toBe(12));
    expect(layout(cached()!)).toEqual({ todo: [], done: ['t1'] });
    expect(server.boardFetches).toBe(fetches);
  });

  it('keeps retrying while the server is away, always with the latest cursor', async () => {
    const { server } = await started(initial());
    server.send(event(11, 'BOARD_CREATED', 'b1', { cursor: 'cursor-11' }));
    await vi.waitFor(() => expect(server.subscriptions).toHaveLength(1));
    server.current.events.error(new Error('Socket closed'));
    await vi.waitFor(() => expect(server.subscriptions).toHaveLength(2));
    server.current.events.error(new Error('Socket closed'));
    await vi.waitFor(() => expect(server.subscriptions).toHaveLength(3));
    server.current.events.complete();
    await vi.waitFor(() => expect(server.subscriptions).toHaveLength(4));
    expect(server.subscriptions.slice(1).map((s) => s.variables.after)).toEqual(['cursor-11', 'cursor-11', 'cursor-11']);
  });

  it('refetches when it must resubscribe without a cursor, since "now" would skip what it missed', async () => {
    const { server, cached } = await started(initial());
    server.state = board([column('todo'), column('done', ['t1'])], { lastSeq: 14 });
    const fetches = server.boardFetches;
    server.current.events.error(new Error('Socket closed'));
    await vi.waitFor(() => expect(cached()?.lastSeq).toBe(14));
    expect(server.boardFetches).toBe(fetches + 1);
    expect(server.current.variables.after ?? null).toBeNull();
    expect(layout(cached()!)).toEqual({ todo: [], done: ['t1'] });
  });

  it('on CURSOR_EXPIRED refetches the board and subscribes without a cursor', async () => {
    const { server, cached } = await started(initial());
    server.send(event(11, 'BOARD_CREATED', 'b1', { cursor: 'cursor-11' }));
    server.current.events.error(new Error('Socket closed'));
    await vi.waitFor(() => expect(server.subscriptions).toHaveLength(2));
    server.state = board([column('todo', ['t1', 't5'])], { lastSeq: 500 });
    server.current.events.next({ errors: [{ message: 'expired', extensions: { code: 'CURSOR_EXPIRED' } }] });
    server.current.events.complete();
    await vi.waitFor(() => expect(cached()?.lastSeq).toBe(500));
    await vi.waitFor(() => expect(server.subscriptions).toHaveLength(3));
    expect(server.current.variables.after ?? null).toBeNull();
    expect(layout(cached()!)).toEqual({ todo: ['t1', 't5'] });
  });

  it('retries the first load until the server answers', async () => {
    const t = setup(initial());
    lives.push(t.live);
    t.server.failFetches = 2;
    t.live.start();
    await vi.waitFor(() => expect(t.statuses).toContainEqual({ state: 'ready' }));
    expect(t.statuses[0]).toMatchObject({ state: 'error' });
    expect(t.server.boardFetches).toBe(3);
  });

  it('asks the server for the comment count after a deletion, which does not carry it', async () => {
    const start = initial();
    start.columns[0]!.tasks.nodes[0]!.commentCount = 3;
    const { server, cached } = await started(start);
    server.commentCounts.t1 = 2;
    server.send(event(11, 'COMMENT_DELETED', 'cm1', { taskId: 't1' }));
    await vi.waitFor(() => expect(cached()?.columns[0]!.tasks.nodes[0]!.commentCount).toBe(2));
    expect(server.countRequests).toEqual(['t1']);
  });

  it('says the board is gone when I am removed from it', async () => {
    const { server, statuses } = await started(board([column('todo')], { members: { __typename: 'BoardMemberConnection', nodes: [member(ME)] } }));
    server.send(event(11, 'MEMBER_REMOVED', ME));
    await vi.waitFor(() => expect(statuses).toContainEqual({ state: 'gone', reason: 'removed' }));
  });

  it('says the board is gone when the subscription is refused with NOT_FOUND', async () => {
    const { server, statuses } = await started(initial());
    server.current.events.next({ errors: [{ message: 'no such board', extensions: { code: 'NOT_FOUND' } }] });
    server.current.events.complete();
    await vi.waitFor(() => expect(statuses).toContainEqual({ state: 'gone', reason: 'not-found' }));
    expect(server.subscriptions).toHaveLength(1);
  });
});

describe('retryDelay', () => {
  it('doubles from half a second up to ten, with jitter', () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 9].map((n) => retryDelay(n, mid))).toEqual([500, 1000, 2000, 4000, 8000, 10000, 10000]);
    expect(retryDelay(0, () => 0)).toBe(375);
    expect(retryDelay(0, () => 1)).toBe(625);
  });
});
