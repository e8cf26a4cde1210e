import { describe, expect, it } from 'vitest';
import type { AppCredential, Inventory, InventoryApp } from '../events.js';
import { diffInventories, parseInventory, serializeInventory } from './snapshot.js';

const cred = (keyId: string, holder: AppCredential['holder'] = 'application'): AppCredential => ({
  keyId,
  kind: 'certificate',
  holder,
  displayName: undefined,
  startDateTime: new Date('2026-01-01T00:00:00Z'),
  endDateTime: new Date('2027-01-01T00:00:00Z'),
  thumbprintSha1: undefined,
  hint: undefined,
  usage: undefined,
  federated: undefined,
  certificate: undefined,
});
const app = (appId: string, over: Partial<InventoryApp> = {}): InventoryApp => ({
  appId,
  displayName: appId,
  servicePrincipalId: `sp-${appId}`,
  applicationObjectId: undefined,
  appOwnerOrganizationId: undefined,
  ownership: 'own',
  servicePrincipalType: undefined,
  accountEnabled: true,
  signInAudience: undefined,
  createdDateTime: undefined,
  credentials: [],
  appRoleAssignments: [],
  delegatedGrants: [],
  mailboxPermissions: [],
  ...over,
});
const inv = (apps: InventoryApp[], failed: string[] = []): Inventory => ({
  tenantId: 't',
  collectedAt: new Date('2026-11-26T00:00:00Z'),
  apps,
  sources: failed.map((source) => ({ source, status: 'failed' as const })),
});
const mail = {
  permission: 'Mail.Read',
  resource: 'graph' as const,
  api: 'graph' as const,
  type: 'application' as const,
  reach: 'allMailboxes' as const,
  grantedAt: undefined,
};

describe('inventory snapshots', () => {
  it('round-trips dates through the stored JSON', () => {
    const original = inv([app('a', { credentials: [cred('k1')] })]);
    const back = parseInventory(serializeInventory(original));
    expect(back.collectedAt).toEqual(original.collectedAt);
    expect(back.apps[0]!.credentials[0]!.endDateTime).toEqual(new Date('2027-01-01T00:00:00Z'));
  });

  it('reports nothing on the first run: that inventory is the baseline', () => {
    expect(diffInventories(undefined, inv([app('a', { credentials: [cred('k1')] })]))).toEqual([]);
  });

  it('finds added and removed credentials, new apps and new mailbox permissions', () => {
    const before = inv([app('a', { credentials: [cred('k1')] })]);
    const after = inv([app('a', { credentials: [cred('k2', 'servicePrincipal')], mailboxPermissions: [mail] }), app('b')]);
    const kinds = diffInventories(before, after).map(
      (c) => `${c.kind}:${c.app.appId}:${'credentialKeyId' in c ? c.credentialKeyId : 'permission' in c ? c.permission : ''}`,
    );
    expect(kinds.sort()).toEqual(['appAdded:b:', 'credentialAdded:a:k2', 'credentialRemoved:a:k1', 'mailboxPermissionAdded:a:Mail.Read'].sort());
  });

  it('does not report permissions as new when the role assignments could not be read last time', () => {
    const before = inv([app('a')], ['appRoleAssignedTo:Microsoft Graph']);
    const after = inv([app('a', { mailboxPermissions: [mail] })]);
    expect(diffInventories(before, after)).toEqual([]);
  });
});
