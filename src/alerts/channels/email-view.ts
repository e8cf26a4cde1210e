/**
 * What an alert email says, as plain strings, before it becomes HTML or text. Both renderings read
 * this one view so they always carry the same facts, and every attacker-controlled value (the app
 * names itself; IPs, resources and summaries come from logs) is cleaned here exactly once.
 */
import type { Severity } from '../../events.js';
import { safeText } from '../../render/text.js';
import { updateParts } from '../facts.js';
import { escalationOf, updateOf, type AlertPayload } from '../payload.js';

/** Longest app name shown (subject, header, facts); the Entra link carries the full identity. */
export const APP_NAME_MAX = 80;
/** Items of a list (IPs, countries, resources) shown before "and N more". */
export const LIST_MAX = 20;

/** Header colours that keep contrast on Outlook's white and dark backgrounds. */
export const SEVERITY_STYLE: Readonly<Record<Severity, { background: string; text: string }>> = Object.freeze({
  critical: { background: '#A4262C', text: '#FFFFFF' },
  high: { background: '#D83B01', text: '#FFFFFF' },
  medium: { background: '#FFB900', text: '#201F1E' },
  low: { background: '#0078D4', text: '#FFFFFF' },
  informational: { background: '#605E5C', text: '#FFFFFF' },
});

/** One alert, ready to render: every string is already cleaned, but not yet HTML-escaped. */
export interface AlertView {
  severity: Severity;
  /** `CRITICAL`, `HIGH`, … */
  severityLabel: string;
  title: string;
  appName: string;
  /** True for a repeat notification of an alert that keeps firing. */
  repeat: boolean;
  /** `HIGH`, … when this notification is an escalation from that severity. */
  escalatedFrom: string | undefined;
  /** On an update: what is new since the last notification, cleaned ("new IP address 203.0.113.9; …"). */
  update: string | undefined;
  headline: string;
  facts: ReadonlyArray<readonly [label: string, value: string]>;
  why: string;
  steps: readonly string[];
  /** Only an https URL is ever linked; anything else is left out. */
  entraUrl: string | undefined;
  alertId: string;
  lastSeen: string;
  count: number;
}

/**
 * Makes a URL in untrusted text inert (`https://evil` → `hxxps[:]//evil`), the convention security
 * teams use for indicators: Outlook turns bare URLs in text into live links, and an app's name
 * must never become a link in an alert about that app.
 */
export function defang(value: string): string {
  return value.replace(/([a-z][a-z0-9+.-]*):\/\//gi, (_m, scheme: string) => `${scheme.replace(/^http/i, 'hxxp')}[:]//`).replace(/\bwww\./gi, 'www[.]');
}

/** One line of untrusted text: controls and bidi overrides made visible, capped, URLs defanged. */
export function untrusted(value: string, maxLength = APP_NAME_MAX): string {
  return defang(safeText(value, maxLength));
}

function list(values: readonly string[], maxItem: number): string {
  const shown = values.slice(0, LIST_MAX).map((v) => untrusted(v, maxItem));
  const more = values.length - shown.length;
  return `${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

/** Builds the view of one alert. Our own rule text is capped too, so no field can blow the size. */
export function toAlertView(a: AlertPayload): AlertView {
  const facts: Array<readonly [string, string]> = [
    ['App', `${untrusted(a.app.displayName)} (${untrusted(a.app.appId, 40)})`],
    ['Tenant', untrusted(a.tenant, 60)],
  ];
  const update = updateOf(a);
  const news = update
    ? updateParts(update)
        .map((p) => (p.values.length > 0 ? `${p.label} ${list(p.values, 80)}` : p.label))
        .join('; ')
    : undefined;
  if (news) facts.push(['New since last notification', news]);
  if (a.credentialKeyId) facts.push(['Credential', untrusted(a.credentialKeyId, 60)]);
  const outcome = a.successCount + a.failureCount > 0 ? ` (${a.successCount} succeeded, ${a.failureCount} failed)` : '';
  facts.push(['Events', `${a.count}${outcome}`], ['First seen', untrusted(a.firstSeen, 40)], ['Last seen', untrusted(a.lastSeen, 40)]);
  if (a.ips.length > 0) facts.push(['IP addresses', list(a.ips, 45)]);
  if (a.countries.length > 0) facts.push(['Countries', list(a.countries, 40)]);
  if (a.asns.length > 0)
    facts.push([
      'Networks',
      list(
        a.asns.map((n) => `AS${n}`),
        20,
      ),
    ]);
  if (a.network) facts.push(['Network key', untrusted(a.network, 60)]);
  if (a.resources.length > 0) facts.push(['Resources', list(a.resources, 60)]);
  if (a.allowlist.length > 0) {
    facts.push([
      'Allowed ranges',
      list(
        a.allowlist.map((p) => `${p.cidr} (${p.vendor}, ${sourceLabel(p.source)}${p.stale ? ', STALE' : ''})`),
        160,
      ),
    ]);
  }
  facts.push(['Rule', `${untrusted(a.rule.id, 80)}${a.rule.mitre.length > 0 ? ` (MITRE ${list(a.rule.mitre, 30)})` : ''}`]);
  const escalatedFrom = escalationOf(a)?.toUpperCase();
  const kind = news ? 'update' : 'repeat notification';
  const round = escalatedFrom
    ? `, escalated from ${escalatedFrom} at ${a.notification} events`
    : a.notification > 0
      ? `, ${kind} at ${a.notification} events`
      : '';
  facts.push(['Alert id', `${untrusted(a.alertId, 80)}${round}`]);
  return {
    severity: a.severity,
    severityLabel: a.severity.toUpperCase(),
    title: untrusted(a.rule.title, 160),
    appName: untrusted(a.app.displayName),
    repeat: a.notification > 0,
    escalatedFrom,
    update: news,
    headline: untrusted(a.summary, 400),
    facts,
    why: untrusted(a.rule.description, 2000),
    steps: a.rule.runbook.slice(0, 30).map((s) => untrusted(s, 1000)),
    entraUrl: httpsUrl(a.app.entraUrl),
    alertId: untrusted(a.alertId, 80),
    lastSeen: untrusted(a.lastSeen, 40),
    count: a.count,
  };
}

/**
 * The subject line: `[credwatch] CRITICAL: <rule title> — <app name>`, `[credwatch] Escalated to
 * CRITICAL: …` or `[credwatch] Update: CRITICAL: …`.
 */
export function alertSubject(view: AlertView): string {
  // A repeat keeps the same subject on purpose: Outlook threads it under the first notification.
  // An escalation or an update does not: it is news, and must not hide inside an old thread.
  const severity = view.escalatedFrom ? `Escalated to ${view.severityLabel}` : view.update ? `Update: ${view.severityLabel}` : view.severityLabel;
  return `[credwatch] ${severity}: ${view.title} — ${view.appName}`;
}

/** What follows the title in the header: escalated, updated, still happening, or nothing for a new alert. */
export function roundNote(view: Pick<AlertView, 'repeat' | 'escalatedFrom' | 'update'>): string {
  if (view.escalatedFrom) return ` (escalated from ${view.escalatedFrom})`;
  if (view.update) return ' (update: something new)';
  return view.repeat ? ' (still happening)' : '';
}

/** Most severe first, then most recent: the order a responder reads a digest in. */
export function digestOrder(views: readonly AlertView[], rank: (s: Severity) => number): AlertView[] {
  return [...views].sort((x, y) => rank(y.severity) - rank(x.severity) || y.lastSeen.localeCompare(x.lastSeen));
}

function httpsUrl(value: string): string | undefined {
  try {
    return new URL(value).protocol === 'https:' ? value : undefined;
  } catch {
    return undefined;
  }
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
