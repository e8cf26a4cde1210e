/**
 * The week's alerts with what happened to their notifications, and the week's findings as rows.
 * Delivery status comes from the outbox, so an alert that never reached anyone (a channel refused
 * it, or it is still retrying) is visible in the report instead of looking handled.
 */
import { blastRadiusPayload } from '../alert-payload.js';
import { SEVERITY_ORDER, type AlertBlastRadius } from '../events.js';
import { blastRadiusFacts } from '../present/blast-radius-view.js';
import type { OutboxEntry, StoredAlert, StoredFinding } from '../state/types.js';
import type { AlertRow, FindingRow } from './types.js';

function delivery(entries: readonly OutboxEntry[]): AlertRow['delivery'] {
  const count = (status: OutboxEntry['status']) => entries.filter((e) => e.status === status).length;
  // The newest error is the one that still matters (an earlier one may have been retried away).
  const withError = [...entries].filter((e) => e.status !== 'sent' && e.lastError).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  return { sent: count('sent'), pending: count('pending'), failed: count('failed'), lastError: withError[0]?.lastError ?? null };
}

/** The alert's blast radius in the words its notifications use. */
function blastRadiusOf(b: AlertBlastRadius | undefined): Pick<AlertRow, 'blastRadius' | 'mailboxesRead'> {
  if (b === undefined) return {};
  const headline = blastRadiusFacts(blastRadiusPayload(b), 10)[0]?.value;
  return {
    ...(headline ? { blastRadius: headline } : {}),
    ...(b.status === 'known' ? { mailboxesRead: { count: b.radius.mailboxes.count, list: [...b.radius.mailboxes.list] } } : {}),
  };
}

/**
 * Alerts active in the week (first seen before its end, last seen after its start — the store's
 * `listAlerts` window), most severe first, then most recent.
 */
export function buildAlertRows(
  alerts: readonly StoredAlert[],
  outbox: readonly OutboxEntry[],
  from: Date,
  to: Date,
  ruleTitle: (id: string) => string,
): AlertRow[] {
  const byAlert = new Map<string, OutboxEntry[]>();
  for (const e of outbox) byAlert.set(e.alertId, [...(byAlert.get(e.alertId) ?? []), e]);
  return alerts
    .filter((a) => a.firstSeen < to && a.lastSeen >= from)
    .map((a) => ({
      alertId: a.alertId,
      severity: a.severity,
      ruleId: a.ruleId,
      title: ruleTitle(a.ruleId),
      appId: a.appId,
      appDisplayName: a.appDisplayName,
      count: a.count,
      firstSeen: a.firstSeen.toISOString(),
      lastSeen: a.lastSeen.toISOString(),
      suppressed: a.suppressed !== undefined,
      delivery: delivery(byAlert.get(a.alertId) ?? []),
      ...blastRadiusOf(a.blastRadius),
    }))
    .sort((a, b) => SEVERITY_ORDER[b.severity] - SEVERITY_ORDER[a.severity] || b.lastSeen.localeCompare(a.lastSeen) || a.alertId.localeCompare(b.alertId));
}

/** Alerts first seen in the week and not suppressed, per severity: the summary's "alerts raised". */
export function raisedBySeverity(alerts: readonly StoredAlert[], from: Date, to: Date): Record<'critical' | 'high' | 'medium' | 'low', number> {
  const out = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const a of alerts) {
    if (a.suppressed || a.firstSeen < from || a.firstSeen >= to || a.severity === 'informational') continue;
    out[a.severity] += 1;
  }
  return out;
}

/** The week's findings in time order, suppressed ones included and marked. */
export function buildFindingRows(findings: readonly StoredFinding[], from: Date, to: Date, ruleTitle: (id: string) => string): FindingRow[] {
  return findings
    .filter((f) => f.finding.occurredAt >= from && f.finding.occurredAt < to)
    .map(({ findingId, alertId, suppressed, finding: f }) => ({
      findingId,
      alertId,
      occurredAt: f.occurredAt.toISOString(),
      severity: f.severity,
      ruleId: f.ruleId,
      title: ruleTitle(f.ruleId),
      appId: f.appId,
      appDisplayName: f.appDisplayName,
      credentialKeyId: f.credentialKeyId ?? null,
      network: f.network ?? null,
      ip: f.ip ?? null,
      country: f.country ?? null,
      asn: f.asn ?? null,
      resource: f.resource ?? null,
      success: f.success ?? null,
      suppressed,
      summary: f.summary,
    }))
    .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.findingId.localeCompare(b.findingId));
}
