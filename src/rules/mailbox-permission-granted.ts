import type { AuditEvent, InventoryApp } from '../events.js';
import { isMailboxPermission } from '../inventory/mailbox.js';
import type { RuleCaseKit } from './case-kit.js';
import { defineRule, NO_FINDINGS } from './define.js';
import { isFailedAudit } from './facts.js';
import { appFinding } from './findings.js';
import { MAILBOX_PERMISSION_META } from './mailbox-permission-common.js';
import type { RuleContext } from './types.js';

const ID = 'mailbox-permission-granted';

const GRANT_KINDS: ReadonlySet<AuditEvent['kind']> = new Set(['appRoleAssignmentAdded', 'consent', 'delegatedGrantAdded']);

// The client app: role-assignment rows name it in ServicePrincipal.AppId (target.appId) while their
// first target can be the resource (Exchange, Graph), so the app id is tried first.
function resolveApp(event: AuditEvent, context: RuleContext): InventoryApp | undefined {
  const byAppId = event.target.appId ? context.app(event.target.appId) : undefined;
  return byAppId ?? (event.target.id ? context.appByObjectId(event.target.id) : undefined);
}

const granter = ({ audit, VENDOR_APP_ID }: RuleCaseKit) => (permissions: string[], over: Partial<AuditEvent> = {}) =>
  audit({
    activity: 'Add app role assignment to service principal',
    kind: 'appRoleAssignmentAdded',
    target: { id: 'sp-exchange', type: 'ServicePrincipal', displayName: 'Office 365 Exchange Online', appId: VENDOR_APP_ID },
    credentialChanges: [],
    permissions,
    ...over,
  });

/** A new way into mailboxes, from the directory audit log. */
export const mailboxPermissionGranted = defineRule({
  id: ID,
  title: 'Mailbox permission granted to an app',
  description:
    'Detects EWS full_access_as_app, Exchange.ManageAsApp, EWS.AccessAsUser.All or Graph Mail/MailboxSettings/Calendars/Contacts permissions granted to an app by app role assignment, admin or user consent, or delegated permission grant, in the directory audit log. Failed attempts granted nothing and are ignored.',
  ...MAILBOX_PERMISSION_META,
  family: ID,
  finding: 'event',
  input: 'audit',
  match({ event }, context) {
    if (!GRANT_KINDS.has(event.kind) || isFailedAudit(event.result)) return NO_FINDINGS;
    const permissions = event.permissions.filter(isMailboxPermission);
    if (permissions.length === 0) return NO_FINDINGS;
    const app = resolveApp(event, context);
    const name = app?.displayName ?? event.target.appId ?? event.target.displayName ?? 'unknown app';
    const by = event.initiatedBy.name ?? event.initiatedBy.id ?? 'an unknown actor';
    return [
      appFinding(ID, 'high', context, {
        appId: app?.appId ?? event.target.appId ?? event.target.id ?? 'unknown',
        appDisplayName: name,
        credentialKeyId: undefined,
        occurredAt: event.activityAt,
        eventIds: [event.id],
        summary: `${permissions.join(', ')} granted to "${name}" by ${by}`,
        details: { activity: event.activity, permissions: permissions.join(' '), initiatedBy: by, target: event.target.displayName ?? null, appKnown: app !== undefined, ownership: app?.ownership ?? null },
      }),
    ];
  },
  cases: (kit) => {
    const { audit, inventoryApp, withApps } = kit;
    const grant = granter(kit);
    return [
      { name: 'full_access_as_app assigned to a vendor app', input: grant(['full_access_as_app']), context: withApps(inventoryApp()), expect: ['high'] },
      { name: 'admin consent including Mail.Read', input: grant(['User.Read', 'Mail.Read'], { activity: 'Consent to application', kind: 'consent' }), expect: ['high'] },
      { name: 'delegated EWS grant', input: grant(['EWS.AccessAsUser.All'], { activity: 'Add delegated permission grant', kind: 'delegatedGrantAdded' }), expect: ['high'] },
      { name: 'non-mailbox permission', input: grant(['User.Read.All']), expect: [] },
      { name: 'failed consent', input: grant(['Mail.Read'], { kind: 'consent', result: 'failure' }), expect: [] },
      { name: 'credential change with a mailbox-looking permission list is not a grant', input: audit({ permissions: ['Mail.Read'] }), expect: [] },
    ];
  },
});
