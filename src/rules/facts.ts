/**
 * Small questions rules ask about apps, sign-ins and audits, answered in one place so every rule
 * means the same thing by "mailbox-capable" or "failed". Loops instead of `some(…)` closures: these
 * run once per sign-in.
 */
import type { AppCredential, ClientCredentialType, InventoryApp, Severity, SignInEvent } from '../events.js';
import { lower } from './types.js';

/** Any mailbox permission at all (application or delegated), as the inventory assessment counts it. */
export function isMailboxCapable(app: InventoryApp | undefined): boolean {
  return app !== undefined && app.mailboxPermissions.length > 0;
}

/**
 * An application permission that may reach every mailbox, for severity. `allMailboxes` (EWS and
 * Graph roles) does unless Exchange scopes it; `grantedMailboxes` (IMAP/POP/SMTP roles) reaches the
 * mailboxes Exchange granted the app with Add-MailboxPermission, a list Graph cannot read — it may
 * be every mailbox, so it counts as such (docs/inventory.md, "Mailbox reach"). The label stays
 * `grantedMailboxes` ({@link mailboxReach}): it says where the grant lives, not that it is small.
 */
export function hasMailboxWideAccess(app: InventoryApp | undefined): boolean {
  if (!app) return false;
  for (const p of app.mailboxPermissions) if (p.type === 'application' && (p.reach === 'allMailboxes' || p.reach === 'grantedMailboxes')) return true;
  return false;
}

/**
 * `allMailboxes`, `grantedMailboxes` (IMAP/POP/SMTP roles: the mailboxes granted in Exchange, which
 * Graph cannot count — possibly every mailbox, see {@link hasMailboxWideAccess}), `delegatedOnly`,
 * `none`, or `unknown` when the inventory lacks the app.
 */
export function mailboxReach(app: InventoryApp | undefined): string {
  if (!app) return 'unknown';
  if (app.mailboxPermissions.some((p) => p.type === 'application' && p.reach === 'allMailboxes')) return 'allMailboxes';
  if (app.mailboxPermissions.some((p) => p.reach === 'grantedMailboxes')) return 'grantedMailboxes';
  return app.mailboxPermissions.length > 0 ? 'delegatedOnly' : 'none';
}

/** The mailbox permission names, deduplicated, for details and summaries. */
export function mailboxPermissionNames(app: InventoryApp | undefined): string {
  return app ? [...new Set(app.mailboxPermissions.map((p) => p.permission))].join(', ') : '';
}

/** Key ids are GUIDs; logs and the directory do not agree on letter case. */
export function sameKeyId(a: string, b: string): boolean {
  return a === b || a.toLowerCase() === b.toLowerCase();
}

/** Whether the inventory holds a credential with this key id. */
export function hasCredential(app: InventoryApp, keyId: string): boolean {
  for (const c of app.credentials) if (sameKeyId(c.keyId, keyId)) return true;
  return false;
}

/** Credentials an attacker can steal and replay: certificates, client assertions and secrets. */
export function usesAppCredential(type: ClientCredentialType): boolean {
  return type === 'certificate' || type === 'clientAssertion' || type === 'clientSecret';
}

/** `""` in a log means "not logged"; the collector already maps it, this keeps rules safe if one slips through. */
export function keyIdOf(event: SignInEvent): string | undefined {
  return event.credentialKeyId || undefined;
}

/** The name to show: the inventory's, else the log's, else the app id. */
export function appName(app: InventoryApp | undefined, event: SignInEvent): string {
  return app?.displayName ?? event.appDisplayName ?? event.appId;
}

/**
 * The credential type as an alert names it: the documented value (`"none"`, `"unknownFutureValue"`,
 * …), the logged text of an undocumented one, or "not recorded" when the log left it absent or `""`.
 */
export function credentialTypeName(event: SignInEvent): string {
  if (event.credentialType === 'notRecorded') return 'not recorded';
  if (event.credentialType === 'unrecognized') return `"${event.rawCredentialType ?? ''}" (not a documented value)`;
  return `"${event.credentialType}"`;
}

/**
 * `""` for a success; `; the sign-in failed (AADSTS…)` or `; the outcome is unknown …` otherwise,
 * so a summary never lets an unknown outcome read as a success or as a failure.
 */
export function outcomeClause(event: SignInEvent): string {
  if (event.outcome === 'success') return '';
  if (event.outcome === 'failure') return `; the sign-in failed${event.errorCode ? ` (AADSTS${event.errorCode})` : ''}`;
  return '; the outcome is unknown (the log records no status error code)';
}

/** A failed attempt is one level lower; an unknown outcome is not (it may have succeeded). */
export function severityForOutcome(severity: Severity, event: SignInEvent): Severity {
  return event.outcome === 'failure' ? lower(severity) : severity;
}

/** `203.0.113.40 (NL, AS64512)`, or what is known about a missing or unparseable address. */
export function describeOrigin(event: SignInEvent): string {
  const where: string[] = [];
  if (event.countryOrRegion) where.push(event.countryOrRegion);
  if (event.asn !== undefined) where.push(`AS${event.asn}`);
  const suffix = where.length > 0 ? ` (${where.join(', ')})` : '';
  if (event.ipAddress) return `${event.ipAddress}${suffix}`;
  if (event.rawIpAddress) return `an unparseable address "${event.rawIpAddress}"${suffix}`;
  return `an unlogged address${suffix}`;
}

/** Audit `result` values other than success: a failed change changed nothing. */
export function isFailedAudit(result: string | undefined): boolean {
  return result !== undefined && /^fail/i.test(result);
}

/** `certificate`, `secret`, `federated` or the raw audit key type. */
export function credentialKindOfKeyType(keyType: string | undefined): string {
  if (!keyType) return 'unknown';
  if (/x509|cert/i.test(keyType)) return 'certificate';
  if (/password|symmetric/i.test(keyType)) return 'secret';
  return keyType;
}

const KIND_LABELS: Readonly<Record<string, string>> = { certificate: 'Certificate', secret: 'Client secret', federated: 'Federated credential' };

/** `Certificate`, `Client secret`, … for summaries. */
export function credentialLabel(kind: string): string {
  return KIND_LABELS[kind] ?? 'Credential';
}

/** `certificate "CN=archiver" (key 3f2a…)` — enough for an admin to find it on the Certificates & secrets blade. */
export function describeCredential(c: AppCredential): string {
  const name = c.displayName ? ` "${c.displayName}"` : '';
  return `${credentialLabel(c.kind).toLowerCase()}${name} (key id ${c.keyId})`;
}
