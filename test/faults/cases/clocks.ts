import type { FaultArea, FaultCase } from '../case.js';

const c = (fault: string, expected: string, file: string, name: string): FaultCase => ({ fault, expected, test: { file, name } });

export const clockFaults: FaultArea = {
  title: 'Clocks and time windows',
  intro: 'A clock that ran ahead, late records, outages longer than the overlap or the retention.',
  cases: [
    c(
      'The monitor was down for two days on a busy tenant (a multi-million-record backlog)',
      'Worked through in deadline-bounded runs (each ≤ 11 min, SIGNINS_BACKLOG until done), every record judged exactly once, the live edge read in every run, never more than 5 report requests in 10 s, at about records ÷ 500 s of reading, each alert notified once',
      'test/backlog/backlog.test.ts',
      'is worked through in the SQLite store',
    ),
    c(
      'A stop at the run deadline in the middle of a long backlog',
      'Nothing of the stopped slice stored; SIGNINS_BACKLOG with status partial and how much is left',
      'test/scan/signins.test.ts',
      'stops at the deadline with nothing of the slice stored, and says what is left',
    ),
    c(
      'The monitor was down 40 days, longer than the 30-day retention (sign-ins and audits)',
      'DATA_GAP for signIns naming the interval from the last covered time to the retention start, and for directoryAudits; the rest is read and judged (the critical alert, count 12); the next scan reports no DATA_GAP again',
      'test/faults/clocks.test.ts',
      'reports the sign-ins and audits it can no longer read as DATA_GAP naming the lost interval, reads the rest, and says it once',
    ),
    c(
      'A stored watermark older than the retention',
      'The read starts at the retention start; the gap named from the old watermark minus the overlap to there',
      'src/scan/window.test.ts',
      'raises a data-gap alarm naming the lost interval when the monitor was down beyond retention',
    ),
    c(
      'Several uncovered holes, some older than the retention',
      'Every hole older than the retention named as lost; only what the log still holds is read',
      'src/scan/slices.test.ts',
      'names every hole older than the retention as lost, and reads only what the log still holds',
    ),
    c(
      'An audit watermark 40 days old',
      'DATA_GAP for directoryAudits: the records beyond the 30-day retention could not be read',
      'test/scan/audits.test.ts',
      'says which records a watermark older than the log retention has lost',
    ),
    c(
      'Clock skew: sign-in coverage reaching past the local clock, a sound scan recorded two hours earlier',
      'WATERMARK_IN_FUTURE naming where it moved back to (that scan’s start − settle − overlap); the time from there is read again and the sign-in logged meanwhile judged',
      'test/scan/signins.test.ts',
      'moves read time recorded past its clock back to what the last sound scan read, and reads it again',
    ),
    c(
      'Clock skew: sign-in coverage past the clock and no sound scan recorded',
      'WATERMARK_IN_FUTURE and DATA_GAP (what may never have been read lies past the retention); all the log still holds is read again',
      'test/scan/signins.test.ts',
      'with no sound scan recorded, reads again all the log still holds and names what it may have lost',
    ),
    c(
      'A scan whose clock ran a day ahead, then the stolen certificate used, then the monitor down five hours',
      'The next sound scan moves both streams back (WATERMARK_IN_FUTURE on each) and judges the sign-in critical; the scan after it is clean',
      'test/faults/clocks.test.ts',
      'moves the streams back after a scan whose clock ran a day ahead, and judges the sign-ins logged meanwhile',
    ),
    c(
      'A stream found ahead of the clock',
      '`collection-failing` raises a high alert on the first scan naming the sign-in logs',
      'test/faults/clocks.test.ts',
      'raises collection-failing when a stream was found ahead of the clock',
    ),
    c(
      'Clock skew: an audit watermark a day ahead of the local clock',
      'WATERMARK_IN_FUTURE reported instead of trusting it',
      'test/scan/audits.test.ts',
      'reports a watermark ahead of the clock instead of trusting it',
    ),
    c(
      'Clock skew: the clock went back behind what is covered',
      'Nothing is read',
      'src/scan/slices.test.ts',
      'reads nothing when the clock went back behind what is covered',
    ),
    c(
      'Clock skew: a watermark in the future, for the window alone',
      'The window function treats it as skew (the overlap before now); the stages move the stream back first (src/scan/clock.ts)',
      'src/scan/window.test.ts',
      'treats a watermark in the future as skew: re-reads the overlap and says so',
    ),
  ],
};
