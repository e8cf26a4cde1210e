import { describe, expect, it } from 'vitest';
import type { AppCredential, Inventory, InventoryApp } from '../events.js';
import { assessInventory } from './assess.js';
import { mailboxPermissions } from './mailbox.js';
import { EXCHANGE_ONLINE_APP_ID, MICROSOFT_GRAPH_APP_ID } from './resources.js';

const now = new Date('2026-11-26T00:00:00Z');
const days = (n: number) => new Date(now.getTime() + n * 86_400_000);

function credential(over: Partial<AppCredential>): AppCredential {
  return {
    keyId: 'k1',
    kind: 'certificate',
    holder: 'application',
    displayName: undefined,
    startDateTime: days(-10),
    endDateTime: days(300),
    thumbprintSha1: undefined,
    hint: undefined,
    usage: 'Verify',
    federated: undefined,
    certificate: undefined,
    ...over,
  };
}

function app(over: Partial<InventoryApp>): InventoryApp {
  return {
    appId: 'a1',
    displayName: 'App',
    servicePrincipalId: 'sp1',
    applicationObjectId: undefined,
    appOwnerOrganizationId: undefined,
    ownership: 'own',
    servicePrincipalType: 'Application',
    accountEnabled: true,
    signInAudience: undefined,
    createdDateTime: undefined,
    credentials: [],
    appRoleAssignments: [],
    delegatedGrants: [],
    mailboxPermissions: [],
    ...over,
  };
}

const inventory = (apps: InventoryApp[]): Inventory => ({ tenantId: 't', collectedAt: now, apps, sources: [] });

describe('mailboxPermissions', () => {
  it('reports full_access_as_app as EWS access to all mailboxes', () => {
    const perms = mailboxPermissions(
      [
        {
          resourceAppId: EXCHANGE_ONLINE_APP_ID,
          resourceDisplayName: 'Office 365 Exchange Online',
          appRoleId: 'x',
          roleValue: 'full_access_as_app',
          createdDateTime: undefined,
        },
      ],
      [],
    );
    expect(perms).toEqual([expect.objectContaining({ permission: 'full_access_as_app', api: 'ews', type: 'application', reach: 'allMailboxes' })]);
  });

  it('counts Graph mail roles and ignores non-mail roles', () => {
    const perms = mailboxPermissions(
      [
        { resourceAppId: MICROSOFT_GRAPH_APP_ID, resourceDisplayName: 'Microsoft Graph', appRoleId: 'x', roleValue: 'Mail.Read', createdDateTime: undefined },
        {
          resourceAppId: MICROSOFT_GRAPH_APP_ID,
          resourceDisplayName: 'Microsoft Graph',
          appRoleId: 'y',
          roleValue: 'User.Read.All',
          createdDateTime: undefined,
        },
      ],
      [],
    );
    expect(perms.map((p) => p.permission)).toEqual(['Mail.Read']);
  });

  it('ignores an assignment whose role name could not be resolved rather than guessing', () => {
    expect(
      mailboxPermissions(
        [{ resourceAppId: MICROSOFT_GRAPH_APP_ID, resourceDisplayName: 'G', appRoleId: 'x', roleValue: undefined, createdDateTime: undefined }],
        [],
      ),
    ).toEqual([]);
  });

  it('marks an admin-consented delegated EWS grant as reaching all users', () => {
    const perms = mailboxPermissions(
      [],
      [{ resourceAppId: EXCHANGE_ONLINE_APP_ID, resourceDisplayName: 'EXO', consentType: 'AllPrincipals', scopes: ['EWS.AccessAsUser.All', 'User.Read'] }],
    );
    expect(perms).toEqual([expect.objectContaining({ permission: 'EWS.AccessAsUser.All', type: 'delegated', reach: 'allUsers', api: 'ews' })]);
  });
});

describe('assessInventory', () => {
  it('flags expired, expiring and long-lived credentials against the injected clock', () => {
    const [a] = assessInventory(
      inventory([
        app({
          credentials: [
            credential({ keyId: 'expired', endDateTime: days(-1) }),
            credential({ keyId: 'soon', endDateTime: days(20) }),
            credential({ keyId: 'long', startDateTime: days(-100), endDateTime: days(1000) }),
            credential({ keyId: 'secret-long', kind: 'secret', startDateTime: days(-10), endDateTime: days(200) }),
          ],
        }),
      ]),
      now,
    );
    const flags = Object.fromEntries(a!.credentials.map((c) => [c.credential.keyId, c.flags]));
    expect(flags.expired).toContain('expired');
    expect(flags.soon).toEqual(['expiringSoon']);
    expect(flags.long).toEqual(['longLived']);
    expect(flags['secret-long']).toEqual(['longLived']);
  });

  it('flags secrets on mailbox-capable apps and credentials on service principals', () => {
    const [a] = assessInventory(
      inventory([
        app({
          mailboxPermissions: [{ permission: 'Mail.Read', resource: 'graph', api: 'graph', type: 'application', reach: 'allMailboxes', grantedAt: undefined }],
          credentials: [credential({ kind: 'secret', holder: 'servicePrincipal', endDateTime: days(90) })],
        }),
      ]),
      now,
    );
    expect(a!.credentials[0]!.flags).toEqual(['onServicePrincipal', 'secretOnMailboxApp']);
  });

  it('flags one certificate shared by two apps and weak certificates', () => {
    const weak = {
      subject: 'CN=x',
      issuer: 'CN=x',
      selfSigned: true,
      keyAlgorithm: 'rsa',
      keySizeInBits: 1024,
      signatureAlgorithm: 'SHA-1 with RSASSA-PKCS1-v1_5',
      notBefore: days(-1),
      notAfter: days(300),
      thumbprintSha1: 'AB',
      thumbprintSha256: 'CD',
    };
    const assessed = assessInventory(
      inventory([
        app({ appId: 'a1', credentials: [credential({ thumbprintSha1: 'AB', certificate: weak })] }),
        app({ appId: 'a2', displayName: 'Other', credentials: [credential({ thumbprintSha1: 'AB' })] }),
      ]),
      now,
    );
    expect(assessed.find((x) => x.app.appId === 'a1')!.credentials[0]!.flags).toEqual(['weakKey', 'sha1Signature', 'shared']);
    expect(assessed.find((x) => x.app.appId === 'a2')!.credentials[0]!.flags).toEqual(['shared']);
  });

  it('lists mailbox-capable apps first, third-party before own', () => {
    const mail = [
      {
        permission: 'Mail.Read',
        resource: 'graph' as const,
        api: 'graph' as const,
        type: 'application' as const,
        reach: 'allMailboxes' as const,
        grantedAt: undefined,
      },
    ];
    const order = assessInventory(
      inventory([
        app({ appId: '1', displayName: 'A plain' }),
        app({ appId: '2', displayName: 'B own mail', mailboxPermissions: mail }),
        app({ appId: '3', displayName: 'C vendor mail', ownership: 'thirdParty', mailboxPermissions: mail }),
      ]),
      now,
    ).map((a) => a.app.displayName);
    expect(order).toEqual(['C vendor mail', 'B own mail', 'A plain']);
  });
});
