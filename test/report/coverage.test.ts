import { describe, expect, it } from 'vitest';
import { buildWeeklyReport } from '../../src/report/model.js';
import { readSignInTime } from '../../src/report/coverage.js';
import { MIMECAST, reportInput, scan } from './model-fixtures.js';

const at = (iso: string) => new Date(iso);
const covered = (to: string) => [{ from: new Date(0), to: at(to) }];
const signInsRead = scan('2026-12-01T06:00:00Z', [{ source: 'signIns', status: 'complete' }]);
const valueOf = (report: ReturnType<typeof buildWeeklyReport>, key: string) => report.summary.find((m) => m.key === key)?.value;
const partOf = (report: ReturnType<typeof buildWeeklyReport>, appId: string, factor: string) =>
  report.exposure.find((e) => e.appId === appId)?.parts.find((p) => p.factor === factor);

describe("the week's sign-ins are judged by the log time that was read, not by when scans ran", () => {
  it('shows a week backfilled after it ended as read, with its unexpected sign-ins counted and ranked', () => {
    // No scan ran from Friday before the week (an outage) until Tuesday after it, which read all of it.
    const beforeOutage = scan('2026-11-20T06:00:00Z', [{ source: 'signIns', status: 'complete' }]);
    const report = buildWeeklyReport(reportInput({ scans: [beforeOutage, signInsRead], signInCoverage: covered('2026-12-01T03:55:00Z') }));
    expect(report.health[0]).toMatchObject({ source: 'signIns', status: 'complete', completeScans: 0, scans: 0 });
    expect(report.health[0]!.detail).toBe('all of the week was read, part of it by later scans');
    expect(valueOf(report, 'signInsOutsideAllowlist')).toBe(5);
    expect(partOf(report, MIMECAST, 'unexpectedSignIns')).toMatchObject({ points: 20 });
    expect(report.signInTime).toEqual({ share: 1, read: [{ from: '2026-11-23T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z' }] });
  });

  it("counts a first scan's backfill into the week it reached, as a lower bound", () => {
    // The tenant's first scan ran on Monday 30 November at 06:00 and read 7 days back, to 23 November 06:00.
    const first = scan('2026-11-30T06:00:00Z', [{ source: 'signIns', status: 'complete' }]);
    const report = buildWeeklyReport(reportInput({ scans: [first], signInCoverage: covered('2026-11-30T03:55:00Z') }));
    expect(report.health[0]).toMatchObject({ source: 'signIns', status: 'partial', detail: "96% of the week's sign-in time was read" });
    expect(valueOf(report, 'signInsOutsideAllowlist')).toBe(5);
    expect(report.signInTime.read).toEqual([{ from: '2026-11-23T06:00:00.000Z', to: '2026-11-30T00:00:00.000Z' }]);
  });

  it('keeps a week before the first backfill unknown, although the store records its time as covered', () => {
    const first = scan('2026-12-08T06:00:00Z', [{ source: 'signIns', status: 'complete' }]);
    const report = buildWeeklyReport(reportInput({ scans: [first], signInCoverage: covered('2026-12-08T03:55:00Z') }));
    expect(report.health[0]).toMatchObject({ source: 'signIns', status: 'notCollected' });
    expect(valueOf(report, 'signInsOutsideAllowlist')).toBeNull();
    expect(partOf(report, MIMECAST, 'unexpectedSignIns')).toEqual({
      factor: 'unexpectedSignIns',
      points: 0,
      reason: 'unknown: sign-ins were not collected this week',
    });
  });

  it('reads nothing into time no scan could reach before the log dropped it, or into failed reads', () => {
    const covering = covered('2027-02-01T00:00:00Z');
    const lost = { from: at('2026-11-23T00:00:00Z'), to: at('2026-11-30T00:00:00Z'), covered: covering, backfillInDays: 7 };
    // 35 days after the week: the log no longer held it, so the time was recorded as covered (DATA_GAP), never read.
    expect(
      readSignInTime({
        ...lost,
        scans: [
          scan('2027-01-03T00:00:00Z', [{ source: 'signIns', status: 'complete' }]),
          scan('2026-11-01T00:00:00Z', [{ source: 'signIns', status: 'complete' }]),
        ],
      }),
    ).toEqual({ read: [], share: 0 });
    expect(readSignInTime({ ...lost, scans: [scan('2026-12-01T00:00:00Z', [{ source: 'signIns', status: 'failed' }])] }).share).toBe(0);
  });

  it('still shows unknown sign-ins when the week was not covered at all', () => {
    const report = buildWeeklyReport(reportInput({ scans: [signInsRead], signInCoverage: [] }));
    expect(report.health[0]).toMatchObject({ status: 'notCollected' });
    expect(valueOf(report, 'signInsOutsideAllowlist')).toBeNull();
  });
});
