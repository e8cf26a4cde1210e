/**
 * Which alerts get a blast radius and what is asked for them (docs/blast-radius.md). Pure: the
 * stage (stages/blast-radius.ts) does the asking.
 *
 * An alert qualifies when a sign-in rule says the app's credential was used where it should not
 * have been — outside the vendor's allowlist, an unknown credential, a credential used right after
 * it was added — at high severity or above, for an app holding an application mailbox permission
 * (it can read mail without a user). The window is the alert's own, widened: 15 minutes before the
 * first sign-in, and 90 minutes after the last, because an access token cannot be revoked and
 * stays valid until it expires, by default within about an hour to an hour and a half of issue
 * (https://learn.microsoft.com/entra/identity-platform/access-tokens, "Token lifetime";
 * https://learn.microsoft.com/entra/identity-platform/configurable-token-lifetimes), so mail may
 * be read until then. The query is asked only once that margin has passed.
 */
import type { MailAccessRequest } from '../collect/mail-access-query.js';
import { normalizeIp } from '../collect/signins.js';
import { SEVERITY_ORDER, type Inventory } from '../events.js';
import type { StoredAlert } from '../state/types.js';

/** The rules whose alerts say a credential was used by someone it should not have been. */
export const BLAST_RADIUS_RULES: ReadonlySet<string> = new Set([
  'signin-cert-outside-allowlist',
  'signin-secret-outside-allowlist',
  'signin-federated-outside-allowlist',
  'signin-other-credential-outside-allowlist',
  'signin-unknown-credential',
  'credential-added-then-used',
]);

/** Defaults of the alert side; the query side's are AUDIT_QUERY_DEFAULTS (collect/mail-access-query.ts). */
export const BLAST_RADIUS_DEFAULTS = Object.freeze({
  /** Before the alert's first sign-in: a token issued just before may have been used from there. */
  marginBeforeInMs: 15 * 60_000,
  /** After its last: the lifetime of the token issued then. */
  marginAfterInMs: 90 * 60_000,
  /** How far back alerts are looked at: past the queries' 24-hour deadline, with room. */
  lookbackInMs: 3 * 24 * 3_600_000,
  /** Audit queries opened per scan (each also counts against the tenant's daily cap). */
  maxOpensPerScan: 5,
  /** Open queries asked about per scan (each a Graph read, plus the records once it succeeded). */
  maxPollsPerScan: 5,
});

/** Whether the app can read mail on its own: an application mailbox permission (docs/inventory.md). */
export function isMailboxCapable(inventory: Inventory | undefined, appId: string): boolean {
  const app = inventory?.apps.find((a) => a.appId.toLowerCase() === appId.toLowerCase());
  return app !== undefined && app.mailboxPermissions.some((p) => p.type === 'application');
}

/** Whether the alert is one whose blast radius credwatch asks for. */
export function qualifies(alert: StoredAlert, inventory: Inventory | undefined): boolean {
  return (
    BLAST_RADIUS_RULES.has(alert.ruleId) &&
    SEVERITY_ORDER[alert.severity] >= SEVERITY_ORDER.high &&
    alert.suppressed === undefined &&
    alert.ips.length > 0 &&
    isMailboxCapable(inventory, alert.appId)
  );
}

/** What to ask for the alert as it stands: its app, its addresses, its window with the margins. */
export function requestFor(alert: StoredAlert): MailAccessRequest {
  return {
    appId: alert.appId,
    ips: alert.ips.map((ip) => normalizeIp(ip) ?? ip),
    from: new Date(alert.firstSeen.getTime() - BLAST_RADIUS_DEFAULTS.marginBeforeInMs),
    to: new Date(alert.lastSeen.getTime() + BLAST_RADIUS_DEFAULTS.marginAfterInMs),
  };
}

/** Unknown for good: asking again for the same alert would get the same answer. */
const FINAL: ReadonlySet<string> = new Set(['BLAST_RADIUS_NO_PERMISSION', 'BLAST_RADIUS_UNAVAILABLE']);

/**
 * Whether a query should be opened for the alert now: it has none, or it outgrew the one it had
 * (new addresses, sign-ins past its window), or a transient unknown (the day's cap) may clear —
 * and the margin after its last sign-in has passed, so its last token's reads are in the window.
 */
export function needsQuery(alert: StoredAlert, now: Date): boolean {
  const request = requestFor(alert);
  if (now.getTime() < request.to.getTime()) return false;
  const b = alert.blastRadius;
  if (b === undefined) return true;
  if (b.status === 'pending') return false;
  if (b.status === 'unknown' && FINAL.has(b.code)) return false;
  if (b.status === 'unknown' && b.code === 'BLAST_RADIUS_DAILY_CAP') return true;
  return request.ips.some((ip) => !b.ips.includes(ip)) || request.to.getTime() > b.to.getTime();
}
