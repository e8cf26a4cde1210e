/**
 * Who received a grant and on which API, as `mailbox-permission-granted` reports it. The audit row
 * names the client by service principal object id (the delegated-grant row logs its app id and
 * name as null), so the inventory is asked by that id first; the API is named for the alert only.
 * How each activity names its parties: docs/rules.md, "How grant audit rows name the app".
 */
import type { AuditEvent, AuditGrantParty, InventoryApp, MailboxApi } from '../events.js';
import { isMailboxPermission, mailboxApiOf, protocolLabel } from '../inventory/mailbox.js';
import { EXCHANGE_ONLINE_APP_ID } from '../inventory/resources.js';
import type { RuleContext } from './types.js';

/** A grant as the finding names it. */
export interface GrantView {
  /** The inventory's entry for the client, when it knows the app. */
  app: InventoryApp | undefined;
  /** The app id to alert, group and suppress on: the client's, never the API's. */
  appId: string;
  appDisplayName: string;
  /** The client's service principal object id, as logged. */
  clientServicePrincipalId: string | undefined;
  /** The API the permissions are for (`Microsoft Graph`, `Office 365 Exchange Online`), when known. */
  resourceName: string | undefined;
  /** The mailbox permissions this change added, each with the protocol it opens. */
  mailbox: ReadonlyArray<{ permission: string; api: MailboxApi }>;
}

/**
 * The client of a grant. Rows read by credwatch's collector carry it in `grant`; an event without
 * one (another source) falls back to the target, trying the logged app id first because a
 * role-assignment row's first target is the API.
 */
function clientOf(event: AuditEvent): { party: AuditGrantParty; appIdFirst: boolean } {
  if (event.grant) return { party: event.grant.client, appIdFirst: false };
  return { party: { servicePrincipalId: event.target.id, appId: event.target.appId, displayName: event.target.displayName }, appIdFirst: true };
}

function resolve(party: AuditGrantParty, appIdFirst: boolean, context: RuleContext): InventoryApp | undefined {
  const bySp = () => (party.servicePrincipalId ? context.appByObjectId(party.servicePrincipalId) : undefined);
  const byAppId = () => (party.appId ? context.app(party.appId) : undefined);
  return appIdFirst ? (byAppId() ?? bySp()) : (bySp() ?? byAppId());
}

/** The API's name and app id: as logged, else from the inventory (first-party service principals are in it). */
function resourceOf(event: AuditEvent, context: RuleContext): { name: string | undefined; appId: string | undefined } {
  const r = event.grant?.resource;
  if (!r) return { name: undefined, appId: undefined };
  const known = (r.servicePrincipalId ? context.appByObjectId(r.servicePrincipalId) : undefined) ?? (r.appId ? context.app(r.appId) : undefined);
  return { name: r.displayName ?? known?.displayName ?? r.appId, appId: r.appId ?? known?.appId };
}

/** The grant's client, API and added mailbox permissions, resolved against the inventory. */
export function grantView(event: AuditEvent, context: RuleContext): GrantView {
  const { party, appIdFirst } = clientOf(event);
  const app = resolve(party, appIdFirst, context);
  const resource = resourceOf(event, context);
  const kind = resource.appId?.toLowerCase() === EXCHANGE_ONLINE_APP_ID ? 'exchange' : 'graph';
  return {
    app,
    appId: app?.appId ?? party.appId ?? party.servicePrincipalId ?? 'unknown',
    appDisplayName: app?.displayName ?? party.displayName ?? party.appId ?? party.servicePrincipalId ?? 'unknown app',
    clientServicePrincipalId: party.servicePrincipalId,
    resourceName: resource.name,
    mailbox: event.permissions.filter(isMailboxPermission).map((permission) => ({ permission, api: mailboxApiOf(kind, permission) })),
  };
}

/** `IMAP.AccessAsUser.All (IMAP), SMTP.Send (SMTP)`. */
export function describeGranted(mailbox: GrantView['mailbox']): string {
  return mailbox.map((m) => `${m.permission} (${protocolLabel(m.api)})`).join(', ');
}
