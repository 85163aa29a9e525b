import { describe, expect, it } from 'vitest';
import { addCardLocally, arrayMove, fullIndexFor, moveCardLocally, moveColumnLocally, neighboursOf, placeByNeighbours } from './moves';
import { board, card, column, layout } from '../test/fixtures';

describe('neighboursOf', () => {
  it('names the items around the moved one', () => {
    expect(neighboursOf(['a', 'b', 'c'], 'b')).toEqual({ afterId: 'a', beforeId: 'c' });
  });
  it('has no afterId at the top and no beforeId at the bottom', () => {
    expect(neighboursOf(['a', 'b'], 'a')).toEqual({ afterId: null, beforeId: 'b' });
    expect(neighboursOf(['a', 'b'], 'b')).toEqual({ afterId: 'a', beforeId: null });
    expect(neighboursOf(['a'], 'a')).toEqual({ afterId: null, beforeId: null });
  });
});

describe('arrayMove', () => {
  it('moves an item without changing the input', () => {
    const input = ['a', 'b', 'c', 'd'];
    expect(arrayMove(input, 0, 2)).toEqual(['b', 'c', 'a', 'd']);
    expect(arrayMove(input, 3, 0)).toEqual(['d', 'a', 'b', 'c']);
    expect(input).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('moveCardLocally', () => {
  const start = board([column('todo', ['t1', 't2', 't3']), column('done', ['t4'])]);

  it('moves a card across columns and its count with it', () => {
    const next = moveCardLocally(start, 't2', 'done', 0);
    expect(layout(next)).toEqual({ todo: ['t1', 't3'], done: ['t2', 't4'] });
    expect(next.columns.map((c) => c.taskCount)).toEqual([2, 2]);
    expect(next.columns[1]!.tasks.nodes[0]!.column.id).toBe('done');
  });

  it('reorders within a column without changing counts', () => {
    const next = moveCardLocally(start, 't1', 'todo', 2);
    expect(layout(next)).toEqual({ todo: ['t2', 't3', 't1'], done: ['t4'] });
    expect(next.columns.map((c) => c.taskCount)).toEqual([3, 1]);
  });

  it('clamps an index past the end', () => {
    expect(layout(moveCardLocally(start, 't1', 'done', 99)).done).toEqual(['t4', 't1']);
  });

  it('leaves the board alone for an unknown card or column', () => {
    expect(moveCardLocally(start, 'nope', 'done', 0)).toBe(start);
    expect(moveCardLocally(start, 't1', 'nope', 0)).toBe(start);
  });
});

describe('moveColumnLocally', () => {
  it('moves a column', () => {
    const start = board([column('a'), column('b'), column('c')]);
    expect(moveColumnLocally(start, 'c', 0).columns.map((c) => c.id)).toEqual(['c', 'a', 'b']);
  });
});

describe('addCardLocally', () => {
  const start = board([column('todo', ['t1'])]);

  it('appends a new card and counts it', () => {
    const next = addCardLocally(start, card('t2', 'todo'));
    expect(layout(next).todo).toEqual(['t1', 't2']);
    expect(next.columns[0]!.taskCount).toBe(2);
  });

  it('does not add a card twice (the live event may come first)', () => {
    const once = addCardLocally(start, card('t2', 'todo'));
    expect(addCardLocally(once, card('t2', 'todo'))).toBe(once);
  });
});

describe('placeByNeighbours', () => {
  const start = board([column('todo', ['t1', 't2', 't3']), column('done', ['t4', 't5'])]);

  it('puts the card right after its afterId', () => {
    expect(layout(placeByNeighbours(start, 't1', 'done', { afterId: 't4', beforeId: 't5' })).done).toEqual(['t4', 't1', 't5']);
  });

  it('uses beforeId when afterId is not in the column any more', () => {
    expect(layout(placeByNeighbours(start, 't1', 'done', { afterId: 'gone', beforeId: 't5' })).done).toEqual(['t4', 't1', 't5']);
    expect(layout(placeByNeighbours(start, 't1', 'done', { afterId: null, beforeId: 't4' })).done).toEqual(['t1', 't4', 't5']);
  });

  it('puts the card at the end with no neighbours, like the server', () => {
    expect(layout(placeByNeighbours(start, 't1', 'done', { afterId: null, beforeId: null })).done).toEqual(['t4', 't5', 't1']);
  });

  it('is idempotent', () => {
    const once = placeByNeighbours(start, 't3', 'todo', { afterId: null, beforeId: 't1' });
    expect(layout(once).todo).toEqual(['t3', 't1', 't2']);
    expect(layout(placeByNeighbours(once, 't3', 'todo', { afterId: null, beforeId: 't1' }))).toEqual(layout(once));
  });
});

describe('fullIndexFor', () => {
  // Full column: a b c d e; the filter shows b d; the user drops x between b and d.
  it('places after the visible item before the drop', () => {
    expect(fullIndexFor(['a', 'b', 'c', 'd', 'e'], ['b', 'x', 'd'], 'x')).toBe(2);
  });
  it('places before the first visible item when dropped on top', () => {
    expect(fullIndexFor(['a', 'b', 'c', 'd', 'e'], ['x', 'b', 'd'], 'x')).toBe(1);
  });
  it('places at the end when dropped below the last visible item', () => {
    expect(fullIndexFor(['a', 'b', 'c', 'd', 'e'], ['b', 'd', 'x'], 'x')).toBe(4);
  });
  it('handles an empty column', () => {
    expect(fullIndexFor([], ['x'], 'x')).toBe(0);
  });
});
