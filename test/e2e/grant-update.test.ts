/**
 * A wider mailbox permission granted to an app that already has an alert in the window is notified
 * at the next scan, naming the new permission; the same permission granted again is not news. The
 * Northwind scenario (src/simulator/scenarios/grants.ts) grants its IMAP Poller IMAP.AccessAsApp;
 * rows added to the simulator after the first scan grant it full_access_as_app, then IMAP again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { appRoleAssignmentProperties, audit } from '../../src/simulator/scenarios/audits.js';
import { grantsScenario } from '../../src/simulator/scenarios/grants.js';
import { MemoryStateStore } from '../../src/state/index.js';
import { deliveredAlerts, scanConfig, scanOnce } from '../helpers/scan.js';
import { captureLogger } from '../helpers/tenant.js';

const t0 = new Date('2026-11-26T12:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
});

/** An "Add app role assignment to service principal" row granting the poller `permission` on Exchange. */
function pollerGrant(label: string, when: Date, permission: string) {
  const scenario = grantsScenario(t0);
  const exchange = scenario.servicePrincipals.find((sp) => sp.displayName === 'Office 365 Exchange Online')!;
  const poller = scenario.servicePrincipals.find((sp) => sp.displayName === 'Northwind IMAP Poller')!;
  const role = exchange.appRoles.find((r) => r.value === permission)!;
  return audit({
    label,
    at: when,
    activity: 'Add app role assignment to service principal',
    operationType: 'Assign',
    actor: { id: 'admin', userPrincipalName: 'admin@northwind.onmicrosoft.com' },
    target: { id: exchange.id, displayName: exchange.displayName, type: 'ServicePrincipal' },
    modifiedProperties: appRoleAssignmentProperties(
      { id: role.id, value: role.value },
      { id: poller.id, appId: poller.appId, displayName: poller.displayName },
      exchange.servicePrincipalNames,
    ),
  });
}

describe('a wider permission granted to the same app within the window', () => {
  it('is notified at the next scan naming full_access_as_app; the same permission again sends nothing', { timeout: 90_000 }, async () => {
    let clock = t0;
    sim = await startSimulator({ scenario: grantsScenario(t0), now: () => clock, enforceThrottling: false });
    const { config, alertsFile } = await scanConfig(sim);
    const store = new MemoryStateStore({ now: () => clock });
    const { logger } = captureLogger('silent');
    const pollerAlerts = async () =>
      (await deliveredAlerts(alertsFile)).filter((a) => a.rule.id === 'mailbox-permission-granted' && a.app.displayName === 'Northwind IMAP Poller') as Array<
        Awaited<ReturnType<typeof deliveredAlerts>>[number] & { summary: string; notification: number }
      >;

    expect((await scanOnce(sim, config, store, logger, clock)).errors).toEqual([]);
    const first = await pollerAlerts();
    expect(first.map((a) => a.summary)).toEqual([expect.stringMatching(/^IMAP\.AccessAsApp \(IMAP\) granted to "Northwind IMAP Poller"/)]);

    // The escalation: EWS full access to every mailbox, for the app that could only poll IMAP.
    sim.addDirectoryAudits([pollerGrant('northwind/poller-ews', at(15), 'full_access_as_app')]);
    clock = at(30);
    expect((await scanOnce(sim, config, store, logger, clock)).errors).toEqual([]);
    const second = (await pollerAlerts()).slice(first.length);
    expect(second).toHaveLength(1);
    expect(second[0]).toMatchObject({ severity: 'high', notification: 0 });
    expect(second[0]!.summary).toMatch(/^full_access_as_app \(EWS\) granted to "Northwind IMAP Poller"/);
    expect(second[0]!.alertId).not.toBe(first[0]!.alertId);

    // IMAP.AccessAsApp granted again (removed and re-added): more of what the receiver was told.
    sim.addDirectoryAudits([pollerGrant('northwind/poller-imap-again', at(45), 'IMAP.AccessAsApp')]);
    clock = at(60);
    expect((await scanOnce(sim, config, store, logger, clock)).errors).toEqual([]);
    expect(await pollerAlerts()).toHaveLength(2);
    const imap = await store.getAlerts([first[0]!.alertId]);
    expect(imap[0]?.count).toBe(2);
  });
});
