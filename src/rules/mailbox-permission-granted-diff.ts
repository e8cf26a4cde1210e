import { ALERT_SUBJECT_DETAIL } from '../contract.js';
import type { InventoryApp, MailboxApi } from '../events.js';
import { isMailboxPermission, mailboxApiOf, protocolLabel } from '../inventory/mailbox.js';
import { defineRule, NO_FINDINGS } from './define.js';
import { appFinding } from './findings.js';
import { MAILBOX_PERMISSION_META } from './mailbox-permission-common.js';

const ID = 'mailbox-permission-granted-diff';

/** The protocol the inventory recorded for this permission on this app (its resource is known there). */
function protocolOf(app: InventoryApp, permission: string, type: 'application' | 'delegated'): MailboxApi {
  const held = app.mailboxPermissions.find((p) => p.permission === permission && p.type === type);
  return held?.api ?? mailboxApiOf('graph', permission);
}

/** The inventory-diff view of `mailbox-permission-granted`, for when the audit log is unavailable. */
export const mailboxPermissionGrantedDiff = defineRule({
  id: ID,
  title: 'Mailbox permission granted to an app (inventory diff)',
  description:
    'Detects a mailbox permission (EWS, Exchange.ManageAsApp, IMAP, POP, SMTP AUTH or Graph mail, calendar, contacts roles or delegated scopes) that appears on an app between two inventory snapshots, with the protocol it opens; mailbox-permission-granted sees the same grants sooner, with the actor, from the audit log.',
  ...MAILBOX_PERMISSION_META,
  // One change seen two ways: the diff shares the audit-log rule's alerts, so it is notified once.
  family: 'mailbox-permission-granted',
  finding: 'event',
  input: 'inventoryChange',
  match({ change }, context) {
    if (change.kind !== 'mailboxPermissionAdded' || !isMailboxPermission(change.permission)) return NO_FINDINGS;
    const { app } = change;
    const api = protocolOf(app, change.permission, change.type);
    return [
      appFinding(ID, 'high', context, {
        appId: app.appId,
        appDisplayName: app.displayName,
        credentialKeyId: undefined,
        // A diff has no event time; the scan time is when we learned it.
        occurredAt: context.now,
        // A widening to every user is a change of its own, not the earlier per-user grant again.
        eventIds: [`inventory:${app.appId}:${change.type}:${change.permission}${change.widenedToAllUsers ? ':allUsers' : ''}`],
        summary: `${change.permission} (${change.type}, ${protocolLabel(api)}) ${change.widenedToAllUsers ? 'now granted for every user' : 'granted'} to "${app.displayName}" (found by comparing inventory snapshots)`,
        // The permission is the alert's subject, as in the audit-log rule: one grant seen two ways
        // lands in one alert, and each new permission opens its own (src/alerts/subject.ts).
        details: { [ALERT_SUBJECT_DETAIL]: change.permission, permission: change.permission, type: change.type, protocols: api, ownership: app.ownership },
      }),
    ];
  },
  cases: ({ inventoryApp, inventoryChange, ownApp }) => [
    {
      name: 'full_access_as_app appears on a vendor app',
      input: inventoryChange({ kind: 'mailboxPermissionAdded', app: inventoryApp(), permission: 'full_access_as_app', type: 'application' }),
      expect: ['high'],
    },
    {
      name: 'IMAP.AccessAsApp appears: mailbox access over IMAP alone',
      input: inventoryChange({ kind: 'mailboxPermissionAdded', app: ownApp(), permission: 'IMAP.AccessAsApp', type: 'application' }),
      expect: ['high'],
    },
    {
      name: 'a per-user delegated Mail.Read now consented for every user',
      input: inventoryChange({ kind: 'mailboxPermissionAdded', app: ownApp(), permission: 'Mail.Read', type: 'delegated', widenedToAllUsers: true }),
      expect: ['high'],
    },
    {
      name: 'delegated Mail.Send appears',
      input: inventoryChange({ kind: 'mailboxPermissionAdded', app: ownApp(), permission: 'Mail.Send', type: 'delegated' }),
      expect: ['high'],
    },
    {
      name: 'a non-mailbox permission',
      input: inventoryChange({ kind: 'mailboxPermissionAdded', app: ownApp(), permission: 'User.Read.All', type: 'application' }),
      expect: [],
    },
    {
      name: "credential added is another rule's job",
      input: inventoryChange({ kind: 'credentialAdded', app: ownApp(), credentialKeyId: 'k', credentialKind: 'secret', holder: 'application' }),
      expect: [],
    },
  ],
});
