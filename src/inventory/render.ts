import type { Inventory, MailboxPermission } from '../events.js';
import { csvRow, formatTable, safeText } from '../render/text.js';
import type { AppAssessment, AssessedCredential } from './assess.js';
import { protocolLabel, reachesOnlyExchangeGrantedMailboxes } from './mailbox.js';

export type InventoryFormat = 'table' | 'json' | 'csv';

/** The version of the JSON document `credwatch inventory --format json` prints (docs/inventory.md). */
export const INVENTORY_JSON_VERSION = 1;

function reachText(perms: readonly MailboxPermission[]): string {
  if (perms.length === 0) return '-';
  const app = perms.filter((p) => p.type === 'application');
  const granted = app.filter(reachesOnlyExchangeGrantedMailboxes);
  const wide = app.filter((p) => !reachesOnlyExchangeGrantedMailboxes(p));
  const delegated = perms.filter((p) => p.type === 'delegated');
  const parts: string[] = [];
  if (wide.length > 0) parts.push(`ALL MAILBOXES unless scoped in Exchange (${unique(wide.map(named)).join(', ')})`);
  // IMAP/POP/SMTP roles work only on mailboxes Exchange grants the app, a list Graph cannot read.
  if (granted.length > 0) parts.push(`MAILBOXES GRANTED IN EXCHANGE (${unique(granted.map(named)).join(', ')})`);
  if (delegated.length > 0) parts.push(`delegated ${unique(delegated.map((p) => `${named(p)}${p.reach === 'allUsers' ? ' all users' : ''}`)).join(', ')}`);
  return parts.join('; ');
}

/** `IMAP.AccessAsApp IMAP`: the permission and the protocol it opens. */
function named(p: MailboxPermission): string {
  return `${p.permission} ${protocolLabel(p.api).toUpperCase()}`;
}

/** `imap pop`: the protocols an app can reach mailboxes with, for the CSV. */
function protocolsText(perms: readonly MailboxPermission[]): string {
  return unique(perms.map((p) => p.api)).join(' ');
}

function credentialText(c: AssessedCredential): string {
  const kind = c.credential.kind === 'certificate' ? 'cert' : c.credential.kind;
  const where = c.credential.holder === 'servicePrincipal' ? '@SP' : '';
  const expiry = c.daysToExpiry === undefined ? '' : c.daysToExpiry < 0 ? ` expired ${-c.daysToExpiry}d ago` : ` ${c.daysToExpiry}d left`;
  return `${kind}${where}${expiry}${c.flags.length > 0 ? ` [${c.flags.join(',')}]` : ''}`;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/**
 * The readable table: mailbox-capable apps first, then other apps holding credentials. Microsoft's
 * own apps without credentials are counted, not listed, unless `all` is set.
 */
export function renderInventoryTable(inventory: Inventory, assessed: readonly AppAssessment[], options: { all?: boolean } = {}): string {
  const shown = assessed.filter((a) => options.all || a.mailboxCapable || a.credentials.length > 0);
  const rows = shown.map((a) => [
    safeText(a.app.displayName, 40),
    a.app.ownership,
    safeText(reachText(a.app.mailboxPermissions), 70),
    a.credentials.length === 0 ? (a.app.ownership === 'thirdParty' ? 'none visible (held by vendor)' : '-') : a.credentials.map(credentialText).join('; '),
  ]);
  const mailbox = assessed.filter((a) => a.mailboxCapable).length;
  const lines = [
    `Tenant ${inventory.tenantId}: ${inventory.apps.length} apps, ${mailbox} can reach mailboxes (collected ${inventory.collectedAt.toISOString()})`,
    '',
    formatTable(['App', 'Owner', 'Mailbox reach', 'Credentials'], rows),
  ];
  if (shown.length < assessed.length) lines.push('', `${assessed.length - shown.length} more apps without credentials or mailbox access (use --all).`);
  const gaps = inventory.sources.filter((s) => s.status === 'failed' || s.status === 'partial');
  if (gaps.length > 0) {
    lines.push('', 'NOT COLLECTED — treat as unknown, not clean:');
    for (const g of gaps) lines.push(`  ${g.source}: ${g.status}${g.errorCode ? ` (${g.errorCode})` : ''}${g.message ? ` ${safeText(g.message, 160)}` : ''}`);
  }
  return lines.join('\n');
}

export function renderInventoryJson(inventory: Inventory, assessed: readonly AppAssessment[]): string {
  return JSON.stringify(
    {
      version: INVENTORY_JSON_VERSION,
      tenantId: inventory.tenantId,
      collectedAt: inventory.collectedAt,
      sources: inventory.sources,
      apps: assessed.map((a) => ({
        ...a.app,
        mailboxCapable: a.mailboxCapable,
        credentials: a.credentials.map((c) => ({ ...c.credential, flags: c.flags, daysToExpiry: c.daysToExpiry, lifetimeInDays: c.lifetimeInDays })),
      })),
    },
    null,
    2,
  );
}

/** One row per credential (and one per app without any), for spreadsheets and SIEM lookups. */
export function renderInventoryCsv(assessed: readonly AppAssessment[]): string {
  const header = [
    'appId',
    'displayName',
    'ownership',
    'appOwnerOrganizationId',
    'mailboxCapable',
    'mailboxPermissions',
    'mailboxProtocols',
    'credentialKind',
    'holder',
    'keyId',
    'thumbprintSha1',
    'endDateTime',
    'daysToExpiry',
    'flags',
  ];
  const lines = [csvRow(header)];
  for (const a of assessed) {
    const base = [
      a.app.appId,
      a.app.displayName,
      a.app.ownership,
      a.app.appOwnerOrganizationId,
      a.mailboxCapable,
      unique(a.app.mailboxPermissions.map((p) => p.permission)).join(' '),
      protocolsText(a.app.mailboxPermissions),
    ];
    if (a.credentials.length === 0) lines.push(csvRow([...base, '', '', '', '', '', '', '']));
    for (const c of a.credentials) {
      lines.push(
        csvRow([
          ...base,
          c.credential.kind,
          c.credential.holder,
          c.credential.keyId,
          c.credential.thumbprintSha1,
          c.credential.endDateTime?.toISOString(),
          c.daysToExpiry,
          c.flags.join(' '),
        ]),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
