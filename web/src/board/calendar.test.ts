import { describe, expect, it } from 'vitest';
import { addMonths, monthGrid, monthOf } from './calendar';

describe('monthGrid', () => {
  it('covers November 2026 in whole weeks from Monday', () => {
    const weeks = monthGrid({ year: 2026, month: 10 });
    expect(weeks[0]![0]).toBe('2026-10-26'); // 1 Nov 2026 is a Sunday
    expect(weeks.at(-1)!.at(-1)).toBe('2026-12-06');
    expect(weeks.every((w) => w.length === 7)).toBe(true);
    expect(weeks.flat()).toContain('2026-11-30');
  });

  it('starts on the 1st when the month starts on a Monday', () => {
    const weeks = monthGrid({ year: 2026, month: 5 }); // June 2026
    expect(weeks[0]![0]).toBe('2026-06-01');
    expect(weeks.at(-1)!.at(-1)).toBe('2026-07-05');
  });

  it('has four weeks for a February that fits exactly', () => {
    const weeks = monthGrid({ year: 2027, month: 1 }); // 1 Feb 2027 is a Monday, 28 days
    expect(weeks).toHaveLength(4);
    expect(weeks.at(-1)!.at(-1)).toBe('2027-02-28');
  });

  it('moves between months across years', () => {
    expect(addMonths({ year: 2026, month: 11 }, 1)).toEqual({ year: 2027, month: 0 });
    expect(addMonths({ year: 2026, month: 0 }, -1)).toEqual({ year: 2025, month: 11 });
    expect(monthOf('2026-11-23')).toEqual({ year: 2026, month: 10 });
  });
});
