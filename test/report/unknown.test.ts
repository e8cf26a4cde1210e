import { describe, expect, it } from 'vitest';
import { buildWeeklyReport } from '../../src/report/model.js';
import { completeSources, inventory, reportInput, scan } from './model-fixtures.js';

const valueOf = (report: ReturnType<typeof buildWeeklyReport>, key: string) => report.summary.find((m) => m.key === key)?.value;

describe('what was not collected is unknown, never clean', () => {
  it('leaves inventory numbers null when no inventory was collected', () => {
    const report = buildWeeklyReport(reportInput({ inventory: undefined }));
    for (const key of ['mailboxApps', 'certificates', 'secrets', 'federated', 'appsWithoutAllowlist', 'ownAppsWithoutAllowlist'])
      expect(valueOf(report, key)).toBeNull();
    expect(report.inventory).toBeNull();
    expect(report.exposure).toEqual([]);
  });

  it('leaves every number null and every core source not collected when no scan ran', () => {
    const report = buildWeeklyReport(reportInput({ inventory: undefined, scans: [], alerts: [], findings: [], aggregates: [], outbox: [] }));
    expect(report.summary.map((m) => m.value)).toEqual(Array(11).fill(null));
    expect(report.health).toEqual([
      { source: 'signIns', status: 'notCollected', completeScans: 0, scans: 0, detail: 'no scan ran this week' },
      { source: 'directoryAudits', status: 'notCollected', completeScans: 0, scans: 0, detail: 'no scan ran this week' },
      { source: 'inventory', status: 'notCollected', completeScans: 0, scans: 0, detail: 'no scan ran this week' },
    ]);
    expect(report.recommendations[0]).toMatchObject({ priority: 'now', section: 'health', refersTo: ['signIns', 'directoryAudits', 'inventory'] });
  });

  it('reports sign-ins as not licensed, and their numbers as unknown, when every scan lacked the licence', () => {
    const notLicensed = { source: 'signIns', status: 'failed', errorCode: 'GRAPH_LICENSE_MISSING', message: 'Entra ID P1 required' };
    const scans = [
      scan('2026-11-24T06:00:00Z', [notLicensed, { source: 'directoryAudits', status: 'complete' }]),
      scan('2026-11-25T06:00:00Z', [notLicensed, { source: 'directoryAudits', status: 'complete' }]),
    ];
    // Aggregates from an earlier licensed period must not be read as this week's truth either.
    const report = buildWeeklyReport(reportInput({ scans }));
    expect(valueOf(report, 'signInsOutsideAllowlist')).toBeNull();
    expect(report.health[0]).toEqual({
      source: 'signIns',
      status: 'notLicensed',
      completeScans: 0,
      scans: 2,
      detail: 'GRAPH_LICENSE_MISSING: Entra ID P1 required',
    });
    for (const row of report.exposure) {
      for (const factor of ['unexpectedSignIns', 'unused'])
        expect(row.parts.find((p) => p.factor === factor)).toEqual({ factor, points: 0, reason: 'unknown: sign-ins were not collected this week' });
    }
    expect(report.recommendations.find((r) => r.refersTo.includes('signIns') && r.priority === 'now')?.text).toMatch(/^Assign Microsoft Entra ID P1 or P2/);
  });

  it('reports a source that failed in every scan as failed', () => {
    const failed = { source: 'directoryAudits', status: 'failed', errorCode: 'GRAPH_PERMISSION_MISSING', message: 'AuditLog.Read.All' };
    const report = buildWeeklyReport(reportInput({ scans: [scan('2026-11-24T06:00:00Z', [failed, { source: 'signIns', status: 'complete' }])] }));
    expect(report.health.find((h) => h.source === 'directoryAudits')?.status).toBe('failed');
    // No scan recorded the inventory this week either: both need fixing now.
    expect(report.recommendations.find((r) => r.section === 'health')).toMatchObject({ priority: 'now', refersTo: ['directoryAudits', 'inventory'] });
  });

  it('does not count mailbox-capable apps when a permission source failed (that would be an undercount)', () => {
    const sources = completeSources().map((s) => (s.source.startsWith('appRoleAssignedTo:') ? { ...s, status: 'failed' as const } : s));
    const report = buildWeeklyReport(reportInput({ inventory: inventory(undefined, sources) }));
    expect(valueOf(report, 'mailboxApps')).toBeNull();
    expect(valueOf(report, 'appsWithoutAllowlist')).toBeNull();
    expect(valueOf(report, 'ownAppsWithoutAllowlist')).toBeNull();
    expect(valueOf(report, 'certificates')).toBe(3);
  });
});
