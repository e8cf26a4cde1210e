/**
 * The inventory as report rows: each credential with its posture flags, and the hygiene lists
 * drawn from them. Built once from `assessInventory`, so the report and the posture rules agree on
 * what "expiring" or "long-lived" means.
 */
import type { Inventory, MailboxPermission } from '../events.js';
import type { AppAssessment, AssessedCredential, CredentialFlag } from '../inventory/assess.js';
import { protocolLabel } from '../inventory/mailbox.js';
import type { CredentialRow, InventoryAppRow, InventorySection, MailboxGrantRow, WeeklyReport } from './types.js';

/** The key two weeks' credentials are matched on (Entra key ids are GUIDs; case varies). */
export const credentialKey = (c: Pick<CredentialRow, 'appId' | 'holder' | 'keyId'>): string => `${c.appId.toLowerCase()}|${c.holder}|${c.keyId.toLowerCase()}`;

/** `Mail.Read (delegated, some users, Graph)`: one label for a grant with its protocol, stable week over week. */
export function grantLabel(p: Pick<MailboxGrantRow, 'permission' | 'type' | 'reach' | 'api'>): string {
  const reach = { allMailboxes: 'all mailboxes', grantedMailboxes: 'mailboxes granted in Exchange', allUsers: 'all users', someUsers: 'some users' }[p.reach];
  return `${p.permission} (${p.type}, ${reach}, ${protocolLabel(p.api)})`;
}

function credentialRow(a: AppAssessment, c: AssessedCredential): CredentialRow {
  return {
    appId: a.app.appId,
    displayName: a.app.displayName,
    keyId: c.credential.keyId,
    kind: c.credential.kind,
    holder: c.credential.holder,
    endDateTime: c.credential.endDateTime?.toISOString() ?? null,
    daysToExpiry: c.daysToExpiry ?? null,
    flags: [...c.flags],
    mailboxCapable: a.mailboxCapable,
  };
}

function grants(perms: readonly MailboxPermission[]): MailboxGrantRow[] {
  const byLabel = new Map<string, MailboxGrantRow>();
  for (const p of perms) {
    const row: MailboxGrantRow = { permission: p.permission, type: p.type, reach: p.reach, api: p.api };
    byLabel.set(grantLabel(row), row);
  }
  return [...byLabel.values()];
}

/**
 * The apps worth a row: those that can reach mailboxes or hold credentials. Microsoft's own service
 * principals without either (hundreds in every tenant) would bury the rest and are not exposure.
 */
export function buildInventorySection(inventory: Inventory, assessed: readonly AppAssessment[]): InventorySection {
  const apps: InventoryAppRow[] = assessed
    .filter((a) => a.mailboxCapable || a.credentials.length > 0)
    .map((a) => ({
      appId: a.app.appId,
      displayName: a.app.displayName,
      ownership: a.app.ownership,
      appOwnerOrganizationId: a.app.appOwnerOrganizationId ?? null,
      mailboxCapable: a.mailboxCapable,
      mailboxPermissions: grants(a.app.mailboxPermissions),
      credentials: a.credentials.map((c) => credentialRow(a, c)),
    }));
  return {
    collectedAt: inventory.collectedAt.toISOString(),
    sources: inventory.sources.map((s) => ({ source: s.source, status: s.status, errorCode: s.errorCode ?? null })),
    apps,
    otherAppIds: assessed.filter((a) => !a.mailboxCapable && a.credentials.length === 0).map((a) => a.app.appId),
  };
}

/** Every credential row of the section, in app order. */
export function allCredentials(section: InventorySection): CredentialRow[] {
  return section.apps.flatMap((a) => a.credentials);
}

const having = (rows: readonly CredentialRow[], ...flags: CredentialFlag[]) => rows.filter((r) => flags.some((f) => r.flags.includes(f)));

/** The hygiene lists; without an inventory every list is unknown, which the caller shows as such. */
export function buildHygiene(section: InventorySection | null): WeeklyReport['hygiene'] {
  const rows = section ? allCredentials(section) : [];
  // Soonest expiry first: the order someone works through them.
  const byExpiry = (list: CredentialRow[]) => list.sort((a, b) => (a.daysToExpiry ?? Infinity) - (b.daysToExpiry ?? Infinity));
  return {
    expiringSoon: byExpiry(having(rows, 'expiringSoon')),
    expired: byExpiry(having(rows, 'expired')),
    longLived: having(rows, 'longLived'),
    onServicePrincipal: having(rows, 'onServicePrincipal'),
    secretsOnMailboxApps: having(rows, 'secretOnMailboxApp'),
    shared: having(rows, 'shared'),
    weak: having(rows, 'weakKey', 'sha1Signature'),
    // Credential last-use needs the servicePrincipalSignInActivities report, not collected yet.
    unusedPrivileged: null,
  };
}
