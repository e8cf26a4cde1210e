import { CREDENTIAL_ADDED_META, credentialAddedSeverity, credentialAddedSummary } from './credential-added-common.js';
import { defineRule, NO_FINDINGS } from './define.js';
import { appFinding } from './findings.js';

const ID = 'credential-added-diff';

/** The inventory-diff view of `credential-added`, for tenants or windows where audit logs are missing. */
export const credentialAddedDiff = defineRule({
  id: ID,
  title: 'Credential added to an app or service principal (inventory diff)',
  description:
    'Detects a certificate, secret or federated credential that appears on an app registration or service principal between two inventory snapshots; the audit-log rule credential-added sees the same adds sooner and with the actor, this one catches them when audit logs were unavailable and catches federated credentials. High on mailbox-capable apps and for credentials on service principals, medium otherwise.',
  severity: 'high',
  ...CREDENTIAL_ADDED_META,
  // One change seen two ways: the diff shares the audit-log rule's alerts, so it is notified once.
  family: 'credential-added',
  finding: 'event',
  input: 'inventoryChange',
  match({ change }, context) {
    if (change.kind !== 'credentialAdded') return NO_FINDINGS;
    const { app } = change;
    return [
      appFinding(ID, credentialAddedSeverity(app, change.holder), context, {
        appId: app.appId,
        appDisplayName: app.displayName,
        credentialKeyId: change.credentialKeyId,
        // A diff has no event time; the scan time is when we learned it.
        occurredAt: context.now,
        eventIds: [`inventory:${app.appId}:${change.credentialKeyId}`],
        summary: `${credentialAddedSummary(change.credentialKind, change.holder, app.displayName)} (found by comparing inventory snapshots)`,
        details: { holder: change.holder, credentialKind: change.credentialKind, ownership: app.ownership, mailboxCapable: app.mailboxPermissions.length > 0 },
      }),
    ];
  },
  cases: ({ FULL_ACCESS_AS_APP, inventoryApp, inventoryChange, NEW_KEY_ID, ownApp }) => [
    {
      name: 'certificate on a mailbox-capable app',
      input: inventoryChange({
        kind: 'credentialAdded',
        app: ownApp({ mailboxPermissions: [FULL_ACCESS_AS_APP] }),
        credentialKeyId: NEW_KEY_ID,
        credentialKind: 'certificate',
        holder: 'application',
      }),
      expect: ['high'],
    },
    {
      name: 'secret on a vendor service principal',
      input: inventoryChange({
        kind: 'credentialAdded',
        app: inventoryApp(),
        credentialKeyId: NEW_KEY_ID,
        credentialKind: 'secret',
        holder: 'servicePrincipal',
      }),
      expect: ['high'],
    },
    {
      name: 'federated credential on an ordinary app',
      input: inventoryChange({ kind: 'credentialAdded', app: ownApp(), credentialKeyId: NEW_KEY_ID, credentialKind: 'federated', holder: 'application' }),
      expect: ['medium'],
    },
    { name: 'credential removed', input: inventoryChange({ kind: 'credentialRemoved', app: ownApp(), credentialKeyId: NEW_KEY_ID }), expect: [] },
    { name: 'new app', input: inventoryChange({ kind: 'appAdded', app: ownApp() }), expect: [] },
  ],
});
