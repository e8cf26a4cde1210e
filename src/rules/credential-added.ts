import { ALERT_SUBJECT_DETAIL } from '../contract.js';
import type { AuditEvent, InventoryApp } from '../events.js';
import { CREDENTIAL_ADDED_META, credentialAddedSeverity, credentialAddedSummary } from './credential-added-common.js';
import { defineRule, NO_FINDINGS } from './define.js';
import { credentialKindOfKeyType, isFailedAudit } from './facts.js';
import { appFinding } from './findings.js';
import type { RuleContext } from './types.js';

const ID = 'credential-added';

function resolveApp(event: AuditEvent, context: RuleContext): InventoryApp | undefined {
  const byObject = event.target.id ? context.appByObjectId(event.target.id) : undefined;
  return byObject ?? (event.target.appId ? context.app(event.target.appId) : undefined);
}

/** Credentials added to an app or service principal, from the directory audit log. */
export const credentialAdded = defineRule({
  id: ID,
  title: 'Credential added to an app or service principal',
  description:
    'Detects a certificate or secret added to an app registration ("Certificates and secrets management") or directly to a service principal ("Add service principal credentials") in the directory audit log. High on mailbox-capable apps and for credentials on service principals, medium otherwise. Failed attempts changed nothing and are ignored.',
  severity: 'high',
  ...CREDENTIAL_ADDED_META,
  family: ID,
  finding: 'event',
  input: 'audit',
  match({ event }, context) {
    if (event.kind !== 'applicationCredentialsChanged' && event.kind !== 'servicePrincipalCredentialsAdded') return NO_FINDINGS;
    if (isFailedAudit(event.result)) return NO_FINDINGS;
    const app = resolveApp(event, context);
    const holder = event.kind === 'servicePrincipalCredentialsAdded' || event.target.type === 'ServicePrincipal' ? 'servicePrincipal' : 'application';
    const name = app?.displayName ?? event.target.displayName ?? event.target.id ?? 'unknown app';
    const added = event.credentialChanges.filter((c) => c.change === 'added');
    // "Add service principal credentials" is an add by its name even when the key list could not be
    // parsed; "Certificates and secrets management" also covers removals, so it needs a parsed add.
    const changes = added.length === 0 && event.kind === 'servicePrincipalCredentialsAdded' ? [undefined] : added;
    return changes.map((change) => {
      const kind = credentialKindOfKeyType(change?.keyType);
      const by = event.initiatedBy.name ?? event.initiatedBy.id ?? 'an unknown actor';
      return appFinding(ID, credentialAddedSeverity(app, holder), context, {
        appId: app?.appId ?? event.target.appId ?? event.target.id ?? 'unknown',
        appDisplayName: name,
        credentialKeyId: change?.keyId,
        occurredAt: event.activityAt,
        eventIds: [event.id],
        summary: `${credentialAddedSummary(kind, holder, name)} by ${by}`,
        details: {
          activity: event.activity,
          // A key id keys the alert already; an add whose key list could not be parsed has none,
          // and two such adds to one app would fold into one alert with nothing new to notify.
          // Each is its own alert, keyed on its audit row (src/alerts/subject.ts).
          ...(change?.keyId ? {} : { [ALERT_SUBJECT_DETAIL]: `audit:${event.id}` }),
          holder,
          credentialKind: kind,
          keyDisplayName: change?.displayName ?? null,
          initiatedBy: by,
          initiatorType: event.initiatedBy.type,
          appKnown: app !== undefined,
          mailboxCapable: (app?.mailboxPermissions.length ?? 0) > 0,
        },
      });
    });
  },
  cases: ({ audit, FULL_ACCESS_AS_APP, inventoryApp, NEW_KEY_ID, ownApp, withApps }) => [
    {
      name: 'certificate added to a mailbox-capable app',
      input: audit(),
      context: withApps(ownApp({ mailboxPermissions: [FULL_ACCESS_AS_APP] })),
      expect: ['high'],
    },
    { name: 'certificate added to an app without mailbox access', input: audit(), context: withApps(ownApp()), expect: ['medium'] },
    {
      name: 'secret added directly to a vendor service principal',
      input: audit({
        activity: 'Add service principal credentials',
        kind: 'servicePrincipalCredentialsAdded',
        target: { id: 'sp-vendor', type: 'ServicePrincipal', displayName: 'Mimecast Services', appId: undefined },
        credentialChanges: [{ change: 'added', keyId: NEW_KEY_ID, keyType: 'Password', keyUsage: undefined, displayName: undefined }],
      }),
      context: withApps(inventoryApp()),
      expect: ['high'],
    },
    {
      name: 'service principal add without a parsed key list still fires',
      input: audit({
        activity: 'Add service principal credentials',
        kind: 'servicePrincipalCredentialsAdded',
        target: { id: 'sp-unknown', type: 'ServicePrincipal', displayName: 'Unknown SP', appId: undefined },
        credentialChanges: [],
      }),
      expect: ['high'],
    },
    { name: 'app the inventory does not know: falls back to the audit target', input: audit(), expect: ['medium'] },
    {
      name: 'two keys added in one change',
      input: audit({
        credentialChanges: [
          { change: 'added', keyId: 'k1', keyType: 'AsymmetricX509Cert', keyUsage: 'Verify', displayName: undefined },
          { change: 'added', keyId: 'k2', keyType: 'Password', keyUsage: undefined, displayName: undefined },
        ],
      }),
      context: withApps(ownApp()),
      expect: ['medium', 'medium'],
    },
    {
      name: 'removal only',
      input: audit({
        credentialChanges: [{ change: 'removed', keyId: NEW_KEY_ID, keyType: 'AsymmetricX509Cert', keyUsage: 'Verify', displayName: undefined }],
      }),
      context: withApps(ownApp()),
      expect: [],
    },
    { name: 'failed attempt changed nothing', input: audit({ result: 'failure' }), context: withApps(ownApp()), expect: [] },
    { name: 'other activity', input: audit({ activity: 'Add owner to application', kind: 'ownerAdded' }), context: withApps(ownApp()), expect: [] },
  ],
});
