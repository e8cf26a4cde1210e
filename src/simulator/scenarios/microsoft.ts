/**
 * Microsoft first-party resource service principals as they appear in every tenant, with the app
 * roles and delegated scopes credwatch resolves by value at runtime. Role ids are Microsoft's real
 * ones (the Graph permissions reference, https://learn.microsoft.com/graph/permissions-reference; the others checked against public permission tables, see README.md), except the
 * Exchange IMAP/POP/SMTP roles: see {@link EXCHANGE_PROTOCOL_ROLE}.
 */
import type { AppRole, PermissionScope, ServicePrincipal } from '../scenario.js';
import { guid } from './builders.js';

/** `appOwnerOrganizationId` of Microsoft's first-party apps. */
export const MICROSOFT_TENANT_ID = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';
export const EXCHANGE_APP_ID = '00000002-0000-0ff1-ce00-000000000000';
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const SHAREPOINT_APP_ID = '00000003-0000-0ff1-ce00-000000000000';
export const MANAGEMENT_APIS_APP_ID = 'c5393580-f805-4401-95e8-94b7a6ef2fc2';

/** Application role ids by value. */
export const ROLE = {
  fullAccessAsApp: 'dc890d15-9560-4a4c-9b7f-a736ec74ec40',
  exchangeManageAsApp: 'dc50a0fb-09a3-484d-be87-e023b12c6440',
  mailRead: '810c84a8-4a9e-49e6-bf7d-12d183f40d01',
  mailReadWrite: 'e2a3a72e-5f79-4c64-b1b1-878b674786c9',
  mailSend: 'b633e1c5-b582-4048-a93e-9f11b44c7e96',
  mailReadBasicAll: '693c5e45-0940-467d-9b8a-1022fb9d42ef',
  mailboxSettingsReadWrite: '6931bccd-447a-43d1-b442-00a195474933',
  calendarsRead: '798ee544-9d2d-430c-a058-570e29e34338',
  contactsRead: '089fe4d0-434a-44c5-8827-41ba8a0b17f5',
  userReadAll: 'df021288-bdef-4463-88db-98f22de89214',
  groupReadAll: '5b567255-7703-4780-807c-7be8301ae99b',
  directoryReadAll: '7ab1d382-f21e-4acd-a863-ba3e13f7da61',
  applicationReadAll: '9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30',
  auditLogReadAll: 'b0afded3-3588-46d8-8b3d-9842eff778da',
  policyReadAll: '246dd0d5-5bd0-4def-940b-0421030a5b68',
} as const;

/**
 * Office 365 Exchange Online's IMAP, POP and SMTP application roles. Microsoft's docs name them
 * ("Authenticate an IMAP, POP or SMTP connection using OAuth",
 * https://learn.microsoft.com/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth)
 * but publish no ids for them, so these ids are the scenario's own, derived from the names and
 * marked as such: credwatch resolves a role by the `value` in the resource's appRoles, never by id.
 */
export const EXCHANGE_PROTOCOL_ROLE = {
  imapAccessAsApp: guid('simulated-id/exchange-online/appRole/IMAP.AccessAsApp'),
  popAccessAsApp: guid('simulated-id/exchange-online/appRole/POP.AccessAsApp'),
  smtpSendAsApp: guid('simulated-id/exchange-online/appRole/SMTP.SendAsApp'),
} as const;

/**
 * Delegated scope ids by value. The Microsoft Graph ones are those of the permissions reference,
 * "All permissions and IDs" (https://learn.microsoft.com/graph/permissions-reference).
 */
export const SCOPE = {
  exchangeEwsAccessAsUserAll: '3b5f3d61-589b-4a3c-a359-5dd4b5ee5bd5',
  graphEwsAccessAsUserAll: '9769c687-087d-48ac-9cb3-c37dde652038',
  graphMailRead: '570282fd-fa5c-430d-a7fd-fc8dc98a9dca',
  graphMailReadWrite: '024d486e-b451-40bb-833d-3e66d98c5c73',
  graphUserRead: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d',
  graphImapAccessAsUserAll: '652390e4-393a-48de-9484-05f9b1212954',
  graphPopAccessAsUserAll: 'd7b7f2d9-0f45-4ea1-9d42-e50810c06991',
  graphSmtpSend: '258f6531-6087-4cc4-bb90-092c5fb3ed3f',
} as const;

function role(id: string, value: string, displayName: string): AppRole {
  return {
    id,
    value,
    displayName,
    description: `Allows the app to ${displayName.toLowerCase()} without a signed-in user.`,
    allowedMemberTypes: ['Application'],
    isEnabled: true,
    origin: 'Application',
  };
}

function scope(id: string, value: string, displayName: string, type: 'Admin' | 'User'): PermissionScope {
  return {
    id,
    value,
    type,
    isEnabled: true,
    adminConsentDisplayName: displayName,
    adminConsentDescription: `Allows the app to ${displayName.toLowerCase()} on behalf of the signed-in user.`,
    userConsentDisplayName: displayName,
    userConsentDescription: `Allows the app to ${displayName.toLowerCase()} on your behalf.`,
  };
}

function firstParty(tenantId: string, appId: string, displayName: string, names: string[], appRoles: AppRole[], scopes: PermissionScope[]): ServicePrincipal {
  return {
    id: guid(`${tenantId}/sp/${appId}`),
    appId,
    displayName,
    appDisplayName: displayName,
    appOwnerOrganizationId: MICROSOFT_TENANT_ID,
    servicePrincipalType: 'Application',
    accountEnabled: true,
    signInAudience: 'AzureADMultipleOrgs',
    servicePrincipalNames: [appId, ...names],
    publisherName: 'Microsoft Services',
    tags: [],
    appRoles,
    oauth2PermissionScopes: scopes,
    keyCredentials: [],
    passwordCredentials: [],
  };
}

/** Office 365 Exchange Online, Microsoft Graph and two more first-party service principals. */
export function microsoftServicePrincipals(tenantId: string): { exchange: ServicePrincipal; graph: ServicePrincipal; all: ServicePrincipal[] } {
  const exchange = firstParty(
    tenantId,
    EXCHANGE_APP_ID,
    'Office 365 Exchange Online',
    ['https://outlook.office365.com/', 'https://outlook.office.com'],
    [
      role(ROLE.fullAccessAsApp, 'full_access_as_app', 'Use Exchange Web Services with full access to all mailboxes'),
      role(ROLE.exchangeManageAsApp, 'Exchange.ManageAsApp', 'Manage Exchange As Application'),
      role(EXCHANGE_PROTOCOL_ROLE.imapAccessAsApp, 'IMAP.AccessAsApp', 'Access mailboxes via IMAP'),
      role(EXCHANGE_PROTOCOL_ROLE.popAccessAsApp, 'POP.AccessAsApp', 'Access mailboxes via POP'),
      role(EXCHANGE_PROTOCOL_ROLE.smtpSendAsApp, 'SMTP.SendAsApp', 'Send mail as any mailbox via SMTP AUTH'),
    ],
    [scope(SCOPE.exchangeEwsAccessAsUserAll, 'EWS.AccessAsUser.All', 'Access mailboxes as the signed-in user via Exchange Web Services', 'User')],
  );
  const graph = firstParty(
    tenantId,
    GRAPH_APP_ID,
    'Microsoft Graph',
    ['https://graph.microsoft.com/', 'https://graph.microsoft.com'],
    [
      role(ROLE.mailRead, 'Mail.Read', 'Read mail in all mailboxes'),
      role(ROLE.mailReadWrite, 'Mail.ReadWrite', 'Read and write mail in all mailboxes'),
      role(ROLE.mailSend, 'Mail.Send', 'Send mail as any user'),
      role(ROLE.mailReadBasicAll, 'Mail.ReadBasic.All', 'Read basic mail in all mailboxes'),
      role(ROLE.mailboxSettingsReadWrite, 'MailboxSettings.ReadWrite', 'Read and write all user mailbox settings'),
      role(ROLE.calendarsRead, 'Calendars.Read', 'Read calendars in all mailboxes'),
      role(ROLE.contactsRead, 'Contacts.Read', 'Read contacts in all mailboxes'),
      role(ROLE.userReadAll, 'User.Read.All', 'Read all users full profiles'),
      role(ROLE.groupReadAll, 'Group.Read.All', 'Read all groups'),
      role(ROLE.directoryReadAll, 'Directory.Read.All', 'Read directory data'),
      role(ROLE.applicationReadAll, 'Application.Read.All', 'Read all applications'),
      role(ROLE.auditLogReadAll, 'AuditLog.Read.All', 'Read all audit log data'),
      role(ROLE.policyReadAll, 'Policy.Read.All', "Read your organization's policies"),
    ],
    [
      scope(SCOPE.graphEwsAccessAsUserAll, 'EWS.AccessAsUser.All', 'Access mailboxes as the signed-in user via Exchange Web Services', 'User'),
      scope(SCOPE.graphMailRead, 'Mail.Read', 'Read user mail', 'User'),
      scope(SCOPE.graphMailReadWrite, 'Mail.ReadWrite', 'Read and write access to user mail', 'User'),
      scope(SCOPE.graphUserRead, 'User.Read', 'Sign in and read user profile', 'User'),
      scope(SCOPE.graphImapAccessAsUserAll, 'IMAP.AccessAsUser.All', 'Read and write access to mailboxes via IMAP', 'User'),
      scope(SCOPE.graphPopAccessAsUserAll, 'POP.AccessAsUser.All', 'Read and write access to mailboxes via POP', 'User'),
      scope(SCOPE.graphSmtpSend, 'SMTP.Send', 'Send emails from mailboxes using SMTP AUTH', 'User'),
    ],
  );
  const sharePoint = firstParty(tenantId, SHAREPOINT_APP_ID, 'Office 365 SharePoint Online', ['https://microsoft.sharepoint-df.com'], [], []);
  const management = firstParty(tenantId, MANAGEMENT_APIS_APP_ID, 'Office 365 Management APIs', ['https://manage.office.com'], [], []);
  return { exchange, graph, all: [exchange, graph, sharePoint, management] };
}
