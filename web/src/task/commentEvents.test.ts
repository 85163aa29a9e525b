import { describe, expect, it } from 'vitest';
import { applyCommentEvent } from './commentEvents';
import { commentState, event, taskDetail } from '../test/fixtures';

describe('applyCommentEvent', () => {
  const task = taskDetail('t1', ['cm1']);

  it('appends a new comment of the task, oldest first, and takes the count', () => {
    const e = event(11, 'COMMENT_ADDED', 'cm2', { taskId: 't1', comment: commentState('cm2', 't1', 2, { createdAt: '2026-02-01T00:00:00Z' }) });
    const next = applyCommentEvent(task, e);
    expect(next.comments.nodes.map((c) => c.id)).toEqual(['cm1', 'cm2']);
    expect(next.commentCount).toBe(2);
  });

  it('orders by time, not arrival', () => {
    const e = event(11, 'COMMENT_ADDED', 'cm0', { taskId: 't1', comment: commentState('cm0', 't1', 2, { createdAt: '2025-12-31T23:00:00Z' }) });
    expect(applyCommentEvent(task, e).comments.nodes.map((c) => c.id)).toEqual(['cm0', 'cm1']);
  });

  it('shows a comment delivered twice once', () => {
    const e = event(11, 'COMMENT_ADDED', 'cm2', { taskId: 't1', comment: commentState('cm2', 't1', 2, { createdAt: '2026-02-01T00:00:00Z' }) });
    const twice = applyCommentEvent(applyCommentEvent(task, e), e);
    expect(twice.comments.nodes.map((c) => c.id)).toEqual(['cm1', 'cm2']);
  });

  it('replaces an edited comment, but never with an older version', () => {
    const edited = event(11, 'COMMENT_EDITED', 'cm1', { taskId: 't1', comment: commentState('cm1', 't1', 1, { body: 'edited', version: 2 }) });
    const next = applyCommentEvent(task, edited);
    expect(next.comments.nodes[0]!.body).toBe('edited');
    const stale = event(10, 'COMMENT_EDITED', 'cm1', { taskId: 't1', comment: commentState('cm1', 't1', 1, { body: 'old', version: 1 }) });
    expect(applyCommentEvent(next, stale).comments.nodes[0]!.body).toBe('edited');
  });

  it('removes a deleted comment once, leaving the count to the server', () => {
    const e = event(11, 'COMMENT_DELETED', 'cm1', { taskId: 't1' });
    const next = applyCommentEvent(task, e);
    expect(next.comments.nodes).toEqual([]);
    expect(next.commentCount).toBe(1);
    expect(applyCommentEvent(next, e)).toBe(next);
  });

  it("ignores other tasks' comments and other kinds", () => {
    const other = event(11, 'COMMENT_ADDED', 'cm9', { taskId: 't2', comment: commentState('cm9', 't2', 1) });
    expect(applyCommentEvent(task, other)).toBe(task);
    expect(applyCommentEvent(task, event(12, 'COMMENT_DELETED', 'cm1', { taskId: 't2' }))).toBe(task);
    expect(applyCommentEvent(task, event(13, 'LABEL_DELETED', 'l1'))).toBe(task);
  });
});
