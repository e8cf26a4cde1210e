import { describe, expect, it } from 'vitest';
import { buildWeeklyReport } from '../../src/report/model.js';
import { renderReportJson } from '../../src/report/json.js';
import { ARCHIVER, HR_TOOL, KEY, MIMECAST, reportInput, SHADY } from './model-fixtures.js';

const report = buildWeeklyReport(reportInput());
const metric = (key: string) => report.summary.find((m) => m.key === key);
const keysOf = (rows: ReadonlyArray<{ keyId: string }>) => rows.map((r) => r.keyId);
const FEED = 'allowlist:Mimecast:url:https://feeds.example/r.txt?…';

describe('the weekly report model of a known state', () => {
  it('counts the headline numbers exactly', () => {
    expect(report.summary.map((m) => [m.key, m.value])).toEqual([
      ['mailboxApps', 3],
      ['certificates', 3],
      ['secrets', 1],
      ['federated', 1],
      ['alertsCritical', 1],
      // A3 is high but suppressed; A4 was raised before the week.
      ['alertsHigh', 0],
      ['alertsMedium', 1],
      ['alertsLow', 0],
      // 3 + 2 outside the allowlist; the 100 of the next Monday do not count.
      ['signInsOutsideAllowlist', 5],
      ['appsWithoutAllowlist', 1],
      ['ownAppsWithoutAllowlist', 1],
    ]);
    expect(metric('mailboxApps')).toMatchObject({ previous: null, delta: null });
  });

  it('ranks mailbox-capable apps by a score whose parts add up and explain it', () => {
    expect(report.exposure.map((e) => [e.displayName, e.score])).toEqual([
      ['Contoso Archiver', 66],
      ['Mimecast Services', 65],
      ['Shady Vendor', 58],
    ]);
    for (const row of report.exposure) expect(row.parts.reduce((s, p) => s + p.points, 0)).toBe(row.score);
    const points = (appId: string) => Object.fromEntries(report.exposure.find((e) => e.appId === appId)!.parts.map((p) => [p.factor, p.points]));
    expect(points(ARCHIVER)).toEqual({ mailboxReach: 35, credentialType: 15, hygiene: 11, thirdParty: 0, unexpectedSignIns: 0, unused: 5 });
    expect(points(MIMECAST)).toEqual({ mailboxReach: 35, credentialType: 0, hygiene: 0, thirdParty: 10, unexpectedSignIns: 20, unused: 0 });
    // Expired + weak + long-lived + on the service principal = 18, capped at 15.
    expect(points(SHADY)).toEqual({ mailboxReach: 25, credentialType: 8, hygiene: 15, thirdParty: 10, unexpectedSignIns: 0, unused: 0 });
    const mimecast = report.exposure.find((e) => e.appId === MIMECAST)!;
    expect(mimecast.parts.find((p) => p.factor === 'unexpectedSignIns')!.reason).toBe('5 sign-ins from 2 networks outside the allowlist');
    expect(mimecast.mailboxPermissions).toEqual(['full_access_as_app (application, all mailboxes, EWS)']);
    expect(report.exposure.find((e) => e.appId === ARCHIVER)!.parts.find((p) => p.factor === 'unused')!.reason).toMatch(/^no sign-ins seen this week/);
  });

  it('lists credential hygiene from the posture assessment', () => {
    const h = report.hygiene;
    expect(keysOf(h.expiringSoon)).toEqual([KEY.secret]);
    expect(h.expiringSoon[0]).toMatchObject({
      appId: ARCHIVER,
      kind: 'secret',
      daysToExpiry: 10,
      mailboxCapable: true,
      flags: ['expiringSoon', 'longLived', 'secretOnMailboxApp'],
    });
    expect(keysOf(h.expired)).toEqual([KEY.shadyCert]);
    expect(h.expired[0]).toMatchObject({ daysToExpiry: -5, holder: 'servicePrincipal', endDateTime: '2026-11-25T06:00:00.000Z' });
    expect(keysOf(h.longLived)).toEqual([KEY.shadyCert, KEY.secret]);
    expect(keysOf(h.onServicePrincipal)).toEqual([KEY.shadyCert]);
    expect(keysOf(h.secretsOnMailboxApps)).toEqual([KEY.secret]);
    expect(keysOf(h.shared)).toEqual([KEY.archiverCert, KEY.hrCert]);
    expect(keysOf(h.weak)).toEqual([KEY.shadyCert]);
    expect(h.unusedPrivileged).toBeNull();
  });

  it('charts conformity per app and day, and names the unexpected networks with their countries', () => {
    expect(report.conformity.apps.map((a) => a.displayName)).toEqual(['Mimecast Services', 'Shady Vendor']);
    expect(report.conformity.apps[0]!.days).toEqual([
      { day: '2026-11-23', allowed: 0, unexpected: 0, unchecked: 0 },
      { day: '2026-11-24', allowed: 10, unexpected: 0, unchecked: 0 },
      { day: '2026-11-25', allowed: 0, unexpected: 3, unchecked: 0 },
      { day: '2026-11-26', allowed: 0, unexpected: 2, unchecked: 0 },
      { day: '2026-11-27', allowed: 0, unexpected: 0, unchecked: 0 },
      { day: '2026-11-28', allowed: 0, unexpected: 0, unchecked: 0 },
      { day: '2026-11-29', allowed: 0, unexpected: 0, unchecked: 0 },
    ]);
    expect(report.conformity.apps[1]!.days[2]).toEqual({ day: '2026-11-25', allowed: 0, unexpected: 0, unchecked: 4 });
    expect(report.conformity.topUnexpectedNetworks).toEqual([
      { network: 'AS64666', countries: ['DE', 'NL'], count: 3, apps: ['Mimecast Services'] },
      { network: '203.0.113.0/24', countries: [], count: 2, apps: ['Mimecast Services'] },
    ]);
  });

  it("lists the week's alerts most severe first with their delivery status", () => {
    expect(report.alerts.map((a) => [a.alertId, a.severity, a.suppressed])).toEqual([
      ['A1', 'critical', false],
      ['A3', 'high', true],
      ['A2', 'medium', false],
      ['A4', 'low', false],
    ]);
    expect(report.alerts[0]).toMatchObject({
      title: "Vendor certificate used outside the vendor's networks",
      delivery: { sent: 1, pending: 1, failed: 1, lastError: 'CHANNEL_UNAVAILABLE: timeout' },
    });
    expect(report.alerts[2]!.delivery).toEqual({ sent: 0, pending: 0, failed: 0, lastError: null });
  });

  it("keeps the week's findings only", () => {
    expect(report.findings.map((f) => f.findingId)).toEqual(['f3', 'f1', 'f2']);
    expect(report.findings[1]).toMatchObject({ occurredAt: '2026-11-25T10:00:00.000Z', country: 'NL', asn: 64666, network: 'AS64666', suppressed: false });
  });

  it("reports collection health per source from the week's scans", () => {
    expect(report.health.map((h) => [h.source, h.status, h.completeScans, h.scans])).toEqual([
      ['signIns', 'partial', 2, 3],
      ['directoryAudits', 'complete', 3, 3],
      ['inventory', 'partial', 2, 3],
      ['inventory:applications', 'partial', 2, 3],
      ['inventory:servicePrincipals', 'partial', 2, 3],
      ['allowlist:Mimecast:cidrs', 'complete', 3, 3],
      [FEED, 'partial', 0, 3],
    ]);
    // Read up to the last reading scan's final time (26 Nov 03:55): 75 h 55 min of the week's 168 h.
    expect(report.health[0]!.detail).toBe("45% of the week's sign-in time was read; GRAPH_THROTTLED: throttled");
    expect(report.staleAllowlists).toEqual([
      {
        vendor: 'Mimecast',
        source: 'url:https://feeds.example/r.txt?…',
        status: 'failed',
        detail: 'ALLOWLIST_SOURCE_FAILED: GET https://feeds.example/r.txt?… answered 500',
      },
    ]);
  });

  it("never carries an allowlist feed's token", () => {
    expect(renderReportJson(report)).not.toContain('FEEDSECRET');
  });

  it('ties every recommendation to the items behind it', () => {
    expect(report.recommendations.map((r) => [r.priority, r.section, r.refersTo])).toEqual([
      ['now', 'alerts', ['A1']],
      ['now', 'alerts', ['A1']],
      ['soon', 'health', ['signIns', 'inventory', 'inventory:applications', 'inventory:servicePrincipals', FEED]],
      ['soon', 'conformity', ['AS64666', '203.0.113.0/24']],
      ['soon', 'appsWithoutAllowlist', [SHADY]],
      ['soon', 'appsWithoutAllowlist', [ARCHIVER]],
      ['soon', 'staleAllowlists', [FEED]],
      ['soon', 'hygiene', [KEY.secret]],
      ['soon', 'hygiene', [KEY.shadyCert]],
      ['soon', 'hygiene', [KEY.shadyCert]],
      ['soon', 'hygiene', [KEY.shadyCert]],
      ['plan', 'hygiene', [KEY.secret]],
      ['plan', 'hygiene', [KEY.archiverCert, KEY.hrCert]],
      ['plan', 'hygiene', [KEY.shadyCert, KEY.secret]],
      ['plan', 'exposure', [ARCHIVER]],
    ]);
    expect(report.recommendations[0]!.text).toMatch(/^Investigate 1 critical alert now/);
    expect(report.recommendations[7]!.text).toBe('Replace 1 client secret on mailbox-capable apps with certificates or federated credentials.');
  });

  it("keeps the inventory it was built from, for next week's comparison", () => {
    expect(report.inventory!.apps.map((a) => a.appId)).toEqual([MIMECAST, SHADY, ARCHIVER, HR_TOOL]);
    expect(report.inventory!.otherAppIds).toHaveLength(1);
    expect(report.changes).toBeNull();
    expect(report.changesStatus).toBe('firstReport');
    // The vendor first (ask the vendor), then the tenant's own archiver, whose sign-ins are unchecked just the same.
    expect(report.appsWithoutAllowlist).toEqual([
      { appId: SHADY, displayName: 'Shady Vendor', ownership: 'thirdParty', mailboxPermissions: ['Mail.Read'] },
      { appId: ARCHIVER, displayName: 'Contoso Archiver', ownership: 'own', mailboxPermissions: ['Mail.Read'] },
    ]);
  });

  it('is pure: the same input gives the same report', () => {
    expect(buildWeeklyReport(reportInput())).toEqual(report);
  });
});
