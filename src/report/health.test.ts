import { describe, expect, it } from 'vitest';
import { buildHealth } from './health.js';

const at = (h: number) => new Date(Date.UTC(2026, 11, 1, h));

describe('collection health of a week with a sign-in backlog', () => {
  it('shows sign-ins as partial with what is left, until a scan reads them whole', () => {
    const backlog = {
      source: 'signIns',
      status: 'partial',
      errorCode: 'SIGNINS_BACKLOG',
      message: 'stopped at the 20-minute run deadline after the newest sign-ins: 35.2 h of sign-in log (≈1,267,000 sign-ins) not read yet',
    };
    const scans = [
      { startedAt: at(0), finishedAt: at(0), sources: [backlog], errors: [] },
      { startedAt: at(1), finishedAt: at(1), sources: [{ source: 'signIns', status: 'complete' }], errors: [] },
    ];
    const row = buildHealth(scans).find((r) => r.source === 'signIns');
    expect(row).toMatchObject({ status: 'partial', completeScans: 1, scans: 2 });
    expect(row?.detail).toMatch(/^SIGNINS_BACKLOG: .*35\.2 h of sign-in log \(≈1,267,000 sign-ins\) not read yet/);
  });
});
