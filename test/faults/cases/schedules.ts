import type { FaultArea } from '../case.js';

const file = 'test/faults/schedules.test.ts';

export const scheduleFaults: FaultArea = {
  title: 'Schedules',
  intro: 'A mistyped cron expression for `credwatch serve` (config `schedules`) or for the Function app timers (CREDWATCH_*_SCHEDULE app settings).',
  cases: [
    {
      fault: '`schedules.scan` with a minute of 99 (`99 * * * *`)',
      expected: '`serve` does not start: exit 2, CONFIG_INVALID naming `schedules.scan` and node-cron’s reason',
      test: { file, name: 'refuses to serve with a minute of 99, exit 2 with CONFIG_INVALID naming schedules.scan' },
    },
    {
      fault: 'Several bad `schedules` at once (`a b c d e`, 31 February)',
      expected: 'One CONFIG_INVALID listing each, by its JSON path',
      test: { file, name: 'lists every bad schedule in one error, each by its path' },
    },
    {
      fault: 'A 7-field schedule for `serve` (a year appended)',
      expected: 'Exit 2, CONFIG_INVALID: 5 or 6 fields expected',
      test: { file, name: 'serves nothing on a schedule that has more fields than cron' },
    },
    {
      fault: 'CREDWATCH_SCAN_SCHEDULE set to junk (`a b c d e f`), a minute of 99, day of week 7 (the host’s NCrontab takes 0–6) or a 5-field cron',
      expected:
        'Every function still indexed; the timer runs on its default and every run logs CONFIG_INVALID at error level naming the app setting, its value and the field at fault',
      test: {
        file,
        name: 'runs the scan timer on its default when CREDWATCH_SCAN_SCHEDULE is %s, logging CONFIG_INVALID with the setting on every run',
      },
    },
    {
      fault: 'An NCRONTAB schedule written as Microsoft documents it, with month and day names (`0 30 9 * Jan Mon`)',
      expected: 'Taken as it is, no error logged',
      test: { file, name: 'takes the report schedule as Microsoft writes NCRONTAB, month and day by name, and logs nothing' },
    },
  ],
};
