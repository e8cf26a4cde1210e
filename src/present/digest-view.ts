/**
 * Many alerts as one message (a digest), before any channel formats it: the same entries, in the
 * same order and words, for the Teams digest card, the email digest and its text attachment.
 */
import { SEVERITY_ORDER, type Severity } from '../events.js';
import type { AlertPayload } from '../alert-payload.js';
import { alertHeading, countLine, shownTime, updateLine } from './alert-view.js';
import { httpsUrl, plural, untrusted } from './text.js';

/** One alert in a digest: three short lines a reader can scan. */
export interface DigestEntry {
  severity: Severity;
  /** `HIGH · <rule title>` (or escalated / update), as the alert's own heading. */
  heading: string;
  title: string;
  severityLabel: string;
  appName: string;
  /** `<app name> (<app id>) · tenant <tenant>`. */
  who: string;
  /** `Events 12 (2 succeeded, 10 failed) · still happening · first … · last …`. */
  activity: string;
  count: number;
  lastSeen: string;
  alertId: string;
  entraUrl: string | undefined;
}

/** The digest: a heading, counts by severity, the entries shown and how many were left out. */
export interface DigestView {
  severity: Severity;
  /** `12 alerts`. */
  heading: string;
  /** `2 critical, 5 high, 5 medium · most severe first`. */
  counts: string;
  entries: readonly DigestEntry[];
  omitted: number;
}

/** Most severe first; within a severity the most recent first; the alert id breaks ties so the order is stable. */
export function digestOrder(alerts: readonly AlertPayload[]): AlertPayload[] {
  return [...alerts].sort(
    (a, b) => SEVERITY_ORDER[b.severity] - SEVERITY_ORDER[a.severity] || b.lastSeen.localeCompare(a.lastSeen) || a.alertId.localeCompare(b.alertId),
  );
}

/** One digest line set; `textChars` caps the title and the app name (Teams trims these to fit). */
export function digestEntry(a: AlertPayload, textChars = 120): DigestEntry {
  // An update names what is new (three items at most: a digest entry is short).
  const news = updateLine(a, 3);
  const repeat = news ? ` · new: ${news}` : a.notification > 0 ? ' · still happening' : '';
  const appName = untrusted(a.app.displayName, Math.min(80, textChars));
  return {
    severity: a.severity,
    ...alertHeading(a, textChars),
    appName,
    who: `${appName} (${untrusted(a.app.appId, 40)}) · tenant ${untrusted(a.tenant, 40)}`,
    activity: `Events ${countLine(a)}${repeat} · first ${shownTime(a.firstSeen)} · last ${shownTime(a.lastSeen)}`,
    count: a.count,
    lastSeen: shownTime(a.lastSeen),
    alertId: untrusted(a.alertId, 80),
    entraUrl: httpsUrl(a.app.entraUrl),
  };
}

/** "2 critical, 5 high, 1 low", most severe first. */
export function countBySeverity(alerts: readonly Pick<AlertPayload, 'severity'>[]): string {
  const counts = new Map<Severity, number>();
  for (const a of alerts) counts.set(a.severity, (counts.get(a.severity) ?? 0) + 1);
  return [...counts]
    .sort(([x], [y]) => SEVERITY_ORDER[y] - SEVERITY_ORDER[x])
    .map(([severity, n]) => `${n} ${severity}`)
    .join(', ');
}

/** The digest of `alerts`, listing at most `listed` of them. */
export function digestView(alerts: readonly AlertPayload[], listed: number, textChars = 120): DigestView {
  const ordered = digestOrder(alerts);
  const shown = ordered.slice(0, Math.max(0, listed));
  return {
    severity: ordered[0]?.severity ?? 'informational',
    heading: plural(ordered.length, 'alert'),
    counts: `${countBySeverity(ordered)} · most severe first`,
    entries: shown.map((a) => digestEntry(a, textChars)),
    omitted: ordered.length - shown.length,
  };
}
