import { describe, expect, it } from 'vitest';
import { buildWeeklyReport } from '../../src/report/model.js';
import { parseReportJson, renderReportJson } from '../../src/report/json.js';
import {
  app,
  ARCHIVER,
  completeSources,
  cred,
  CREDENTIALS,
  currentApps,
  EXPLORER,
  HR_TOOL,
  inventory,
  KEY,
  MAIL_READ_APP,
  MIMECAST,
  reportInput,
  SHADY,
} from './model-fixtures.js';

/** Last week: no Mimecast app yet, no secret on the archiver but an old certificate since removed, Shady without mailbox access, HR without its certificate. */
function lastWeekApps() {
  return [
    app(ARCHIVER, 'Contoso Archiver', { mailboxPermissions: [MAIL_READ_APP], credentials: [cred(KEY.old), CREDENTIALS.archiverCert] }),
    app(SHADY, 'Shady Vendor', { ownership: 'thirdParty', appOwnerOrganizationId: 'shady-tenant', credentials: [CREDENTIALS.shadyCert] }),
    app(HR_TOOL, 'HR Tool', { credentials: [CREDENTIALS.hrFederated] }),
    app(EXPLORER, 'Graph Explorer', { ownership: 'microsoft' }),
  ];
}

function lastWeek(sources = completeSources()) {
  // Round-tripped through JSON, as runReport reads it back from the store.
  const built = buildWeeklyReport(
    reportInput({
      week: '2026-W47',
      from: new Date('2026-11-16T00:00:00Z'),
      to: new Date('2026-11-23T00:00:00Z'),
      generatedAt: new Date('2026-11-23T06:00:00Z'),
      inventory: inventory(lastWeekApps(), sources),
      findings: [],
      alerts: [],
      outbox: [],
      aggregates: [],
      scans: [],
    }),
  );
  return parseReportJson(renderReportJson(built))!;
}

describe('week over week', () => {
  const previous = lastWeek();
  const report = buildWeeklyReport(reportInput({ previous }));

  it("shows last week's value and the difference for every metric both weeks know", () => {
    expect(report.summary.map((m) => [m.key, m.value, m.previous, m.delta])).toEqual([
      ['mailboxApps', 3, 1, 2],
      ['certificates', 3, 3, 0],
      ['secrets', 1, 0, 1],
      ['federated', 1, 1, 0],
      // No scan and no alert last week: unknown then, so no difference either.
      ['alertsCritical', 1, null, null],
      ['alertsHigh', 0, null, null],
      ['alertsMedium', 1, null, null],
      ['alertsLow', 0, null, null],
      ['signInsOutsideAllowlist', 5, null, null],
      ['appsWithoutAllowlist', 1, 0, 1],
      ['ownAppsWithoutAllowlist', 1, 1, 0],
    ]);
  });

  it('lists new and removed credentials, new grants and new apps since last week', () => {
    expect(report.changesStatus).toBe('compared');
    const changes = report.changes!;
    expect(changes.since).toBe('2026-W47');
    expect(changes.newApps).toEqual([{ appId: MIMECAST, displayName: 'Mimecast Services' }]);
    expect(changes.newCredentials.map((c) => [c.appId, c.keyId])).toEqual([
      [ARCHIVER, KEY.secret],
      [HR_TOOL, KEY.hrCert],
    ]);
    expect(changes.removedCredentials.map((c) => [c.appId, c.keyId])).toEqual([[ARCHIVER, KEY.old]]);
    expect(changes.newGrants).toEqual([
      { appId: MIMECAST, displayName: 'Mimecast Services', permission: 'full_access_as_app (application, all mailboxes, EWS)' },
      { appId: SHADY, displayName: 'Shady Vendor', permission: 'Mail.Read (delegated, all users, Graph)' },
    ]);
    expect(changes.notes).toEqual([]);
  });

  it('does not call an existing app new because it gained its first credential', () => {
    const explorerWithKey = currentApps().map((a) => (a.appId === EXPLORER ? { ...a, credentials: [cred('key-new')] } : a));
    const changes = buildWeeklyReport(reportInput({ previous, inventory: inventory(explorerWithKey) })).changes!;
    expect(changes.newApps.map((a) => a.appId)).toEqual([MIMECAST]);
    expect(changes.newCredentials.map((c) => c.keyId)).toContain('key-new');
  });

  it("says grants could not be compared when last week's grant source failed, instead of calling them all new", () => {
    const broken = completeSources().map((s) =>
      s.source === 'oauth2PermissionGrants' ? { ...s, status: 'failed' as const, errorCode: 'GRAPH_PERMISSION_MISSING' } : s,
    );
    const changes = buildWeeklyReport(reportInput({ previous: lastWeek(broken) })).changes!;
    expect(changes.newGrants).toEqual([]);
    expect(changes.notes).toEqual([
      'New mailbox grants could not be compared because these sources were not read completely: oauth2PermissionGrants (week 2026-W47).',
    ]);
  });

  it('says why there is nothing to compare', () => {
    expect(buildWeeklyReport(reportInput({ previous, inventory: undefined })).changesStatus).toBe('noInventory');
    const blind = parseReportJson(renderReportJson(buildWeeklyReport(reportInput({ inventory: undefined }))))!;
    expect(buildWeeklyReport(reportInput({ previous: blind })).changesStatus).toBe('previousWithoutInventory');
  });

  it('reads back only a credwatch.report/v1 document', () => {
    expect(parseReportJson('{"schema":"credwatch.report/v2","week":"2026-W47","summary":[]}')).toBeUndefined();
    expect(parseReportJson('not json')).toBeUndefined();
    expect(parseReportJson(renderReportJson(report))).toEqual(report);
  });
});
