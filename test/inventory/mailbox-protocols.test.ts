/**
 * The protocol each mailbox permission opens, and IMAP/POP/SMTP apps as mailbox-capable. Names as
 * "Authenticate an IMAP, POP or SMTP connection using OAuth" gives them
 * (https://learn.microsoft.com/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth).
 */
import { describe, expect, it } from 'vitest';
import type { Inventory, InventoryApp, RoleAssignment } from '../../src/events.js';
import { assessInventory } from '../../src/inventory/assess.js';
import { isMailboxPermission, mailboxPermissions } from '../../src/inventory/mailbox.js';
import { renderInventoryCsv, renderInventoryJson, renderInventoryTable } from '../../src/inventory/render.js';
import { EXCHANGE_ONLINE_APP_ID, MICROSOFT_GRAPH_APP_ID } from '../../src/inventory/resources.js';
import { scoreApp, SCORE_POINTS } from '../../src/report/exposure.js';
import { hasMailboxWideAccess, mailboxReach } from '../../src/rules/facts.js';
import { outsideAllowlistSeverity } from '../../src/rules/signin-outside-allowlist.js';
import type { SignInEvent } from '../../src/events.js';

const now = new Date('2026-11-26T00:00:00Z');

const exchangeRole = (roleValue: string): RoleAssignment => ({
  resourceAppId: EXCHANGE_ONLINE_APP_ID,
  resourceDisplayName: 'Office 365 Exchange Online',
  appRoleId: 'resolved-at-runtime',
  roleValue,
  createdDateTime: undefined,
});

function app(over: Partial<InventoryApp>): InventoryApp {
  return {
    appId: 'a-imap',
    displayName: 'Support Inbox Poller',
    servicePrincipalId: 'sp-imap',
    applicationObjectId: 'obj-imap',
    appOwnerOrganizationId: 'contoso',
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

describe('IMAP, POP and SMTP permissions', () => {
  it('are mailbox permissions, application and delegated alike', () => {
    for (const name of ['IMAP.AccessAsApp', 'POP.AccessAsApp', 'SMTP.SendAsApp', 'IMAP.AccessAsUser.All', 'POP.AccessAsUser.All', 'SMTP.Send'])
      expect(isMailboxPermission(name), name).toBe(true);
    expect(isMailboxPermission('SMTP.Sender')).toBe(false);
    expect(isMailboxPermission('IMAP.AccessAsUser')).toBe(false);
  });

  it('open their own protocol on Exchange Online roles', () => {
    const perms = mailboxPermissions(['IMAP.AccessAsApp', 'POP.AccessAsApp', 'SMTP.SendAsApp', 'full_access_as_app'].map(exchangeRole), []);
    expect(perms.map((p) => [p.permission, p.api, p.type])).toEqual([
      ['IMAP.AccessAsApp', 'imap', 'application'],
      ['POP.AccessAsApp', 'pop', 'application'],
      ['SMTP.SendAsApp', 'smtp', 'application'],
      ['full_access_as_app', 'ews', 'application'],
    ]);
  });

  it('open their own protocol as delegated scopes of Microsoft Graph, which lists them too', () => {
    const perms = mailboxPermissions(
      [],
      [
        {
          resourceAppId: MICROSOFT_GRAPH_APP_ID,
          resourceDisplayName: 'Microsoft Graph',
          consentType: 'Principal',
          scopes: ['User.Read', 'IMAP.AccessAsUser.All', 'POP.AccessAsUser.All', 'SMTP.Send', 'Mail.Read'],
        },
      ],
    );
    expect(perms.map((p) => [p.permission, p.api, p.reach])).toEqual([
      ['IMAP.AccessAsUser.All', 'imap', 'someUsers'],
      ['POP.AccessAsUser.All', 'pop', 'someUsers'],
      ['SMTP.Send', 'smtp', 'someUsers'],
      ['Mail.Read', 'graph', 'someUsers'],
    ]);
  });
});

describe('an app whose only mailbox permission is IMAP.AccessAsApp', () => {
  const imapOnly = app({
    appRoleAssignments: [exchangeRole('IMAP.AccessAsApp')],
    mailboxPermissions: mailboxPermissions([exchangeRole('IMAP.AccessAsApp')], []),
  });
  const inventory: Inventory = {
    tenantId: 't',
    collectedAt: now,
    apps: [app({ appId: 'a-plain', displayName: 'Plain App', credentials: [] }), imapOnly],
    sources: [],
  };
  const assessed = assessInventory(inventory, now);

  it('is labelled "granted in Exchange" but judged as possibly every mailbox: Graph cannot see how many Exchange granted', () => {
    expect(imapOnly.mailboxPermissions.map((p) => p.reach)).toEqual(['grantedMailboxes']);
    expect(hasMailboxWideAccess(imapOnly)).toBe(true);
    expect(mailboxReach(imapOnly)).toBe('grantedMailboxes');
    const withEws = app({ mailboxPermissions: mailboxPermissions([exchangeRole('IMAP.AccessAsApp'), exchangeRole('full_access_as_app')], []) });
    expect(hasMailboxWideAccess(withEws)).toBe(true);
  });

  it('is mailbox-capable and listed first', () => {
    expect(assessed[0]).toMatchObject({ app: { displayName: 'Support Inbox Poller' }, mailboxCapable: true });
  });

  it('shows "imap" in the JSON document', () => {
    const doc = JSON.parse(renderInventoryJson(inventory, assessed)) as {
      apps: Array<{ displayName: string; mailboxCapable: boolean; mailboxPermissions: Array<{ permission: string; api: string }> }>;
    };
    expect(doc.apps.find((a) => a.displayName === 'Support Inbox Poller')).toMatchObject({
      mailboxCapable: true,
      mailboxPermissions: [{ permission: 'IMAP.AccessAsApp', api: 'imap' }],
    });
  });

  it('shows "imap" in the CSV protocol column', () => {
    const [header, first] = renderInventoryCsv(assessed).split('\n');
    const columns = header!.split(',');
    expect(first!.split(',')[columns.indexOf('mailboxProtocols')]).toBe('imap');
    expect(first!.split(',')[columns.indexOf('mailboxCapable')]).toBe('true');
  });

  it('shows IMAP in the table as mailboxes granted in Exchange, where the grant lives', () => {
    const table = renderInventoryTable(inventory, assessed);
    expect(table).toContain('MAILBOXES GRANTED IN EXCHANGE (IMAP.AccessAsApp IMAP)');
    expect(table).not.toContain('ALL MAILBOXES');
    expect(table).toMatch(/2 apps, 1 can reach mailboxes/);
  });
});

describe('a stolen IMAP poller certificate used from a foreign network', () => {
  const poller = app({ mailboxPermissions: mailboxPermissions([exchangeRole('IMAP.AccessAsApp')], []) });
  const signIn = { outcome: 'success', ipAddress: '198.51.100.41' } as SignInEvent;

  it('is critical, as for an EWS app: the mailboxes granted in Exchange may be all of them', () => {
    expect(outsideAllowlistSeverity(poller, signIn)).toBe('critical');
    expect(outsideAllowlistSeverity(app({ mailboxPermissions: mailboxPermissions([exchangeRole('full_access_as_app')], []) }), signIn)).toBe('critical');
  });

  it('stays high for an app with delegated mailbox scopes only', () => {
    const delegated = app({
      mailboxPermissions: mailboxPermissions(
        [],
        [{ resourceAppId: MICROSOFT_GRAPH_APP_ID, resourceDisplayName: 'Microsoft Graph', consentType: 'AllPrincipals', scopes: ['IMAP.AccessAsUser.All'] }],
      ),
    });
    expect(outsideAllowlistSeverity(delegated, signIn)).toBe('high');
  });

  it('scores mailbox reach as high as every mailbox, saying why', () => {
    const row = {
      appId: poller.appId,
      displayName: poller.displayName,
      ownership: 'own',
      appOwnerOrganizationId: null,
      mailboxCapable: true,
      mailboxPermissions: poller.mailboxPermissions.map((p) => ({ permission: p.permission, type: p.type, reach: p.reach, api: p.api })),
      credentials: [],
    } as unknown as Parameters<typeof scoreApp>[0];
    const reach = scoreApp(row, null).parts.find((p) => p.factor === 'mailboxReach')!;
    expect(reach.points).toBe(SCORE_POINTS.mailboxReach.allMailboxes);
    expect(reach.reason).toBe('IMAP.AccessAsApp (application, mailboxes granted in Exchange, IMAP): mailboxes granted in Exchange — Graph cannot see how many');
  });
});
