import { createHash } from 'node:crypto';
import type { Finding } from '../events.js';
import { SEVERITY_ORDER } from '../events.js';
import { ruleById } from '../rules/index.js';
import type { StoredAlert } from '../state/types.js';
import { notifiedFactsOf } from './facts.js';
import { notifiedSeverityOf } from './outbox.js';
import { alertSubjectOf, legacyAlertHolds } from './subject.js';

/** Bounded lists keep an alert small however many sign-ins it groups (Teams caps a card at 28 KB). */
export const ALERT_LIST_CAPS = { ips: 20, countries: 20, asns: 20, resources: 10, eventIds: 50, allowlist: 5 } as const;

/**
 * Whether the rule's findings describe a state (posture) rather than an event: one alert per state,
 * with no time window. Read from the rule's `finding` metadata (docs/rules.md); an id the catalogue
 * never had (a test rule) is an event rule.
 */
export function isStateRule(ruleId: string): boolean {
  return ruleById(ruleId)?.finding === 'state';
}

/**
 * The rule's alert family, from its `family` metadata: the audit-log and inventory-diff variants
 * of a change declare one family (the diff is the safety net when audits are missing or late), so
 * they share one alert instead of notifying twice. An id the catalogue never had is its own family.
 */
export function ruleFamily(ruleId: string): string {
  return ruleById(ruleId)?.family ?? ruleId;
}

/**
 * The stable alert id: a hash of (tenant, rule family, app, credential, network), the finding's
 * subject when its rule names one (subject.ts), and the grouping window the finding falls in. The
 * same findings always give the same id, so receivers can drop repeats. A finding without a subject
 * hashes exactly what it did before subjects existed, so those alerts keep their ids.
 */
export function alertIdFor(finding: Finding, groupingWindowInMs: number, windowsBack = 0): string {
  return hashedId(finding, groupingWindowInMs, windowsBack, alertSubjectOf(finding));
}

function hashedId(finding: Finding, groupingWindowInMs: number, windowsBack: number, subject: string | undefined): string {
  const window = isStateRule(finding.ruleId) ? 0 : Math.floor(finding.occurredAt.getTime() / groupingWindowInMs) - windowsBack;
  const parts = [finding.tenant, ruleFamily(finding.ruleId), finding.appId, finding.credentialKeyId ?? '', finding.network ?? '', String(window)];
  // Appended, never inserted: a key with a subject has one part more, so it cannot hash like a key without.
  if (subject !== undefined) parts.push(subject);
  return createHash('sha256').update(parts.join('\u001f')).digest('hex').slice(0, 32);
}

/** How many earlier windows an ongoing alert may be continued from (an attack across midnight is one alert). */
export const CONTINUE_WINDOWS = 7;

function windowIds(finding: Finding, groupingWindowInMs: number, subject: string | undefined): string[] {
  if (isStateRule(finding.ruleId)) return [hashedId(finding, groupingWindowInMs, 0, subject)];
  return Array.from({ length: CONTINUE_WINDOWS + 1 }, (_, back) => hashedId(finding, groupingWindowInMs, back, subject));
}

/**
 * The ids an alert for this finding may already have: this window's, then earlier ones. A finding
 * with a subject may also continue an alert stored before subjects were keyed (tried last, and only
 * when {@link continues} finds it holds the subject), so an upgrade does not notify an open grant again.
 */
export function candidateAlertIds(finding: Finding, groupingWindowInMs: number): string[] {
  const subject = alertSubjectOf(finding);
  const ids = windowIds(finding, groupingWindowInMs, subject);
  return subject === undefined ? ids : [...ids, ...windowIds(finding, groupingWindowInMs, undefined)];
}

/**
 * Whether a finding continues an alert: within one grouping window of the alert's span and, for a
 * finding with a subject, about that subject — an alert keyed without it (stored before subjects
 * were keyed) must show it already holds the subject, or a wider grant would be merged away.
 */
export function continues(alert: StoredAlert, finding: Finding, groupingWindowInMs: number): boolean {
  const t = finding.occurredAt.getTime();
  const inSpan = t >= alert.firstSeen.getTime() - groupingWindowInMs && t <= alert.lastSeen.getTime() + groupingWindowInMs;
  if (!inSpan) return false;
  const subject = alertSubjectOf(finding);
  if (subject === undefined || windowIds(finding, groupingWindowInMs, subject).includes(alert.alertId)) return true;
  return legacyAlertHolds(alert, finding, subject);
}

/**
 * A deterministic finding id (rule + events, else app, credential and summary), so a re-read window
 * cannot store it twice. A finding with an alert subject adds it: one grant row adding two
 * permissions gives two findings from the same event, and each must keep its own row.
 */
export function findingIdFor(finding: Finding): string {
  const events = finding.eventIds.length > 0 ? [...finding.eventIds].sort().join(',') : `${finding.appId}|${finding.credentialKeyId ?? ''}|${finding.summary}`;
  const subject = alertSubjectOf(finding);
  const key = `${finding.tenant}\u001f${finding.ruleId}\u001f${events}${subject === undefined ? '' : `\u001f${subject}`}`;
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

function addCapped<T>(list: T[], values: ReadonlyArray<T | undefined>, cap: number): T[] {
  for (const v of values) if (v !== undefined && v !== '' && !list.includes(v) && list.length < cap) list.push(v);
  return list;
}

/** Folds findings into an alert (new or stored): counts, first/last seen, capped distinct values. */
export function mergeIntoAlert(alertId: string, existing: StoredAlert | undefined, findings: readonly Finding[]): StoredAlert {
  const first = findings[0];
  if (!first && !existing) throw new Error('mergeIntoAlert needs a finding or an alert');
  const alert: StoredAlert = existing
    ? {
        ...existing,
        ips: [...existing.ips],
        countries: [...existing.countries],
        asns: [...existing.asns],
        resources: [...existing.resources],
        eventIds: [...existing.eventIds],
        allowlist: [...existing.allowlist],
        // Pinned before the findings can raise the severity: an alert stored before this field
        // existed was notified at the severity it was stored with, not at the one it rises to now.
        notifiedSeverity: notifiedSeverityOf(existing),
        // Pinned the same way: an alert stored before the notified facts were kept was notified
        // with what it held then, so only what these findings add can be news (facts.ts).
        ...pinnedFacts(existing),
      }
    : {
        alertId,
        tenant: first!.tenant,
        ruleId: first!.ruleId,
        severity: first!.severity,
        appId: first!.appId,
        appDisplayName: first!.appDisplayName,
        credentialKeyId: first!.credentialKeyId,
        network: first!.network,
        firstSeen: first!.occurredAt,
        lastSeen: first!.occurredAt,
        count: 0,
        successCount: 0,
        failureCount: 0,
        ips: [],
        countries: [],
        asns: [],
        resources: [],
        allowlist: [],
        summary: first!.summary,
        eventIds: [],
        suppressed: undefined,
        notifiedAt: undefined,
        notifiedCount: 0,
        notifiedSeverity: undefined,
      };
  for (const f of findings) {
    // A state rule re-evaluated every scan is the same fact again, not another occurrence.
    if (isStateRule(f.ruleId) && alert.count > 0) continue;
    alert.count += 1;
    if (f.success === true) alert.successCount += 1;
    if (f.success === false) alert.failureCount += 1;
    if (f.occurredAt < alert.firstSeen) alert.firstSeen = f.occurredAt;
    if (f.occurredAt > alert.lastSeen) {
      alert.lastSeen = f.occurredAt;
      alert.summary = f.summary;
    }
    // The alert takes the worst severity among its findings (a success after failures escalates it).
    if (SEVERITY_ORDER[f.severity] > SEVERITY_ORDER[alert.severity]) alert.severity = f.severity;
    addCapped(alert.ips, [f.ip], ALERT_LIST_CAPS.ips);
    addCapped(alert.countries, [f.country], ALERT_LIST_CAPS.countries);
    addCapped(alert.asns, [f.asn], ALERT_LIST_CAPS.asns);
    addCapped(alert.resources, [f.resource], ALERT_LIST_CAPS.resources);
    addCapped(alert.eventIds, f.eventIds, ALERT_LIST_CAPS.eventIds);
    for (const p of f.allowlist) {
      if (alert.allowlist.length >= ALERT_LIST_CAPS.allowlist) break;
      if (!alert.allowlist.some((a) => a.cidr === p.cidr && a.source === p.source)) alert.allowlist.push(p);
    }
  }
  return alert;
}

function pinnedFacts(existing: StoredAlert): Pick<StoredAlert, 'notifiedFacts'> {
  const facts = notifiedFactsOf(existing);
  return facts === undefined ? {} : { notifiedFacts: facts };
}
