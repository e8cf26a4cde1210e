import { describe, expect, it } from 'vitest';
import { describeBacklog, recordedBacklog, type BacklogReport } from './backlog.js';

const backlog: BacklogReport = {
  minutes: 2112,
  intervals: 1,
  oldest: new Date('2026-11-29T12:28:47.852Z'),
  estimatedRecords: 736_532,
  estimatedMinutes: 25,
  stoppedAtDeadline: true,
  growing: false,
};

describe('the backlog as recorded and shown', () => {
  it('reads back from a stored summary what the scan recorded, and says it in one line', () => {
    const read = recordedBacklog(JSON.stringify({ tenant: 'contoso', backlog: { signIns: backlog } }));
    expect(read).toEqual(backlog);
    expect(describeBacklog(read!)).toBe(
      '35.2 h of sign-in log (≈736,532 sign-ins) not read yet, oldest from 2026-11-29T12:28:47.852Z; ≈25 min of reading at the current rate',
    );
  });

  it('says nothing it does not know: no estimate before the pace is learned, nothing from summaries without a backlog', () => {
    expect(describeBacklog({ ...backlog, estimatedRecords: undefined, estimatedMinutes: undefined, oldest: undefined })).toBe(
      '35.2 h of sign-in log not read yet',
    );
    expect(recordedBacklog(JSON.stringify({ tenant: 'contoso' }))).toBeUndefined();
    expect(recordedBacklog(JSON.stringify({ backlog: { signIns: { minutes: 'many' } } }))).toBeUndefined();
    expect(recordedBacklog('not json')).toBeUndefined();
  });
});
