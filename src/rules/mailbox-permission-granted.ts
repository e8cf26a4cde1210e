import { ALERT_SUBJECT_DETAIL } from '../contract.js';
import type { AuditEvent } from '../events.js';
import type { RuleCaseKit } from './case-kit.js';
import { defineRule, NO_FINDINGS } from './define.js';
import { isFailedAudit } from './facts.js';
import { appFinding } from './findings.js';
import { MAILBOX_PERMISSION_META } from './mailbox-permission-common.js';
import { describeGranted, grantView } from './mailbox-permission-parties.js';

const ID = 'mailbox-permission-granted';

const GRANT_KINDS: ReadonlySet<AuditEvent['kind']> = new Set(['appRoleAssignmentAdded', 'consent', 'delegatedGrantAdded']);

const EXCHANGE = { servicePrincipalId: 'sp-exchange', appId: '00000002-0000-0ff1-ce00-000000000000', displayName: 'Office 365 Exchange Online' };

/**
 * A grant row as the collector reads the real ones: an app role assignment whose first target is
 * the API (Exchange) and whose client is the vendor app, named in the row's ServicePrincipal.* properties.
 */
const granter =
  ({ audit, VENDOR_APP_ID }: RuleCaseKit) =>
  (permissions: string[], over: Partial<AuditEvent> = {}) =>
    audit({
      activity: 'Add app role assignment to service principal',
      kind: 'appRoleAssignmentAdded',
      target: { id: EXCHANGE.servicePrincipalId, type: 'ServicePrincipal', displayName: EXCHANGE.displayName, appId: VENDOR_APP_ID },
      credentialChanges: [],
      permissions,
      grant: { client: { servicePrincipalId: 'sp-vendor', appId: VENDOR_APP_ID, displayName: 'Mimecast Services' }, resource: EXCHANGE },
      ...over,
    });

/** A new way into mailboxes, from the directory audit log. */
export const mailboxPermissionGranted = defineRule({
  id: ID,
  title: 'Mailbox permission granted to an app',
  description:
    'Detects mailbox permissions (EWS full_access_as_app, Exchange.ManageAsApp, IMAP.AccessAsApp, POP.AccessAsApp, SMTP.SendAsApp, and delegated EWS, IMAP, POP, SMTP AUTH or Graph Mail/MailboxSettings/Calendars/Contacts) granted to an app by app role assignment, consent or delegated permission grant in the directory audit log, naming the client app that received them and the protocol each opens. Only the permissions the change added count: the rows log whole scope lists before and after. Failed attempts granted nothing and are ignored. How each activity names the client: docs/rules.md, "How grant audit rows name the app".',
  ...MAILBOX_PERMISSION_META,
  family: ID,
  finding: 'event',
  input: 'audit',
  match({ event }, context) {
    if (!GRANT_KINDS.has(event.kind) || isFailedAudit(event.result)) return NO_FINDINGS;
    const grant = grantView(event, context);
    if (grant.mailbox.length === 0) return NO_FINDINGS;
    const by = event.initiatedBy.name ?? event.initiatedBy.id ?? 'an unknown actor';
    const on = grant.resourceName ? ` on ${grant.resourceName}` : '';
    const all = grant.mailbox.map((m) => m.permission).join(' ');
    // One finding per permission, each its own alert (src/alerts/subject.ts): a wider permission
    // granted later in the window must notify, not fold silently into the first grant's alert.
    // The inventory diff sees grants one permission at a time, so it lands in the same alerts.
    return grant.mailbox.map((m) => {
      const finding = appFinding(ID, 'high', context, {
        appId: grant.appId,
        appDisplayName: grant.appDisplayName,
        credentialKeyId: undefined,
        occurredAt: event.activityAt,
        eventIds: [event.id],
        summary: `${describeGranted([m])} granted to "${grant.appDisplayName}"${on} by ${by}`,
        details: {
          activity: event.activity,
          [ALERT_SUBJECT_DETAIL]: m.permission,
          permission: m.permission,
          protocols: m.api,
          // Everything the change added, so each alert shows what came with its permission.
          permissions: all,
          initiatedBy: by,
          resource: grant.resourceName ?? null,
          clientServicePrincipalId: grant.clientServicePrincipalId ?? null,
          appKnown: grant.app !== undefined,
          ownership: grant.app?.ownership ?? null,
        },
      });
      // The API the permissions are for, shown with the alert like a sign-in's resource.
      return { ...finding, resource: grant.resourceName };
    });
  },
  cases: (kit) => {
    const { audit, inventoryApp, ownApp, withApps } = kit;
    const grant = granter(kit);
    const own = ownApp();
    // "Add delegated permission grant" as logged: the API first, the client only by object id.
    const delegated = (permissions: string[]) =>
      grant(permissions, {
        activity: 'Add delegated permission grant',
        kind: 'delegatedGrantAdded',
        target: { id: 'sp-graph', type: 'ServicePrincipal', displayName: 'Microsoft Graph', appId: undefined },
        grant: {
          client: { servicePrincipalId: own.servicePrincipalId, appId: undefined, displayName: undefined },
          resource: { servicePrincipalId: 'sp-graph', appId: '00000003-0000-0000-c000-000000000000', displayName: 'Microsoft Graph' },
        },
      });
    const consent = (permissions: string[]) =>
      grant(permissions, {
        activity: 'Consent to application',
        kind: 'consent',
        target: { id: own.servicePrincipalId, type: 'ServicePrincipal', displayName: own.displayName, appId: undefined },
        grant: {
          client: { servicePrincipalId: own.servicePrincipalId, appId: own.appId, displayName: own.displayName },
          resource: { servicePrincipalId: 'sp-graph', appId: undefined, displayName: undefined },
        },
      });
    return [
      { name: 'full_access_as_app assigned to a vendor app', input: grant(['full_access_as_app']), context: withApps(inventoryApp()), expect: ['high'] },
      { name: 'IMAP.AccessAsApp assigned: mailbox access over IMAP alone', input: grant(['IMAP.AccessAsApp']), expect: ['high'] },
      { name: 'admin consent adding Mail.Read', input: consent(['Mail.Read']), context: withApps(own), expect: ['high'] },
      {
        name: 'delegated Mail.ReadWrite granted to a client known only by its object id',
        input: delegated(['Mail.ReadWrite']),
        context: withApps(own),
        expect: ['high'],
      },
      { name: 'delegated EWS grant to an app the inventory does not know', input: delegated(['EWS.AccessAsUser.All']), expect: ['high'] },
      { name: 'non-mailbox permission', input: grant(['User.Read.All']), expect: [] },
      { name: 'a consent that added nothing (the scopes were already granted)', input: consent([]), context: withApps(own), expect: [] },
      { name: 'failed consent', input: grant(['Mail.Read'], { kind: 'consent', result: 'failure' }), expect: [] },
      { name: 'credential change with a mailbox-looking permission list is not a grant', input: audit({ permissions: ['Mail.Read'] }), expect: [] },
    ];
  },
});
