// The Calendar view's month grid: whole weeks, Monday first, as ISO dates.

import { isoDate } from '../task/format';

export interface Month {
  year: number;
  /** 0-11 */
  month: number;
}

export function monthOf(iso: string): Month {
  const [y, m] = iso.split('-').map(Number);
  return { year: y!, month: m! - 1 };
}

export function addMonths({ year, month }: Month, delta: number): Month {
  const d = new Date(year, month + delta, 1);
  return { year: d.getFullYear(), month: d.getMonth() };
}

/** The weeks covering the month, each seven ISO dates from Monday to Sunday. */
export function monthGrid({ year, month }: Month): string[][] {
  const first = new Date(year, month, 1);
  const last = new Date(year, month + 1, 0);
  const lead = (first.getDay() + 6) % 7; // days from Monday to the 1st
  const tail = 6 - ((last.getDay() + 6) % 7); // days from the last to Sunday
  const days = lead + last.getDate() + tail;
  const weeks: string[][] = [];
  for (let i = 0; i < days; i++) {
    if (i % 7 === 0) weeks.push([]);
    weeks.at(-1)!.push(isoDate(new Date(year, month, 1 - lead + i)));
  }
  return weeks;
}
