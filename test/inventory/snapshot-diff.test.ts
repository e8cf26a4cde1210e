/**
 * The inventory diff with what a snapshot could not read: mailbox reach that failed (carried over
 * or not), federated credentials not read, and a delegated grant widened to every user.
 */
import { describe, expect, it } from 'vitest';
import type { AppCredential, InventoryApp, InventoryChange, MailboxPermission } from '../../src/events.js';
import type { CollectedInventory } from '../../src/inventory/carryover.js';
import { mailboxPermissions } from '../../src/inventory/mailbox.js';
import { MICROSOFT_GRAPH_APP_ID } from '../../src/inventory/resources.js';
import { diffInventories, parseInventory, serializeInventory } from '../../src/inventory/snapshot.js';

const credential = (keyId: string, kind: AppCredential['kind']): AppCredential => ({
  keyId,
  kind,
  holder: 'application',
  displayName: undefined,
  startDateTime: undefined,
  endDateTime: undefined,
  thumbprintSha1: undefined,
  hint: undefined,
  usage: undefined,
  federated: undefined,
  certificate: undefined,
});

const ews: MailboxPermission = {
  permission: 'full_access_as_app',
  resource: 'exchange',
  api: 'ews',
  type: 'application',
  reach: 'allMailboxes',
  grantedAt: undefined,
};

function app(appId: string, over: Partial<InventoryApp> = {}): InventoryApp {
  return {
    appId,
    displayName: appId,
    servicePrincipalId: `sp-${appId}`,
    applicationObjectId: `obj-${appId}`,
    appOwnerOrganizationId: undefined,
    ownership: 'own',
    servicePrincipalType: 'Application',
    accountEnabled: true,
    signInAudience: 'AzureADMyOrg',
    createdDateTime: undefined,
    credentials: [],
    appRoleAssignments: [],
    delegatedGrants: [],
    mailboxPermissions: [],
    ...over,
  };
}

function inv(apps: InventoryApp[], extra: Partial<CollectedInventory> & { failed?: string[] } = {}): CollectedInventory {
  const { failed = [], ...rest } = extra;
  return {
    tenantId: 't',
    collectedAt: new Date('2026-11-26T00:00:00Z'),
    apps,
    sources: failed.map((source) => ({ source, status: 'failed' as const })),
    ...rest,
  };
}

const describeChange = (c: InventoryChange): string =>
  `${c.kind}:${c.app.appId}:${'credentialKeyId' in c ? c.credentialKeyId : 'permission' in c ? `${c.type}:${c.permission}` : ''}`;

// A mailbox app with a certificate and a federated credential, as a good scan reads it.
const archiver = app('archiver', { mailboxPermissions: [ews], credentials: [credential('cert-1', 'certificate'), credential('fed-1', 'federated')] });
const good = inv([archiver]);

describe('the inventory diff after a scan that could not read mailbox reach', () => {
  it('with no snapshot to carry reach from, reports nothing the next good scan reads for the first time', () => {
    // Reach failed and nothing was carried: archiver looked like a plain app, its federated
    // credentials were not read.
    const blind = inv([app('archiver', { credentials: [credential('cert-1', 'certificate')] })], {
      failed: ['appRoleAssignedTo:Office 365 Exchange Online'],
      reachCarriedOver: { appIds: [] },
    });
    expect(diffInventories(blind, good)).toEqual([]);
    expect(diffInventories(good, blind)).toEqual([]);
  });

  it('still reports a new certificate: the list pages are read whatever reach does', () => {
    const blind = inv([app('archiver', { credentials: [credential('cert-1', 'certificate')] })], { failed: ['oauth2PermissionGrants'] });
    const next = inv([app('archiver', { ...archiver, credentials: [...archiver.credentials, credential('cert-2', 'certificate')] })]);
    expect(diffInventories(blind, next).map(describeChange)).toEqual(['credentialAdded:archiver:cert-2']);
  });

  it('keeps federated credentials comparable for apps carried over as mailbox-capable', () => {
    const carried = inv([{ ...archiver, credentials: [...archiver.credentials, credential('fed-2', 'federated')] }], {
      failed: ['appRoleAssignedTo:Office 365 Exchange Online'],
      reachCarriedOver: { snapshotTakenAt: new Date('2026-11-25T00:00:00Z'), appIds: ['archiver'] },
    });
    expect(diffInventories(good, carried).map(describeChange)).toEqual(['credentialAdded:archiver:fed-2']);
  });

  it('does not take federated credentials not read for removed, nor for added when they are read again', () => {
    const unread = inv([{ ...archiver, credentials: [credential('cert-1', 'certificate')] }], { federatedNotRead: ['archiver'] });
    expect(diffInventories(good, unread)).toEqual([]);
    expect(diffInventories(unread, good)).toEqual([]);
  });

  it('keeps what it could not read through the stored JSON', () => {
    const stored = inv([archiver], {
      failed: ['oauth2PermissionGrants'],
      reachCarriedOver: { snapshotTakenAt: new Date('2026-11-25T00:00:00Z'), appIds: ['archiver'] },
      federatedNotRead: ['x'],
    });
    const back = parseInventory(serializeInventory(stored));
    expect(back.reachCarriedOver).toEqual({ snapshotTakenAt: new Date('2026-11-25T00:00:00Z'), appIds: ['archiver'] });
    expect(back.federatedNotRead).toEqual(['x']);
  });
});

describe('a delegated mailbox grant', () => {
  const grant = (consentType: string) =>
    mailboxPermissions([], [{ resourceAppId: MICROSOFT_GRAPH_APP_ID, resourceDisplayName: 'Microsoft Graph', consentType, scopes: ['Mail.Read'] }]);
  const oneUser = inv([app('addin', { mailboxPermissions: grant('Principal') })]);
  const everyone = inv([app('addin', { mailboxPermissions: grant('AllPrincipals') })]);
  const both = inv([app('addin', { mailboxPermissions: [...grant('Principal'), ...grant('AllPrincipals')] })]);

  it('widened from one user to every user is a permission added, with reach allUsers', () => {
    const changes = diffInventories(oneUser, everyone);
    expect(changes.map(describeChange)).toEqual(['mailboxPermissionAdded:addin:delegated:Mail.Read']);
    expect(changes[0]!.app.mailboxPermissions).toEqual([expect.objectContaining({ permission: 'Mail.Read', reach: 'allUsers' })]);
    expect(diffInventories(oneUser, both).map(describeChange)).toEqual(['mailboxPermissionAdded:addin:delegated:Mail.Read']);
    // Marked as a widening, so the rule gives it an event of its own rather than the earlier grant's.
    expect(changes[0]).toMatchObject({ widenedToAllUsers: true });
    const none = inv([app('addin', { mailboxPermissions: [] })]);
    expect(diffInventories(none, everyone)).toEqual([expect.not.objectContaining({ widenedToAllUsers: true })]);
  });

  it('narrowed to one user, or unchanged, is not', () => {
    expect(diffInventories(everyone, oneUser)).toEqual([]);
    expect(diffInventories(everyone, everyone)).toEqual([]);
    expect(diffInventories(both, everyone)).toEqual([]);
    expect(diffInventories(oneUser, oneUser)).toEqual([]);
  });
});
