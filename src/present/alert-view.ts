/**
 * What an alert says, in which order and in which words, before any channel formats it (issue
 * "Outputs people read"): Teams, email, stdout and the webhook's `display` all read this one view,
 * so the same alert reads the same everywhere. Every value from a tenant or a log is cleaned here
 * once (text.ts); the channels only lay the view out.
 */
import { escalationOf, updateOf, updateParts, type AlertPayload } from '../alert-payload.js';
import type { Severity } from '../events.js';
import { safeText } from '../render/text.js';
import { blastRadiusFacts } from './blast-radius-view.js';
import { displayTime } from './format.js';
import { APP_NAME_MAX, capMiddle, httpsUrl, plural, untrusted, untrustedList } from './text.js';

/** How much of each part is shown; Teams steps these down until its message fits 28 KB. */
export interface AlertViewLimits {
  listItems: number;
  runbookSteps: number;
  stepChars: number;
  summaryChars: number;
  descriptionChars: number;
  factChars: number;
}

/** Everything, within bounds that keep any message far below every channel's size limit. */
export const FULL_LIMITS: AlertViewLimits = Object.freeze({
  listItems: 20,
  runbookSteps: 20,
  stepChars: 500,
  summaryChars: 400,
  descriptionChars: 1000,
  factChars: 200,
});

/** The app's name inside the summary: short enough that what happened and where from still fit one line. */
export const APP_NAME_IN_SUMMARY = 40;
const TITLE_CHARS = 120;

/** Where an analyst starts looking at service-principal sign-ins (URL shape as used widely; not documented by Microsoft). */
export const ENTRA_SIGN_IN_LOGS_URL = 'https://entra.microsoft.com/#view/Microsoft_AAD_IAM/SignInLogsList.ReactView';

// The mailbox permissions rules name in summaries (docs/inventory.md: Exchange and Graph app roles). Only
// the summary counts: descriptions speak conditionally ("critical when the app holds…").
const MAILBOX_PERMISSION = /full_access_as_app|Exchange\.ManageAsApp|Mail\.(?:ReadWrite|ReadBasic\.All|Read|Send)\b|MailboxSettings\.ReadWrite/;

export type Round = 'first' | 'repeat' | 'escalation' | 'update';

/** One fact: a fixed label of credwatch's and a cleaned value (which may hold a tenant's or an attacker's text). */
export interface Fact {
  label: string;
  value: string;
}

/** One alert, ready to lay out: every string cleaned, none escaped for any format yet. */
export interface AlertView {
  severity: Severity;
  /** `CRITICAL`, `Escalated to CRITICAL`, `Update: CRITICAL`. */
  severityLabel: string;
  /** The rule's title, capped. */
  title: string;
  /** `CRITICAL · <title>`, `Escalated to CRITICAL · <title>`, `Update: CRITICAL · <title>`. */
  heading: string;
  round: Round;
  /** `New alert`, `Still happening: 12 events in total`, `Escalated from HIGH: …`, `Something new: …`. */
  status: string;
  tenant: string;
  appName: string;
  /** What happened and where from: the rule's summary with the app's name capped inside it. */
  summary: string;
  facts: readonly Fact[];
  /** Why it matters: the rule's description. */
  why: string;
  /** When the summary names a mailbox permission: who else that credential reaches. */
  mailboxReach: string | undefined;
  /** What to do, in order; `stepsOmitted` more were left out. */
  steps: readonly string[];
  stepsOmitted: number;
  links: { entra: string | undefined; signInLogs: string };
  alertId: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
}

/** A time as every output shows it; a value that is no UTC instant is shown as the untrusted text it is. */
export function shownTime(iso: string): string {
  return displayTime(iso) ?? untrusted(iso, 40);
}

/** What an update adds: "first successful sign-in; new IP address 203.0.113.9". */
export function updateLine(a: AlertPayload, listItems: number): string | undefined {
  const update = updateOf(a);
  if (!update) return undefined;
  return updateParts(update)
    .map((p) => (p.values.length > 0 ? `${p.label} ${untrustedList(p.values, listItems, 80)}` : p.label))
    .join('; ');
}

function roundOf(a: AlertPayload): { round: Round; from: Severity | undefined } {
  const from = escalationOf(a);
  if (from) return { round: 'escalation', from };
  if (updateOf(a)) return { round: 'update', from };
  return { round: a.notification > 0 ? 'repeat' : 'first', from };
}

/** The first line everywhere: severity (and round) and the rule's title. */
export function alertHeading(a: AlertPayload, titleChars = TITLE_CHARS): { severityLabel: string; title: string; heading: string } {
  const severity = a.severity.toUpperCase();
  const { round } = roundOf(a);
  const severityLabel = round === 'escalation' ? `Escalated to ${severity}` : round === 'update' ? `Update: ${severity}` : severity;
  const title = untrusted(a.rule.title, titleChars);
  return { severityLabel, title, heading: `${severityLabel} · ${title}` };
}

function statusOf(a: AlertPayload): string {
  const { round, from } = roundOf(a);
  const total = `${plural(a.count, 'event')} in total`;
  if (round === 'escalation') return `Escalated from ${String(from).toUpperCase()}: ${total}`;
  if (round === 'update') return `Something new: ${total}`;
  return round === 'repeat' ? `Still happening: ${total}` : 'New alert';
}

/**
 * The summary with every occurrence of the app's name cut to {@link APP_NAME_IN_SUMMARY}: an
 * attacker's 200-character name must not push the IP and "outside the allowed ranges" off the line.
 * What is still too long loses its middle, never its end.
 */
export function summaryLine(a: AlertPayload, maxChars: number): string {
  const name = a.app.displayName;
  const capped = name.length > APP_NAME_IN_SUMMARY ? a.summary.split(name).join(safeText(name, APP_NAME_IN_SUMMARY)) : a.summary;
  return capMiddle(untrusted(capped, Number.POSITIVE_INFINITY), maxChars);
}

/** "2 succeeded, 1 failed" after the count, when sign-ins are what was counted. */
export function countLine(a: AlertPayload): string {
  const outcome = a.successCount + a.failureCount > 0 ? ` (${a.successCount} succeeded, ${a.failureCount} failed)` : '';
  return `${a.count}${outcome}`;
}

/** A `url:` allowlist source shows its host only: a feed URL may carry a token in its query. */
function sourceLabel(source: string): string {
  if (!source.startsWith('url:')) return source;
  try {
    return `url:${new URL(source.slice(4)).host}`;
  } catch {
    return 'url';
  }
}

/** The facts, in the one order every channel shows them: who, what is new, where from, with what, when, how often, which alert. */
function factsOf(a: AlertPayload, limits: AlertViewLimits): Fact[] {
  const n = limits.listItems;
  const nameChars = Math.min(APP_NAME_MAX, limits.factChars);
  const facts: Fact[] = [{ label: 'App', value: `${untrusted(a.app.displayName, nameChars)} (${untrusted(a.app.appId, 40)})` }];
  const news = updateLine(a, n);
  if (news) facts.push({ label: 'New since last notification', value: news });
  facts.push(...blastRadiusFacts(a.blastRadius, n));
  if (a.ips.length > 0) facts.push({ label: 'IP addresses', value: untrustedList(a.ips, n, 45) });
  if (a.countries.length > 0) facts.push({ label: 'Countries', value: untrustedList(a.countries, n, 40) });
  const asns = a.asns.map((x) => `AS${x}`);
  if (asns.length > 0) facts.push({ label: 'ASNs', value: untrustedList(asns, n, 20) });
  if (a.network) facts.push({ label: 'Network', value: untrusted(a.network, 60) });
  if (a.allowlist.length > 0) {
    const ranges = a.allowlist.map((p) => `${p.cidr} (${p.vendor}, ${sourceLabel(p.source)}${p.stale ? ', STALE' : ''})`);
    facts.push({ label: 'Allowed ranges', value: untrustedList(ranges, n, 100) });
  }
  if (a.credentialKeyId) facts.push({ label: 'Credential key id', value: untrusted(a.credentialKeyId, 60) });
  if (a.resources.length > 0) facts.push({ label: 'Resources', value: untrustedList(a.resources, n, 80) });
  facts.push(
    { label: 'First seen', value: shownTime(a.firstSeen) },
    { label: 'Last seen', value: shownTime(a.lastSeen) },
    { label: 'Events', value: countLine(a) },
    { label: 'Tenant', value: untrusted(a.tenant, Math.min(60, limits.factChars)) },
    { label: 'Rule', value: `${untrusted(a.rule.id, 80)}${a.rule.mitre.length > 0 ? ` (MITRE ${untrustedList(a.rule.mitre, n, 30)})` : ''}` },
    { label: 'Alert id', value: untrusted(a.alertId, 80) },
  );
  return facts;
}

/** Graph cannot see Exchange scoping, so an app-wide mailbox role reaches every mailbox unless scoped there (docs/inventory.md). */
function mailboxReachOf(a: AlertPayload): string | undefined {
  const permission = MAILBOX_PERMISSION.exec(a.summary)?.[0];
  if (!permission) return undefined;
  return `Mailbox reach: the app holds ${permission}. Unless an Exchange Application Access Policy or RBAC for Applications scopes it, whoever holds its credential reaches every mailbox in the tenant.`;
}

/** The view of one alert, within `limits`. */
export function alertView(a: AlertPayload, limits: AlertViewLimits = FULL_LIMITS): AlertView {
  const steps = a.rule.runbook.slice(0, limits.runbookSteps).map((s) => untrusted(s, limits.stepChars));
  return {
    severity: a.severity,
    ...alertHeading(a),
    round: roundOf(a).round,
    status: statusOf(a),
    tenant: untrusted(a.tenant, 60),
    appName: untrusted(a.app.displayName, Math.min(APP_NAME_MAX, limits.factChars)),
    summary: summaryLine(a, limits.summaryChars),
    facts: factsOf(a, limits),
    why: untrusted(a.rule.description, limits.descriptionChars),
    mailboxReach: mailboxReachOf(a),
    steps,
    stepsOmitted: a.rule.runbook.length - steps.length,
    links: { entra: httpsUrl(a.app.entraUrl), signInLogs: ENTRA_SIGN_IN_LOGS_URL },
    alertId: untrusted(a.alertId, 80),
    count: a.count,
    firstSeen: shownTime(a.firstSeen),
    lastSeen: shownTime(a.lastSeen),
  };
}
