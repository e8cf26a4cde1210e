import { describe, expect, it } from 'vitest';
import { isCredwatchError } from '../../src/errors.js';
import { daysOf, isoWeek, lastCompleteWeek, previousWeek, weekRange, weeksInYear } from '../../src/report/week.js';

/**
 * The textbook ordinal-date algorithm (ISO 8601 / Wikipedia "ISO week date"), written differently
 * from the implementation on purpose: week = ⌊(ordinal − weekday + 10) / 7⌋, then fold week 0 and
 * week 53 of 52-week years into the neighbouring year.
 */
function referenceWeek(date: Date): string {
  const year = date.getUTCFullYear();
  const ordinal = Math.round((Date.UTC(year, date.getUTCMonth(), date.getUTCDate()) - Date.UTC(year, 0, 1)) / 86_400_000) + 1;
  const weekday = date.getUTCDay() || 7;
  const p = (y: number) => (y + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400)) % 7;
  const weeks = (y: number) => (p(y) === 4 || p(y - 1) === 3 ? 53 : 52);
  let w = Math.floor((ordinal - weekday + 10) / 7);
  let y = year;
  if (w < 1) {
    y -= 1;
    w = weeks(y);
  } else if (w > weeks(y)) {
    y += 1;
    w = 1;
  }
  return `${y}-W${String(w).padStart(2, '0')}`;
}

describe('ISO weeks', () => {
  it("agrees with the reference algorithm on every day from 1999 to 2040, and each day lies in its week's range", () => {
    for (let t = Date.UTC(1999, 0, 1); t <= Date.UTC(2040, 11, 31); t += 86_400_000) {
      const day = new Date(t + 13 * 3_600_000);
      const week = isoWeek(day);
      if (week !== referenceWeek(day)) expect(`${day.toISOString()} ${week}`).toBe(`${day.toISOString()} ${referenceWeek(day)}`);
      const range = weekRange(week);
      if (!(range.from <= day && day < range.to)) expect(`${day.toISOString()} in ${week}`).toBe('inside');
    }
  });

  it('puts the turn of the year in the week of its Thursday', () => {
    expect(isoWeek(new Date('2026-12-31T23:59:59Z'))).toBe('2026-W53');
    expect(isoWeek(new Date('2027-01-01T00:00:00Z'))).toBe('2026-W53');
    expect(isoWeek(new Date('2027-01-03T23:59:59Z'))).toBe('2026-W53');
    expect(isoWeek(new Date('2027-01-04T00:00:00Z'))).toBe('2027-W01');
    expect(isoWeek(new Date('2024-12-30T00:00:00Z'))).toBe('2025-W01');
    expect(isoWeek(new Date('2021-01-03T12:00:00Z'))).toBe('2020-W53');
    expect([2020, 2025, 2026, 2027].map(weeksInYear)).toEqual([53, 52, 53, 52]);
  });

  it('gives a week as Monday 00:00 UTC to the next Monday, with its seven days', () => {
    const range = weekRange('2026-W48');
    expect([range.from.toISOString(), range.to.toISOString()]).toEqual(['2026-11-23T00:00:00.000Z', '2026-11-30T00:00:00.000Z']);
    expect(weekRange('2026-W53').from.toISOString()).toBe('2026-12-28T00:00:00.000Z');
    expect(daysOf(range)).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']);
  });

  it('steps back across the year boundary', () => {
    expect(previousWeek('2027-W01')).toBe('2026-W53');
    expect(previousWeek('2026-W01')).toBe('2025-W52');
    expect(previousWeek('2026-W48')).toBe('2026-W47');
  });

  it('defaults to the last week that has ended', () => {
    expect(lastCompleteWeek(new Date('2026-11-30T00:00:00Z'))).toBe('2026-W48');
    expect(lastCompleteWeek(new Date('2026-11-29T23:59:59Z'))).toBe('2026-W47');
    expect(lastCompleteWeek(new Date('2027-01-06T08:00:00Z'))).toBe('2026-W53');
  });

  it.each(['2026-48', '2026-W0', '2026-W00', '2025-W53', '2026-W54', '26-W48', '2026-w48', ' 2026-W48', ''])('rejects --week %j as CONFIG_INVALID', (week) => {
    let error: unknown;
    try {
      weekRange(week);
    } catch (e: unknown) {
      error = e;
    }
    expect(isCredwatchError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/^--week: /);
  });

  it('says which weeks a year has', () => {
    expect(() => weekRange('2025-W53')).toThrow('2025 has weeks 01 to 52');
  });
});
