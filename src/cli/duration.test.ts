import { describe, expect, it } from 'vitest';
import { formatDuration, parseDurationInMs } from './duration.js';

describe('command-line durations', () => {
  it('reads minutes, hours, days and seconds, and a plain number in the option’s own unit', () => {
    expect(parseDurationInMs('90m', 'm')).toBe(90 * 60_000);
    expect(parseDurationInMs('1h', 'm')).toBe(3_600_000);
    expect(parseDurationInMs('2d', 'm')).toBe(2 * 86_400_000);
    expect(parseDurationInMs('45s', 'm')).toBe(45_000);
    expect(parseDurationInMs('60', 'm')).toBe(3_600_000);
    expect(parseDurationInMs('60', 's')).toBe(60_000);
  });

  it('refuses what is not a whole number with at most one unit', () => {
    for (const text of ['abc', '', '1.5h', '-5', '1h30m', '1w', 'NaN', '1e3', '9999999999']) expect(parseDurationInMs(text, 'm')).toBeUndefined();
  });

  it('names a duration by its largest whole unit', () => {
    expect([0, 45_000, 90 * 60_000, 3_600_000, 30 * 86_400_000].map(formatDuration)).toEqual(['0s', '45s', '90m', '1h', '30d']);
  });
});
