import type { DelegatedGrant, MailboxApi, MailboxPermission, RoleAssignment } from '../events.js';
import { EXCHANGE_ONLINE_APP_ID, MICROSOFT_GRAPH_APP_ID } from './resources.js';

// Permissions that read or act on mailbox content, by name. Names, not ids: ids are resolved from
// each resource's appRoles at runtime, so a renamed or new id cannot hide a grant.
const MAILBOX_NAME = /^(Mail|Mailbox[A-Za-z]*|Calendars|Contacts)\.|^full_access_as_(app|user)$|^EWS\.AccessAsUser\.All$|^Exchange\.ManageAsApp$/;

/** Whether a permission name opens mailbox data (mail, calendars, contacts, mailbox settings). */
export function isMailboxPermission(name: string): boolean {
  return MAILBOX_NAME.test(name);
}

function apiOf(resource: 'exchange' | 'graph', name: string): MailboxApi {
  if (name === 'Exchange.ManageAsApp') return 'exchangeAdmin';
  if (resource === 'exchange' || name === 'EWS.AccessAsUser.All') return 'ews';
  return 'graph';
}

function resourceOf(appId: string | undefined): 'exchange' | 'graph' | undefined {
  if (appId === EXCHANGE_ONLINE_APP_ID) return 'exchange';
  if (appId === MICROSOFT_GRAPH_APP_ID) return 'graph';
  return undefined;
}

/**
 * Mailbox reach from application roles and delegated grants. An application role reaches every
 * mailbox unless Exchange scopes it (Application Access Policy / RBAC for Applications), which
 * Graph cannot show — so we say "all mailboxes unless scoped in Exchange", never "scoped".
 */
export function mailboxPermissions(assignments: readonly RoleAssignment[], grants: readonly DelegatedGrant[]): MailboxPermission[] {
  const out: MailboxPermission[] = [];
  for (const a of assignments) {
    const resource = resourceOf(a.resourceAppId);
    if (!resource || !a.roleValue || !isMailboxPermission(a.roleValue)) continue;
    out.push({
      permission: a.roleValue,
      resource,
      api: apiOf(resource, a.roleValue),
      type: 'application',
      reach: 'allMailboxes',
      grantedAt: a.createdDateTime,
    });
  }
  for (const g of grants) {
    const resource = resourceOf(g.resourceAppId);
    if (!resource) continue;
    for (const scope of g.scopes) {
      if (!isMailboxPermission(scope)) continue;
      out.push({
        permission: scope,
        resource,
        api: apiOf(resource, scope),
        type: 'delegated',
        reach: g.consentType === 'AllPrincipals' ? 'allUsers' : 'someUsers',
        grantedAt: undefined,
      });
    }
  }
  return out;
}
