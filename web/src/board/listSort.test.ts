import { describe, expect, it } from 'vitest';
import { sortRows, type ListRow } from './listSort';
import { card, user } from '../test/fixtures';

const rows: ListRow[] = [
  { card: card('t1', 'a', { title: 'banana', priority: 'LOW', dueDate: '2026-03-01', assignee: user('u2', 'zed') }), columnName: 'A', columnIndex: 0 },
  { card: card('t2', 'b', { title: 'Apple', priority: 'URGENT', dueDate: null, assignee: null }), columnName: 'B', columnIndex: 1 },
  { card: card('t3', 'a', { title: 'cherry', priority: 'NONE', dueDate: '2026-01-15', assignee: user('u1', 'amy') }), columnName: 'A', columnIndex: 0 },
];
const numbers = (rs: ListRow[]) => rs.map((r) => r.card.number);

describe('sortRows', () => {
  it('sorts by title case-insensitively', () => {
    expect(numbers(sortRows(rows, { key: 'title', dir: 'asc' }))).toEqual([2, 1, 3]);
    expect(numbers(sortRows(rows, { key: 'title', dir: 'desc' }))).toEqual([3, 1, 2]);
  });

  it('sorts by priority rank, not name', () => {
    expect(numbers(sortRows(rows, { key: 'priority', dir: 'desc' }))).toEqual([2, 1, 3]);
  });

  it('puts tasks without a due date or assignee last, in both directions', () => {
    expect(numbers(sortRows(rows, { key: 'due', dir: 'asc' }))).toEqual([3, 1, 2]);
    expect(numbers(sortRows(rows, { key: 'due', dir: 'desc' }))).toEqual([1, 3, 2]);
    expect(numbers(sortRows(rows, { key: 'assignee', dir: 'asc' }))).toEqual([3, 1, 2]);
  });

  it('sorts by board column order, ties by number', () => {
    expect(numbers(sortRows(rows, { key: 'column', dir: 'asc' }))).toEqual([1, 3, 2]);
  });
});
