// Keeps the cached board of the open page live: loads it, subscribes to boardChanged, applies
// each event to the cache (boardEvents.ts decides how), and never loses one:
//
// - the cursor of the last event received is kept, and every resubscription after a drop passes
//   it as `after`, so the server replays what was missed;
// - a resubscription without a cursor (nothing received yet) refetches the board instead;
// - a gap in seq, an event that cannot be applied, or CURSOR_EXPIRED refetch the board; events
//   that arrive meanwhile wait in a queue and are applied (or skipped) against the fresh board;
// - a subscription that ends for any other reason is retried with backoff, and the connection
//   indicator says "reconnecting" until the socket is back.

import { useContext, useEffect, useState } from 'react';
import { useApolloClient } from '@apollo/client/react';
import type { ApolloClient } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { graphql } from '../gql';
import { TaskDetailQuery, TaskTextFields } from '../task/TaskPanel';
import { applyCommentEvent } from '../task/commentEvents';
import { TaskCommentCountQuery } from '../task/CommentThread';
import { applyBoardEvent, type BoardEventData } from './boardEvents';
import { ConnectionContext } from './ConnectionIndicator';
import { BoardChangedSubscription, BoardViewQuery } from './queries';
import { errorCode } from '../ui/errors';

const BoardSeqQuery = graphql(`
  query BoardSeq($id: ID!) {
    board(id: $id) {
      id
      lastSeq
    }
  }
`);

export type LiveStatus =
  | { state: 'loading' }
  | { state: 'ready' }
  | { state: 'error'; error: unknown }
  | { state: 'gone'; reason: 'deleted' | 'removed' | 'not-found' };

/** Delay before the n-th retry (0-based): 0.5 s doubling up to 10 s, with jitter. */
export function retryDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(10_000, 500 * 2 ** attempt);
  return Math.round(base * (0.75 + random() * 0.5));
}

export function useBoardLive(boardId: string, meId: string): LiveStatus {
  const client = useApolloClient();
  const connection = useContext(ConnectionContext);
  const [status, setStatus] = useState<LiveStatus>({ state: 'loading' });

  useEffect(() => {
    const live = new BoardLive(client, boardId, meId, { status: setStatus });
    connection?.want(true);
    live.start();
    return () => {
      live.stop();
      connection?.want(false);
    };
  }, [client, boardId, meId, connection]);

  return status;
}

export interface LiveTimings {
  /** Delay before the n-th resubscription or refetch retry. */
  retryDelay: (attempt: number) => number;
  /** How long after a load the board's seq is checked once. */
  seqCheckMs: number;
}

const DEFAULT_TIMINGS: LiveTimings = { retryDelay: (attempt) => retryDelay(attempt), seqCheckMs: 1_500 };

export interface LiveCallbacks {
  status: (status: LiveStatus) => void;
}

/** The subscription's lifecycle, outside React so its state is plain fields, not stale closures. */
export class BoardLive {
  private stopped = false;
  private ready = false;
  private cursor: string | null = null;
  private subscription: { unsubscribe(): void } | null = null;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private checkTimer: ReturnType<typeof setTimeout> | null = null;
  private refetching: Promise<void> | null = null;
  private readonly queue: BoardEventData[] = [];
  private receivedSinceLoad = false;
  private recentRefetches: number[] = [];

  constructor(
    private readonly client: ApolloClient,
    private readonly boardId: string,
    private readonly meId: string,
    private readonly on: LiveCallbacks,
    private readonly timings: LiveTimings = DEFAULT_TIMINGS,
  ) {}

  start() {
    this.subscribe();
    void this.refetch();
  }

  stop() {
    this.stopped = true;
    this.subscription?.unsubscribe();
    this.subscription = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.checkTimer) clearTimeout(this.checkTimer);
  }

  private get variables() {
    return { id: this.boardId };
  }

  private subscribe() {
    if (this.stopped) return;
    let lastError: unknown = null;
    const resumed = this.cursor !== null;
    this.subscription?.unsubscribe();
    this.subscription = this.client
      .subscribe({
        query: BoardChangedSubscription,
        variables: { boardId: this.boardId, after: this.cursor },
        fetchPolicy: 'no-cache',
        errorPolicy: 'all',
      })
      .subscribe({
        next: (result) => {
          const event = result.data?.boardChanged;
          if (event) {
            this.attempt = 0;
            this.receive(event);
          } else if (result.error) {
            lastError = result.error;
          }
        },
        error: (error) => {
          lastError = error;
          this.ended(lastError);
        },
        complete: () => this.ended(lastError),
      });
    // Without a cursor the server starts at "now": whatever happened while we were away is only
    // in a fresh copy of the board.
    if (!resumed && this.ready) void this.refetch();
  }

  /** The subscription is over: decide whether to resume, refetch first, or give up. */
  private ended(error: unknown) {
    if (this.stopped) return;
    this.subscription = null;
    const code = errorCode(error);
    if (code === 'CURSOR_EXPIRED') {
      this.cursor = null;
      void this.refetch().then(() => this.subscribe());
      return;
    }
    if (code === 'NOT_FOUND' || code === 'FORBIDDEN') {
      this.on.status({ state: 'gone', reason: 'not-found' });
      return;
    }
    if (CombinedGraphQLErrors.is(error) && code === 'BAD_USER_INPUT') {
      // Our own cursor was refused: start over from a fresh board.
      this.cursor = null;
    }
    this.scheduleResubscribe();
  }

  private scheduleResubscribe() {
    if (this.stopped || this.retryTimer) return;
    const delay = this.timings.retryDelay(this.attempt++);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.subscribe();
    }, delay);
  }

  private receive(event: BoardEventData) {
    this.cursor = event.cursor;
    this.receivedSinceLoad = true;
    if (!this.ready || this.refetching) {
      this.queue.push(event);
      return;
    }
    this.apply(event);
  }

  private apply(event: BoardEventData) {
    const cache = this.client.cache;
    const board = cache.readQuery({ query: BoardViewQuery, variables: this.variables })?.board;
    if (!board) {
      this.queue.push(event);
      void this.refetch();
      return;
    }
    const outcome = applyBoardEvent(board, event, this.meId);
    switch (outcome.type) {
      case 'applied':
        cache.writeQuery({ query: BoardViewQuery, variables: this.variables, data: { board: outcome.board } });
        this.applyToOpenTask(event);
        return;
      case 'skipped':
        return;
      case 'gap':
      case 'refetch':
        this.queue.push(event);
        void this.refetch();
        return;
      case 'gone':
        this.on.status({ state: 'gone', reason: outcome.reason });
        this.stop();
        return;
    }
  }

  /** Task text and comment threads are not on the board; keep an open task's detail live too. */
  private applyToOpenTask(event: BoardEventData) {
    const cache = this.client.cache;
    if (event.task) {
      cache.writeFragment({
        id: cache.identify({ __typename: 'Task', id: event.task.id }),
        fragment: TaskTextFields,
        data: { __typename: 'Task', id: event.task.id, description: event.task.description, updatedAt: event.task.updatedAt },
      });
    }
    const taskId = event.comment?.task.id ?? event.taskId;
    if (event.kind.startsWith('COMMENT_') && taskId) {
      cache.updateQuery({ query: TaskDetailQuery, variables: { id: taskId } }, (data) =>
        data?.task ? { task: applyCommentEvent(data.task, event) } : undefined,
      );
    }
    if (event.kind === 'COMMENT_DELETED' && taskId) {
      // A deletion does not carry the task's new comment count; the card's count comes from here.
      void this.client.query({ query: TaskCommentCountQuery, variables: { id: taskId }, fetchPolicy: 'network-only' }).catch(() => {});
    }
  }

  /** Loads the board from the server, then applies what queued up meanwhile. */
  private refetch(): Promise<void> {
    if (this.refetching) return this.refetching;
    this.refetching = (async () => {
      // A refetch loop (the server keeps sending events this client cannot place) slows down.
      const now = Date.now();
      this.recentRefetches = this.recentRefetches.filter((t) => now - t < 10_000);
      this.recentRefetches.push(now);
      if (this.recentRefetches.length > 5) await sleep(2_000);

      for (let attempt = 0; !this.stopped; attempt++) {
        try {
          this.receivedSinceLoad = false;
          const { data, error } = await this.client.query({ query: BoardViewQuery, variables: this.variables, fetchPolicy: 'network-only' });
          if (error) throw error;
          if (!data?.board) {
            this.on.status({ state: 'gone', reason: 'not-found' });
            this.stop();
            return;
          }
          break;
        } catch (error) {
          const code = errorCode(error);
          if (code === 'NOT_FOUND' || code === 'FORBIDDEN') {
            this.on.status({ state: 'gone', reason: 'not-found' });
            this.stop();
            return;
          }
          if (!this.ready) this.on.status({ state: 'error', error });
          await sleep(this.timings.retryDelay(Math.min(attempt, 5)));
        }
      }
      if (this.stopped) return;
      if (!this.ready) {
        this.ready = true;
        this.on.status({ state: 'ready' });
      }
      this.scheduleSeqCheck();
    })().finally(() => {
      this.refetching = null;
      const queued = this.queue.splice(0);
      if (!this.stopped) queued.forEach((event) => this.apply(event));
    });
    return this.refetching;
  }

  /**
   * A subscription without a cursor starts "now", and the board was read at about the same
   * time; if a change slipped in between and nothing else happens, no event would ever reveal
   * it. One look at the board's seq shortly after closes that window.
   */
  private scheduleSeqCheck() {
    if (this.checkTimer) clearTimeout(this.checkTimer);
    this.checkTimer = setTimeout(async () => {
      this.checkTimer = null;
      if (this.stopped || this.receivedSinceLoad || this.refetching) return;
      try {
        const { data } = await this.client.query({ query: BoardSeqQuery, variables: this.variables, fetchPolicy: 'no-cache' });
        const cached = this.client.cache.readQuery({ query: BoardViewQuery, variables: this.variables })?.board;
        if (data?.board && cached && data.board.lastSeq > cached.lastSeq && !this.receivedSinceLoad) void this.refetch();
      } catch {
        // The next event or reconnect catches up anyway.
      }
    }, this.timings.seqCheckMs);
  }
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
