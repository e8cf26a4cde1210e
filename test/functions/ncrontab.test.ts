/**
 * The Function app's schedule check against the NCRONTAB examples of "Timer trigger for Azure
 * Functions" (learn.microsoft.com/azure/azure-functions/functions-bindings-timer#ncrontab-expressions)
 * and the host's NCrontab library (day of week 0–6, names by English name or abbreviation).
 */
import { describe, expect, it } from 'vitest';
import { parseNcrontab } from '../../src/functions/ncrontab.js';

describe('NCRONTAB schedules', () => {
  it.each([
    // The field-type examples of the documentation.
    ['0 5 * * * *', 'at hh:05:00 every hour'],
    ['0 * 5 * * *', 'every minute of 05:mm'],
    ['5-7 * * * * *', 'seconds 5, 6 and 7 of every minute'],
    ['5,8,10 * * * * *', 'seconds 5, 8 and 10 of every minute'],
    ['0 */5 * * * *', 'every five minutes'],
    // The schedule examples.
    ['0 0 * * * *', 'the top of every hour'],
    ['0 0 */2 * * *', 'every two hours'],
    ['0 0 9-17 * * *', 'every hour from 9 to 17'],
    ['0 30 9 * * *', '09:30 every day'],
    ['0 30 9 * * 1-5', '09:30 every weekday'],
    ['0 30 9 * Jan Mon', '09:30 every Monday in January'],
    // Names whole or abbreviated, in any case, also in ranges and lists.
    ['0 30 9 * January Monday', 'whole English names'],
    ['0 0 8 * * MON-fri', 'a range of day names'],
    ['0 0 8 1 jan,Apr,JUL,oct *', 'a list of month names'],
    ['0 0 8 * * 0', 'Sunday as 0'],
  ])('accepts %s (%s)', (expression) => {
    expect(() => parseNcrontab(expression)).not.toThrow();
  });

  it('reads names as the numbers they stand for', () => {
    const named = parseNcrontab('0 30 9 * January Mon-Fri');
    expect([...named.months]).toEqual([1]);
    expect([...named.weekdays]).toEqual([1, 2, 3, 4, 5]);
  });

  it.each([
    ['a b c d e f', /second "a" is not a number from 0 to 59/],
    ['0 99 * * * *', /minute "99" is not a number from 0 to 59/],
    ['0 0 24 * * *', /hour "24"/],
    ['0 0 0 0 * *', /day "0" is not a number from 1 to 31/],
    ['0 0 0 * 13 *', /month "13" is not a number from 1 to 12 or a name such as "jan"/],
    // NCrontab's day of week is 0-6: a 7 for Sunday, as other crons take it, fails to index there.
    ['0 0 8 * * 7', /day-of-week "7" is not a number from 0 to 6/],
    ['0 0 8 * * Funday', /day-of-week "Funday"/],
    // Two letters name no single day (NCrontab would take the first in its list: Ma is March).
    ['0 0 8 * Ma *', /month "Ma"/],
    ['*/15 * * * *', /expected 6 fields/],
    ['0 0 8 * * 1 2026', /expected 6 fields/],
    ['0 */0 * * * *', /minute "0" is not a number from 1 to 60/],
    ['0 0 17-9 * * *', /runs backwards/],
    ['0 1,,2 * * * *', /minute "" is not a value, range or step/],
    ['0 0 8 ? * MON', /day "\?"/],
    ['0 0 8 L * *', /day "L"/],
    ['@daily', /expected 6 fields/],
  ])('refuses %s, naming the field', (expression, reason) => {
    expect(() => parseNcrontab(expression)).toThrow(reason);
  });
});
