import { describe, expect, it } from 'vitest';
import { formatRoute, parseHash } from './router';

describe('routes', () => {
  it('reads the board list and a board', () => {
    expect(parseHash('')).toEqual({ name: 'boards' });
    expect(parseHash('#/')).toEqual({ name: 'boards' });
    expect(parseHash('#/boards/b1')).toEqual({ name: 'board', boardId: 'b1', view: 'kanban', taskId: null });
    expect(parseHash('#/boards/b1?view=calendar&task=t9')).toEqual({ name: 'board', boardId: 'b1', view: 'calendar', taskId: 't9' });
  });

  it('falls back to the Kanban view for an unknown view', () => {
    expect(parseHash('#/boards/b1?view=gantt')).toMatchObject({ view: 'kanban' });
  });

  it('round-trips', () => {
    for (const hash of ['#/', '#/boards/b1', '#/boards/b%2F1?view=list', '#/boards/b1?view=list&task=t1', '#/boards/b1?task=t1']) {
      expect(formatRoute(parseHash(hash))).toBe(hash);
    }
  });
});
