import { describe, expect, it } from 'vitest';
import { cardMatches, isFiltering, NO_FILTER } from './filters';
import { card, label, user } from '../test/fixtures';

describe('cardMatches', () => {
  const bug = label('l-bug', 'bug');
  const ux = label('l-ux', 'ux');
  const a = card('t1', 'c', { title: 'Fix login', assignee: user('u-bob', 'bob'), labels: [bug, ux] });
  const b = card('t2', 'c', { title: 'Write docs', labels: [ux] });

  it('shows everything without a filter', () => {
    expect(isFiltering(NO_FILTER)).toBe(false);
    expect([a, b].every((c) => cardMatches(c, NO_FILTER, null))).toBe(true);
  });

  it('filters by assignee, and by no assignee', () => {
    expect([a, b].filter((c) => cardMatches(c, { ...NO_FILTER, assignee: 'u-bob' }, null))).toEqual([a]);
    expect([a, b].filter((c) => cardMatches(c, { ...NO_FILTER, assignee: 'none' }, null))).toEqual([b]);
  });

  it('requires every chosen label', () => {
    expect([a, b].filter((c) => cardMatches(c, { ...NO_FILTER, labels: ['l-ux'] }, null))).toEqual([a, b]);
    expect([a, b].filter((c) => cardMatches(c, { ...NO_FILTER, labels: ['l-ux', 'l-bug'] }, null))).toEqual([a]);
  });

  it('matches text in titles case-insensitively, by number, or by the server search', () => {
    expect([a, b].filter((c) => cardMatches(c, { ...NO_FILTER, text: 'LOGIN' }, null))).toEqual([a]);
    expect([a, b].filter((c) => cardMatches(c, { ...NO_FILTER, text: '#2' }, null))).toEqual([b]);
    expect([a, b].filter((c) => cardMatches(c, { ...NO_FILTER, text: 'oauth' }, new Set(['t2'])))).toEqual([b]);
  });
});
