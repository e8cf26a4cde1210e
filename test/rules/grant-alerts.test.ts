/**
 * Grants from the audit log, end to end: the Northwind scenario's grant rows (src/simulator/
 * scenarios/grants.ts) plus the real OTRF "Add delegated permission grant" row, re-dated into the
 * scan window, read by the real client from the simulator and turned into alerts by `credwatch scan`.
 * Each alert names the client app that received the permissions and only what the change added.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DirectoryAudit, Scenario } from '../../src/simulator/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { ownApp } from '../../src/simulator/scenarios/builders.js';
import { grantsScenario, NORTHWIND_TENANT_ID } from '../../src/simulator/scenarios/grants.js';
import { MemoryStateStore } from '../../src/state/index.js';
import { deliveredAlerts, scanConfig, scanOnce } from '../helpers/scan.js';
import { captureLogger } from '../helpers/tenant.js';
import { realFile } from '../replay/fixtures.js';
import { directoryAuditFromLogAnalytics, ndjsonRows } from '../replay/log-analytics.js';

const now = new Date('2026-11-26T12:00:00Z');
const SIMULAND_APP_ID = '5a95e683-08ad-424e-a441-1d1aec52c02c';
const SIMULAND_SP_ID = '0d2f5969-011b-460d-ac74-3291d227d49f';
const SIMULAND_APP_OBJECT_ID = '11b49e19-2326-4be6-93cb-7f37439bbd81';
const GRANTED = 'mailbox-permission-granted';

/** Northwind, plus SimuLandApp under its real ids and the real OTRF grant row, an hour ago. */
function scenarioWithTheOtrfRow(): Scenario {
  const scenario = grantsScenario(now);
  const simuland = ownApp({
    tenantId: NORTHWIND_TENANT_ID,
    displayName: 'SimuLandApp',
    created: new Date(now.getTime() - 86_400_000),
    domain: 'northwind.onmicrosoft.com',
  });
  const graph = scenario.servicePrincipals.find((sp) => sp.displayName === 'Microsoft Graph')!;
  const otrf = directoryAuditFromLogAnalytics(ndjsonRows(realFile('otrf-goldensaml/AADAuditEvents.json'))[3]!) as unknown as DirectoryAudit;
  return {
    ...scenario,
    applications: [...scenario.applications, { ...simuland.app, id: SIMULAND_APP_OBJECT_ID, appId: SIMULAND_APP_ID }],
    servicePrincipals: [
      ...scenario.servicePrincipals,
      { ...simuland.sp, id: SIMULAND_SP_ID, appId: SIMULAND_APP_ID, servicePrincipalNames: [SIMULAND_APP_ID] },
    ],
    oauth2PermissionGrants: [
      ...scenario.oauth2PermissionGrants,
      { id: 'otrf-grant', clientId: SIMULAND_SP_ID, consentType: 'AllPrincipals', principalId: null, resourceId: graph.id, scope: 'User.Read Mail.ReadWrite' },
    ],
    directoryAudits: [...scenario.directoryAudits, { ...otrf, activityDateTime: new Date(now.getTime() - 3_600_000).toISOString() }],
  };
}

/** One scan of a fresh simulator; the delivered grant alerts, by app name too. */
async function scan(suppressAppId?: string) {
  const sim: RunningSimulator = await startSimulator({ scenario: scenarioWithTheOtrfRow(), now: () => now });
  try {
    const { config, alertsFile } = await scanConfig(sim);
    const suppressions = suppressAppId
      ? [{ rule: GRANTED, appId: suppressAppId, reason: 'accepted IMAP poller', owner: 'mail team', expires: new Date('2027-01-01T00:00:00Z') }]
      : [];
    const { logger } = captureLogger('warn');
    const summary = await scanOnce(sim, { ...config, suppressions }, new MemoryStateStore({ now: () => now }), logger, now);
    const alerts = (await deliveredAlerts(alertsFile)).filter((a) => a.rule.id === GRANTED);
    const byApp = new Map(alerts.map((a) => [a.app.displayName, a as typeof a & { summary: string; app: { appId: string } }]));
    return { summary, alerts, byApp };
  } finally {
    await sim.close();
  }
}

let scanned: Awaited<ReturnType<typeof scan>>;
beforeAll(async () => {
  scanned = await scan();
}, 60_000);

describe('grants in the audit log, through credwatch scan', () => {
  it('raises one alert per client app and permission: five alerts for four apps, none of them Microsoft Graph', () => {
    const { summary, alerts } = scanned;
    expect(summary.errors).toEqual([]);
    expect(alerts.map((a) => a.app.displayName).sort()).toEqual([
      'Northwind Helpdesk Mail',
      'Northwind Helpdesk Mail',
      'Northwind IMAP Poller',
      'Northwind Mail Sync',
      'SimuLandApp',
    ]);
  });

  it('names SimuLandApp for the real OTRF row, with only the scope it added', () => {
    const { byApp } = scanned;
    expect(byApp.get('SimuLandApp')).toMatchObject({
      app: { appId: SIMULAND_APP_ID },
      summary: 'Mail.ReadWrite (Graph) granted to "SimuLandApp" on Microsoft Graph by pgustavo@simulandlabs.com',
    });
  });

  it('names the consenting app and each IMAP and SMTP scope it gained in an alert of its own, the consent and its grant row together', () => {
    const { alerts, byApp } = scanned;
    const helpdesk = alerts.filter((a) => a.app.displayName === 'Northwind Helpdesk Mail') as Array<(typeof alerts)[number] & { summary: string }>;
    expect(helpdesk.map((a) => [a.summary, a.count]).sort()).toEqual([
      ['IMAP.AccessAsUser.All (IMAP) granted to "Northwind Helpdesk Mail" on Microsoft Graph by dana@northwind.onmicrosoft.com', 2],
      ['SMTP.Send (SMTP) granted to "Northwind Helpdesk Mail" on Microsoft Graph by dana@northwind.onmicrosoft.com', 2],
    ]);
    expect(byApp.get('Northwind Mail Sync')?.summary).toBe(
      'Mail.ReadWrite (Graph) granted to "Northwind Mail Sync" on Microsoft Graph by admin@northwind.onmicrosoft.com',
    );
  });

  it('names the IMAP-only app and the IMAP protocol for an IMAP.AccessAsApp assignment on Exchange Online', () => {
    const { byApp } = scanned;
    expect(byApp.get('Northwind IMAP Poller')?.summary).toBe(
      'IMAP.AccessAsApp (IMAP) granted to "Northwind IMAP Poller" on Office 365 Exchange Online by admin@northwind.onmicrosoft.com',
    );
  });

  it('lets an app-id suppression of the client silence its grant and nothing else', { timeout: 60_000 }, async () => {
    const poller = grantsScenario(now).servicePrincipals.find((sp) => sp.displayName === 'Northwind IMAP Poller')!;
    const { alerts } = await scan(poller.appId);
    expect(alerts.map((a) => a.app.displayName).sort()).toEqual(['Northwind Helpdesk Mail', 'Northwind Helpdesk Mail', 'Northwind Mail Sync', 'SimuLandApp']);
  });
});
