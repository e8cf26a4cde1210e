import type { DelegatedGrant, MailboxApi, MailboxPermission, RoleAssignment } from '../events.js';
import { EXCHANGE_ONLINE_APP_ID, MICROSOFT_GRAPH_APP_ID } from './resources.js';

// Permissions that read, send or act on mailbox content, by name. Names, not ids: ids are resolved
// from each resource's appRoles and oauth2PermissionScopes at runtime, so a renamed or new id
// cannot hide a grant. The IMAP, POP and SMTP names are the ones "Authenticate an IMAP, POP or SMTP
// connection using OAuth" lists (https://learn.microsoft.com/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth):
// application permissions IMAP.AccessAsApp, POP.AccessAsApp and SMTP.SendAsApp on Office 365
// Exchange Online, delegated IMAP.AccessAsUser.All, POP.AccessAsUser.All and SMTP.Send.
const MAILBOX_NAME =
  /^(Mail|Mailbox[A-Za-z]*|Calendars|Contacts)\.|^full_access_as_(app|user)$|^EWS\.AccessAsUser\.All$|^Exchange\.ManageAsApp$|^(IMAP|POP)\.AccessAs(App|User\.All)$|^SMTP\.Send(AsApp)?$/;

/** Whether a permission name opens mailbox data (mail, calendars, contacts, settings, IMAP/POP/SMTP). */
export function isMailboxPermission(name: string): boolean {
  return MAILBOX_NAME.test(name);
}

/** The protocol a mailbox permission opens, from its name and the resource that defines it. */
export function mailboxApiOf(resource: 'exchange' | 'graph', name: string): MailboxApi {
  if (name === 'Exchange.ManageAsApp') return 'exchangeAdmin';
  // The protocol is in the name, whichever resource defines it: Microsoft Graph also lists the
  // delegated IMAP, POP and SMTP scopes (https://learn.microsoft.com/graph/permissions-reference).
  if (name.startsWith('IMAP.')) return 'imap';
  if (name.startsWith('POP.')) return 'pop';
  if (name.startsWith('SMTP.')) return 'smtp';
  if (resource === 'exchange' || name === 'EWS.AccessAsUser.All' || name.startsWith('full_access_as_')) return 'ews';
  return 'graph';
}

const PROTOCOL_LABELS: Readonly<Record<MailboxApi, string>> = {
  ews: 'EWS',
  graph: 'Graph',
  imap: 'IMAP',
  pop: 'POP',
  smtp: 'SMTP',
  exchangeAdmin: 'Exchange admin',
};

/** `IMAP`, `EWS`, `Graph`, …: how tables, reports and alerts name a protocol (an unknown value as is). */
export function protocolLabel(api: MailboxApi | string): string {
  return (PROTOCOL_LABELS as Readonly<Record<string, string>>)[api] ?? api;
}

/**
 * IMAP, POP and SMTP application permissions reach only the mailboxes Exchange grants the app's
 * Exchange service principal (Add-MailboxPermission), a list Graph cannot read
 * (https://learn.microsoft.com/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth).
 * Their reach is labelled `grantedMailboxes` to say where the grant lives; since Graph cannot see
 * how many mailboxes that is, severity and exposure treat it as possibly every mailbox, like
 * `allMailboxes` (docs/inventory.md, "Mailbox reach").
 */
export function reachesOnlyExchangeGrantedMailboxes(p: Pick<MailboxPermission, 'api' | 'type'>): boolean {
  return p.type === 'application' && (p.api === 'imap' || p.api === 'pop' || p.api === 'smtp');
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
    const api = mailboxApiOf(resource, a.roleValue);
    out.push({
      permission: a.roleValue,
      resource,
      api,
      type: 'application',
      reach: reachesOnlyExchangeGrantedMailboxes({ api, type: 'application' }) ? 'grantedMailboxes' : 'allMailboxes',
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
        api: mailboxApiOf(resource, scope),
        type: 'delegated',
        reach: g.consentType === 'AllPrincipals' ? 'allUsers' : 'someUsers',
        grantedAt: undefined,
      });
    }
  }
  return out;
}
