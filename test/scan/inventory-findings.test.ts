import { describe, expect, it } from 'vitest';
import type { Inventory } from '../../src/contract.js';
import type { AppCredential, InventoryApp } from '../../src/events.js';
import { parseInventory } from '../../src/inventory/snapshot.js';
import { inventoryFindingsStage } from '../../src/scan/stages/inventory-findings.js';
import { emptyContext, NOW, stageRun, TENANT } from './run.js';

const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

/** A secret that expired a month ago, on the tenant's own app. */
const expiredSecret: AppCredential = {
  keyId: 'k-expired',
  kind: 'secret',
  holder: 'application',
  displayName: 'old secret',
  startDateTime: daysAgo(100),
  endDateTime: daysAgo(30),
  thumbprintSha1: undefined,
  hint: 'abc',
  usage: undefined,
  federated: undefined,
  certificate: undefined,
};

const app: InventoryApp = {
  appId: 'aaaaaaaa-0000-4000-8000-0000000000b1',
  displayName: 'Legacy Reporting',
  servicePrincipalId: 'sp-b1',
  applicationObjectId: 'app-b1',
  appOwnerOrganizationId: 'aaaaaaaa-0000-4000-8000-000000000001',
  ownership: 'own',
  servicePrincipalType: 'Application',
  accountEnabled: true,
  signInAudience: 'AzureADMyOrg',
  createdDateTime: daysAgo(400),
  credentials: [expiredSecret],
  appRoleAssignments: [],
  delegatedGrants: [],
  mailboxPermissions: [],
};

const inventory: Inventory = {
  tenantId: 'aaaaaaaa-0000-4000-8000-000000000001',
  collectedAt: NOW,
  apps: [app],
  sources: [{ source: 'applications', status: 'complete', items: 1 }],
};

describe('the inventory-findings stage, given an inventory', () => {
  it('judges the posture and stores the findings with the new snapshot and the inventory watermark', async () => {
    const run = await stageRun();
    const result = await inventoryFindingsStage(run, inventory, [], emptyContext(run));
    expect(result.errors).toEqual([]);
    expect(result.tally.bySeverity.low).toBeGreaterThanOrEqual(1);
    const rules = (await run.store.listFindings(TENANT, new Date(0), new Date(NOW.getTime() + 3_600_000))).map((f) => f.finding.ruleId);
    expect(rules).toContain('posture-credential-expired');
    const snapshot = await run.store.getLatestSnapshot(TENANT);
    expect(snapshot?.takenAt).toEqual(NOW);
    expect(parseInventory(snapshot!.json).apps.map((a) => a.displayName)).toEqual(['Legacy Reporting']);
    expect(await run.store.getWatermark(TENANT, 'inventory')).toEqual(NOW);
  });

  it('does nothing without an inventory: a tenant that could not be read is not a tenant without apps', async () => {
    const run = await stageRun();
    const result = await inventoryFindingsStage(run, undefined, [], emptyContext(run));
    expect(result).toMatchObject({ sources: [], errors: [], ruleErrors: [], tally: { findings: 0 } });
    expect(await run.store.getLatestSnapshot(TENANT)).toBeUndefined();
  });
});
