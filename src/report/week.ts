/**
 * ISO 8601 weeks in UTC: the unit a weekly report covers. Weeks start on Monday; week 1 is the week
 * holding the year's first Thursday, so 29 Dec – 3 Jan can belong to either year (2027-01-01 is in
 * 2026-W53). Everything is UTC so a report covers the same instants wherever it is generated.
 */
import { CredwatchError } from '../errors.js';

const DAY_IN_MS = 86_400_000;
const WEEK_IN_MS = 7 * DAY_IN_MS;
const WEEK_PATTERN = /^(\d{4})-W(\d{2})$/;

/** The instants a week covers: `[from, to)`, Monday 00:00 UTC to the next Monday 00:00 UTC. */
export interface WeekRange {
  week: string;
  from: Date;
  to: Date;
}

/** ISO weekday of a UTC date: Monday 1 … Sunday 7. */
function isoWeekday(date: Date): number {
  return date.getUTCDay() === 0 ? 7 : date.getUTCDay();
}

/** Monday 00:00 UTC of the week holding `date`. */
function mondayOf(date: Date): Date {
  const midnight = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  return new Date(midnight - (isoWeekday(date) - 1) * DAY_IN_MS);
}

/** Monday 00:00 UTC of week 1 of an ISO year: the Monday of the week holding 4 January. */
function firstMonday(year: number): Date {
  const jan4 = new Date(Date.UTC(year, 0, 4));
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear keeps the year as given.
  jan4.setUTCFullYear(year);
  return mondayOf(jan4);
}

/** 52 or 53: a year has 53 ISO weeks when it starts on a Thursday, or is a leap year starting on a Wednesday. */
export function weeksInYear(year: number): number {
  return Math.round((firstMonday(year + 1).getTime() - firstMonday(year).getTime()) / WEEK_IN_MS);
}

/** The ISO week holding `date`, as `YYYY-Www` (e.g. `2026-W48`). */
export function isoWeek(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new CredwatchError('INTERNAL', 'isoWeek was given an invalid date');
  // The Thursday of the same week decides the ISO year.
  const thursday = new Date(mondayOf(date).getTime() + 3 * DAY_IN_MS);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - firstMonday(year).getTime()) / WEEK_IN_MS);
  return `${String(year).padStart(4, '0')}-W${String(week).padStart(2, '0')}`;
}

/**
 * The range of an ISO week given as `YYYY-Www`. Anything else (a missing `W`, week 00, week 53 of
 * a 52-week year) is CONFIG_INVALID, because it comes from the command line (`--week`).
 */
export function weekRange(week: string): WeekRange {
  const match = WEEK_PATTERN.exec(week);
  const year = match ? Number(match[1]) : NaN;
  const number = match ? Number(match[2]) : NaN;
  if (!match || year < 1970 || number < 1 || number > weeksInYear(year)) {
    const why = match && year >= 1970 ? `${year} has weeks 01 to ${weeksInYear(year)}` : 'expected YYYY-Www with a year from 1970, e.g. 2026-W48';
    throw new CredwatchError('CONFIG_INVALID', `--week: "${week.slice(0, 40)}" is not an ISO week (${why}).`, { details: { week: week.slice(0, 40) } });
  }
  const from = new Date(firstMonday(year).getTime() + (number - 1) * WEEK_IN_MS);
  return { week, from, to: new Date(from.getTime() + WEEK_IN_MS) };
}

/** The week before `week` (`2027-W01` → `2026-W53`). */
export function previousWeek(week: string): string {
  return isoWeek(new Date(weekRange(week).from.getTime() - DAY_IN_MS));
}

/** The last week that has fully ended at `now`: the report a Monday run writes. */
export function lastCompleteWeek(now: Date): string {
  return isoWeek(new Date(mondayOf(now).getTime() - DAY_IN_MS));
}

/** The seven UTC days of a range as `YYYY-MM-DD`, the keys sign-in aggregates use. */
export function daysOf(range: Pick<WeekRange, 'from' | 'to'>): string[] {
  const days: string[] = [];
  for (let t = range.from.getTime(); t < range.to.getTime(); t += DAY_IN_MS) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}
