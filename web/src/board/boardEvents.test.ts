import { describe, expect, it } from 'vitest';
import { applyBoardEvent, reorder, type ApplyOutcome, type BoardEventData, type BoardView } from './boardEvents';
import {
  ME,
  board,
  card,
  column,
  columnState,
  commentState,
  event,
  label,
  layout,
  member,
  taskEvent,
  user,
} from '../test/fixtures';

function applied(outcome: ApplyOutcome): BoardView {
  if (outcome.type !== 'applied') throw new Error(`expected applied, got ${JSON.stringify(outcome)}`);
  return outcome.board;
}

/** Applies events in order the way the live hook does, failing on anything but applied/skipped. */
function applyAll(start: BoardView, events: BoardEventData[]): BoardView {
  return events.reduce((b, e) => {
    const outcome = applyBoardEvent(b, e, ME);
    if (outcome.type === 'skipped') return b;
    return applied(outcome);
  }, start);
}

describe('sequence numbers', () => {
  const start = board([column('todo', ['t1'])], { lastSeq: 10 });

  it('applies the next event and records its seq', () => {
    const next = applied(applyBoardEvent(start, event(11, 'BOARD_CREATED', 'b1'), ME));
    expect(next.lastSeq).toBe(11);
  });

  it('skips an event the board already reflects', () => {
    expect(applyBoardEvent(start, event(10, 'TASK_DELETED', 't1'), ME)).toEqual({ type: 'skipped' });
    expect(applyBoardEvent(start, event(3, 'TASK_DELETED', 't1'), ME)).toEqual({ type: 'skipped' });
  });

  it('skips a duplicate delivery of an event it just applied', () => {
    const e = taskEvent(11, 'TASK_UPDATED', card('t1', 'todo', { title: 'Renamed' }), ['t1']);
    const once = applied(applyBoardEvent(start, e, ME));
    expect(applyBoardEvent(once, e, ME)).toEqual({ type: 'skipped' });
  });

  it('reports a gap instead of applying an event that skips a seq', () => {
    expect(applyBoardEvent(start, event(13, 'BOARD_CREATED', 'b1'), ME)).toEqual({ type: 'gap', expected: 11, got: 13 });
  });

  it('ignores events of another board', () => {
    expect(applyBoardEvent(start, event(11, 'TASK_DELETED', 't1', { boardId: 'b2' }), ME)).toEqual({ type: 'skipped' });
  });

  it('never changes the board it is given', () => {
    const frozen = structuredClone(start);
    applyBoardEvent(start, taskEvent(11, 'TASK_MOVED', card('t1', 'todo'), ['t1']), ME);
    expect(start).toEqual(frozen);
  });

  it('counts the seq of an unknown kind without changing anything else', () => {
    const next = applied(applyBoardEvent(start, event(11, 'SOMETHING_NEW' as never, 'x'), ME));
    expect(next).toEqual({ ...start, lastSeq: 11 });
  });
});

describe('tasks', () => {
  const start = board([column('todo', ['t1', 't2']), column('done', ['t3'])]);

  it('adds a created task where the server put it', () => {
    const created = card('t9', 'todo', { title: 'New' });
    const next = applied(applyBoardEvent(start, taskEvent(11, 'TASK_CREATED', created, ['t1', 't9', 't2']), ME));
    expect(layout(next)).toEqual({ todo: ['t1', 't9', 't2'], done: ['t3'] });
    expect(next.columns[0]!.taskCount).toBe(3);
    expect(next.columns[0]!.tasks.nodes[1]!.title).toBe('New');
  });

  it('updates a task in place', () => {
    const updated = card('t2', 'todo', { title: 'Better title', priority: 'HIGH', version: 2, assignee: user('u-bob', 'bob') });
    const next = applied(applyBoardEvent(start, taskEvent(11, 'TASK_UPDATED', updated, ['t1', 't2']), ME));
    expect(layout(next)).toEqual(layout(start));
    expect(next.columns[0]!.tasks.nodes[1]).toMatchObject({ title: 'Better title', priority: 'HIGH', version: 2 });
    expect(next.columns[0]!.tasks.nodes[1]!.assignee?.handle).toBe('bob');
  });

  it('moves a task across columns to the position the server reports', () => {
    const moved = card('t1', 'done', { version: 2, completedAt: '2026-01-02T00:00:00Z' });
    const next = applied(applyBoardEvent(start, taskEvent(11, 'TASK_MOVED', moved, ['t1', 't3']), ME));
    expect(layout(next)).toEqual({ todo: ['t2'], done: ['t1', 't3'] });
    expect(next.columns.map((c) => c.taskCount)).toEqual([1, 2]);
    expect(next.columns[1]!.tasks.nodes[0]!.column.id).toBe('done');
    expect(next.columns[1]!.tasks.nodes[0]!.completedAt).toBe('2026-01-02T00:00:00Z');
  });

  it('reorders a task within its column', () => {
    const next = applied(applyBoardEvent(start, taskEvent(11, 'TASK_MOVED', card('t1', 'todo'), ['t2', 't1']), ME));
    expect(layout(next)).toEqual({ todo: ['t2', 't1'], done: ['t3'] });
  });

  it('applying the same move twice gives the same board as once', () => {
    const e = taskEvent(11, 'TASK_MOVED', card('t2', 'done'), ['t3', 't2']);
    const once = applied(applyBoardEvent(start, e, ME));
    const twice = applied(applyBoardEvent({ ...once, lastSeq: 10 }, e, ME));
    expect(twice).toEqual(once);
  });

  it('leaves ids the board does not hold yet to their own events', () => {
    // The order is read when the event is delivered, so it can name a task created later.
    const next = applied(applyBoardEvent(start, taskEvent(11, 'TASK_MOVED', card('t1', 'done'), ['t7', 't3', 't1']), ME));
    expect(layout(next)).toEqual({ todo: ['t2'], done: ['t3', 't1'] });
  });

  it('keeps a task the order no longer lists until its own event moves it', () => {
    // t2 left "todo" on the server after this event; its TASK_MOVED will follow.
    const next = applied(applyBoardEvent(start, taskEvent(11, 'TASK_UPDATED', card('t1', 'todo', { title: 'x' }), ['t1']), ME));
    expect(layout(next)).toEqual({ todo: ['t1', 't2'], done: ['t3'] });
  });

  it('converges to the server layout after a burst of moves, whatever the starting order', () => {
    const events = [
      taskEvent(11, 'TASK_MOVED', card('t1', 'done'), ['t3', 't1']),
      taskEvent(12, 'TASK_MOVED', card('t3', 'todo'), ['t3', 't2']),
      taskEvent(13, 'TASK_MOVED', card('t2', 'done'), ['t2', 't1']),
    ];
    const next = applyAll(start, events);
    expect(layout(next)).toEqual({ todo: ['t3'], done: ['t2', 't1'] });
    expect(next.columns.map((c) => c.taskCount)).toEqual([1, 2]);
    expect(next.lastSeq).toBe(13);
  });

  it('does not roll a card back to an older state, but still takes the order', () => {
    const newer = board([column('todo', []), column('done', ['t3'])]);
    newer.columns[0]!.tasks.nodes.push(card('t1', 'todo', { title: 'Newest', version: 5 }), card('t2', 'todo'));
    const replay = taskEvent(11, 'TASK_UPDATED', card('t1', 'todo', { title: 'Old', version: 3 }), ['t2', 't1']);
    const next = applied(applyBoardEvent(newer, replay, ME));
    expect(next.columns[0]!.tasks.nodes.map((t) => [t.id, t.title])).toEqual([
      ['t2', 'Task t2'],
      ['t1', 'Newest'],
    ]);
  });

  it('deletes a task and lowers its column count', () => {
    const next = applied(applyBoardEvent(start, event(11, 'TASK_DELETED', 't2', { taskId: 't2' }), ME));
    expect(layout(next)).toEqual({ todo: ['t1'], done: ['t3'] });
    expect(next.columns[0]!.taskCount).toBe(1);
  });

  it('ignores the deletion of a task it does not hold, but records the seq', () => {
    const next = applied(applyBoardEvent(start, event(11, 'TASK_DELETED', 'nope'), ME));
    expect(layout(next)).toEqual(layout(start));
    expect(next.columns.map((c) => c.taskCount)).toEqual([2, 1]);
    expect(next.lastSeq).toBe(11);
  });

  it('asks for a refetch when a task event carries no state', () => {
    expect(applyBoardEvent(start, event(11, 'TASK_UPDATED', 't1'), ME).type).toBe('refetch');
  });

  it('asks for a refetch when a task lands in a column it does not know', () => {
    const outcome = applyBoardEvent(start, taskEvent(11, 'TASK_CREATED', card('t9', 'elsewhere'), ['t9']), ME);
    expect(outcome.type).toBe('refetch');
  });

  it('takes the column count from the event when the column is longer than a page', () => {
    const long = board([column('todo', ['t1', 't2']), column('done', ['t3'])]);
    long.columns[0]!.tasks.pageInfo.hasNextPage = true;
    long.columns[0]!.taskCount = 139;
    const e = taskEvent(11, 'TASK_CREATED', card('t9', 'todo'), ['t1', 't2', 't9']);
    e.task!.column.taskCount = 140;
    const next = applied(applyBoardEvent(long, e, ME));
    expect(next.columns[0]!.taskCount).toBe(140);
  });

  it('counts the cards of a one-page column itself, so replayed events cannot count a change twice', () => {
    // Replayed after a reconnect: both events carry the column as it is now, after both changes.
    const events = [
      taskEvent(11, 'TASK_CREATED', card('t9', 'todo'), ['t2', 't9']),
      taskEvent(12, 'TASK_MOVED', card('t1', 'done'), ['t3', 't1']),
    ];
    events[0]!.task!.column.taskCount = 2;
    events[1]!.task!.column.taskCount = 2;
    const next = applyAll(start, events);
    expect(layout(next)).toEqual({ todo: ['t2', 't9'], done: ['t3', 't1'] });
    expect(next.columns.map((c) => c.taskCount)).toEqual([2, 2]);
  });
});

describe('columns', () => {
  const start = board([column('todo', ['t1']), column('doing'), column('done')]);

  it('adds a created column at the position the server reports, with no tasks', () => {
    const created = column('review', [], { name: 'Review' });
    const e = event(11, 'COLUMN_CREATED', 'review', { column: columnState(created, ['todo', 'doing', 'review', 'done']) });
    const next = applied(applyBoardEvent(start, e, ME));
    expect(next.columns.map((c) => c.id)).toEqual(['todo', 'doing', 'review', 'done']);
    expect(next.columns[2]!.tasks.nodes).toEqual([]);
    expect(next.columns[2]!.name).toBe('Review');
  });

  it('updates a column and keeps its tasks', () => {
    const updated = column('todo', [], { name: 'Backlog', wipLimit: 5, isDone: false, version: 2 });
    const e = event(11, 'COLUMN_UPDATED', 'todo', { column: columnState({ ...updated, taskCount: 1 }, ['todo', 'doing', 'done']) });
    const next = applied(applyBoardEvent(start, e, ME));
    expect(next.columns[0]).toMatchObject({ name: 'Backlog', wipLimit: 5, version: 2 });
    expect(layout(next).todo).toEqual(['t1']);
  });

  it('does not roll a column back to an older state', () => {
    const newer = board([column('todo', [], { name: 'Renamed', version: 4 })]);
    const e = event(11, 'COLUMN_UPDATED', 'todo', { column: columnState(column('todo', [], { name: 'Old', version: 2 }), ['todo']) });
    expect(applied(applyBoardEvent(newer, e, ME)).columns[0]!.name).toBe('Renamed');
  });

  it('moves a column', () => {
    const e = event(11, 'COLUMN_MOVED', 'done', { column: columnState(column('done'), ['done', 'todo', 'doing']) });
    const next = applied(applyBoardEvent(start, e, ME));
    expect(next.columns.map((c) => c.id)).toEqual(['done', 'todo', 'doing']);
  });

  it('removes an empty deleted column', () => {
    const next = applied(applyBoardEvent(start, event(11, 'COLUMN_DELETED', 'doing'), ME));
    expect(next.columns.map((c) => c.id)).toEqual(['todo', 'done']);
  });

  it('asks for a refetch when a deleted column held tasks, because they moved somewhere unsaid', () => {
    expect(applyBoardEvent(start, event(11, 'COLUMN_DELETED', 'todo'), ME).type).toBe('refetch');
  });
});

describe('labels', () => {
  const bug = label('l-bug', 'bug', '#ff0000');
  const ux = label('l-ux', 'ux', '#00ff00');
  const start = board([column('todo', [])], { labels: [bug, ux] });
  start.columns[0]!.tasks.nodes.push(card('t1', 'todo', { labels: [bug, ux] }), card('t2', 'todo', { labels: [ux] }));

  it('adds a created label in name order', () => {
    const docs = label('l-docs', 'Docs');
    const next = applied(applyBoardEvent(start, event(11, 'LABEL_CREATED', docs.id, { label: docs }), ME));
    expect(next.labels.map((l) => l.name)).toEqual(['bug', 'Docs', 'ux']);
  });

  it('renames and recolors a label on the board and on every card carrying it', () => {
    const renamed = label('l-bug', 'defect', '#aa0000', 2);
    const next = applied(applyBoardEvent(start, event(11, 'LABEL_UPDATED', renamed.id, { label: renamed }), ME));
    expect(next.labels.map((l) => l.name)).toEqual(['defect', 'ux']);
    expect(next.columns[0]!.tasks.nodes[0]!.labels).toEqual([renamed, ux]);
    expect(next.columns[0]!.tasks.nodes[1]!.labels).toEqual([ux]);
  });

  it('removes a deleted label from the board and every card', () => {
    const next = applied(applyBoardEvent(start, event(11, 'LABEL_DELETED', 'l-ux'), ME));
    expect(next.labels).toEqual([bug]);
    expect(next.columns[0]!.tasks.nodes.map((t) => t.labels.map((l) => l.id))).toEqual([['l-bug'], []]);
  });
});

describe('members and the board', () => {
  const start = board([column('todo')], {
    myRole: 'EDITOR',
    members: { __typename: 'BoardMemberConnection', nodes: [member('u-owner', 'OWNER'), member(ME, 'EDITOR')] },
  });

  it('adds a member at the end', () => {
    const next = applied(applyBoardEvent(start, event(11, 'MEMBER_ADDED', 'u-new', { member: member('u-new', 'VIEWER') }), ME));
    expect(next.members.nodes.map((m) => [m.user.id, m.role])).toEqual([
      ['u-owner', 'OWNER'],
      [ME, 'EDITOR'],
      ['u-new', 'VIEWER'],
    ]);
  });

  it('changes my role when my membership changes, so the controls follow', () => {
    const next = applied(applyBoardEvent(start, event(11, 'MEMBER_UPDATED', ME, { member: member(ME, 'VIEWER') }), ME));
    expect(next.myRole).toBe('VIEWER');
    expect(next.members.nodes[1]!.role).toBe('VIEWER');
  });

  it("does not change my role when someone else's changes", () => {
    const next = applied(applyBoardEvent(start, event(11, 'MEMBER_UPDATED', 'u-owner', { member: member('u-owner', 'EDITOR') }), ME));
    expect(next.myRole).toBe('EDITOR');
  });

  it('removes a member', () => {
    const next = applied(applyBoardEvent(start, event(11, 'MEMBER_REMOVED', 'u-owner'), ME));
    expect(next.members.nodes.map((m) => m.user.id)).toEqual([ME]);
  });

  it('says the board is gone when I am removed', () => {
    expect(applyBoardEvent(start, event(11, 'MEMBER_REMOVED', ME), ME)).toEqual({ type: 'gone', reason: 'removed' });
  });

  it('says the board is gone when it is deleted', () => {
    expect(applyBoardEvent(start, event(11, 'BOARD_DELETED', 'b1'), ME)).toEqual({ type: 'gone', reason: 'deleted' });
  });

  it('renames the board', () => {
    const state = { __typename: 'Board' as const, id: 'b1', name: 'Relaunch', description: 'again', myRole: 'EDITOR' as const, version: 2 };
    const next = applied(applyBoardEvent(start, event(11, 'BOARD_UPDATED', 'b1', { board: state }), ME));
    expect(next).toMatchObject({ name: 'Relaunch', description: 'again', version: 2, lastSeq: 11 });
  });
});

describe('comment counts on cards', () => {
  const start = board([column('todo', ['t1', 't2'])]);

  it('takes the count from the comment event', () => {
    const e = event(11, 'COMMENT_ADDED', 'cm1', { taskId: 't2', comment: commentState('cm1', 't2', 4) });
    const next = applied(applyBoardEvent(start, e, ME));
    expect(next.columns[0]!.tasks.nodes.map((t) => t.commentCount)).toEqual([0, 4]);
  });

  it('leaves the count to a fetch when a comment is deleted (the event has no count)', () => {
    const withOne = applied(applyBoardEvent(start, event(11, 'COMMENT_ADDED', 'cm1', { taskId: 't1', comment: commentState('cm1', 't1', 1) }), ME));
    const next = applied(applyBoardEvent(withOne, event(12, 'COMMENT_DELETED', 'cm1', { taskId: 't1' }), ME));
    expect(next.columns[0]!.tasks.nodes[0]!.commentCount).toBe(1);
    expect(next.lastSeq).toBe(12);
  });
});

describe('reorder', () => {
  const items = (...ids: string[]) => ids.map((id) => ({ id }));
  const ids = (xs: { id: string }[]) => xs.map((x) => x.id);

  it('follows the given order', () => {
    expect(ids(reorder(items('a', 'b', 'c'), ['c', 'a', 'b']))).toEqual(['c', 'a', 'b']);
  });

  it('keeps unlisted items after the item that preceded them', () => {
    expect(ids(reorder(items('a', 'b', 'x', 'c'), ['c', 'b', 'a']))).toEqual(['c', 'b', 'x', 'a']);
    expect(ids(reorder(items('x', 'a', 'b'), ['b', 'a']))).toEqual(['x', 'b', 'a']);
  });

  it('drops unknown ids and duplicates in the order', () => {
    expect(ids(reorder(items('a', 'b'), ['z', 'b', 'b', 'a']))).toEqual(['b', 'a']);
  });

  it('never loses or duplicates an item', () => {
    const all = items('a', 'b', 'c', 'd', 'e');
    for (const order of [[], ['e'], ['e', 'a'], ['c', 'x', 'a', 'e', 'b', 'd'], ['d', 'd']]) {
      const result = ids(reorder(all, order));
      expect([...result].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    }
  });
});
