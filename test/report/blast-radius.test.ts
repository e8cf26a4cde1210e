import { describe, expect, it } from 'vitest';
import { buildAlertRows } from '../../src/report/alerts.js';
import { renderReportHtml } from '../../src/report/html.js';
import type { WeeklyReport } from '../../src/report/types.js';
import { alert } from '../state/records.js';
import { realisticReport as plainReport } from './html-fixtures.js';

/** The realistic week, its critical alert with the blast radius its notifications gave. */
function realisticReport(): WeeklyReport {
  const report = plainReport();
  report.alerts = report.alerts.map((a) =>
    a.alertId === 'alert-0001'
      ? {
          ...a,
          blastRadius: '37 mailboxes read from 45.155.205.10 between 03:10 and 03:52 UTC on 2026-11-26',
          mailboxesRead: { count: 37, list: Array.from({ length: 37 }, (_, i) => `user${String(i + 1).padStart(2, '0')}@contoso.example`) },
        }
      : a,
  );
  return report;
}

/** The text of the "Mailbox access by flagged apps" section, tags stripped. */
function section(report: WeeklyReport): string {
  const html = renderReportHtml(report);
  const start = html.indexOf('Mailbox access by flagged apps');
  expect(start).toBeGreaterThan(0);
  const end = html.indexOf('What changed', start);
  return html
    .slice(start, end > start ? end : undefined)
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');
}

describe('the weekly report\'s "Mailbox access by flagged apps"', () => {
  it('names the mailboxes each flagged app read, capped with how many more', () => {
    const text = section(realisticReport());
    expect(text).toContain('37 mailboxes read from 45.155.205.10 between 03:10 and 03:52 UTC on 2026-11-26');
    expect(text).toContain('user01@contoso.example');
    expect(text).toContain('user20@contoso.example … and 17 more');
    expect(text).not.toContain('user21@contoso.example');
  });

  it('says unknown with its reason, never zero, and says when no alert asked', () => {
    const report = realisticReport();
    report.alerts = report.alerts.map((a) =>
      a.alertId === 'alert-0001'
        ? { ...a, blastRadius: 'unknown: Graph refused the audit log query (BLAST_RADIUS_NO_PERMISSION)', mailboxesRead: undefined }
        : a,
    );
    const text = section(report);
    expect(text).toContain('unknown: Graph refused the audit log query (BLAST_RADIUS_NO_PERMISSION)');
    expect(text).not.toMatch(/\b0 mailboxes\b/);
    // Collection was incomplete that week: no row is not a clean result, and the section says so.
    expect(section(plainReport())).toMatch(/^ ?Mailbox access by flagged apps .*? None found in the data that was collected, but collection was incomplete/);
  });
});

describe('report rows of stored alerts', () => {
  it('carry the blast radius in the words of the notifications, and the mailboxes when known', () => {
    const stored = alert('a1', {
      blastRadius: {
        ips: ['203.0.113.9'],
        from: new Date('2026-11-26T09:00:00Z'),
        to: new Date('2026-11-26T12:00:00Z'),
        intentId: undefined,
        at: new Date('2026-11-26T12:30:00Z'),
        status: 'unknown',
        code: 'BLAST_RADIUS_TIMED_OUT',
        reason: 'still running after 1500 minutes',
      },
    });
    const [row] = buildAlertRows([stored], [], new Date(0), new Date(8.64e15), (id) => id);
    expect(row).toMatchObject({ blastRadius: 'unknown: still running after 1500 minutes (BLAST_RADIUS_TIMED_OUT)' });
    expect(row).not.toHaveProperty('mailboxesRead');
    const [plain] = buildAlertRows([alert('a2')], [], new Date(0), new Date(8.64e15), (id) => id);
    expect(plain).not.toHaveProperty('blastRadius');
  });
});
