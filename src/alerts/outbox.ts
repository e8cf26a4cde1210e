import type { ChannelConfig } from '../config/types.js';
import { SEVERITY_ORDER, type Severity } from '../events.js';
import type { OutboxEntry, StoredAlert } from '../state/types.js';
import type { AlertPayload } from './payload.js';

export interface PlanOptions {
  now: Date;
  /** 0 disables repeats (escalations are notified regardless). */
  renotifyAfterInMs: number;
  /** The round's payload; an escalation round gets `escalatedFrom` added to it by the planner. */
  payload: (alert: StoredAlert, notification: number) => AlertPayload;
}

/** Channels that take this alert: its tenant is routed there and its severity reaches the minimum. */
export function channelsFor(alert: StoredAlert, channels: readonly ChannelConfig[]): ChannelConfig[] {
  return channels.filter(
    (c) => SEVERITY_ORDER[alert.severity] >= SEVERITY_ORDER[c.minSeverity] && (c.tenants === undefined || c.tenants.some((t) => t.toLowerCase() === alert.tenant.toLowerCase())),
  );
}

/**
 * The severity an alert was last notified at, or undefined if it never was. An alert stored before
 * `notifiedSeverity` existed counts as notified at its stored severity, so upgrading credwatch does
 * not re-send every open alert as an escalation.
 */
export function notifiedSeverityOf(alert: StoredAlert): Severity | undefined {
  return alert.notifiedAt === undefined ? undefined : (alert.notifiedSeverity ?? alert.severity);
}

interface Round {
  /** The payload's `notification`: 0 first, then the count at the round. */
  notification: number;
  /** What makes the entry id unique per round. */
  key: string;
  escalatedFrom: Severity | undefined;
}

/** The notification round due now, if any. */
function dueRound(alert: StoredAlert, options: PlanOptions): Round | undefined {
  const notifiedSeverity = notifiedSeverityOf(alert);
  if (notifiedSeverity === undefined) return { notification: 0, key: '0', escalatedFrom: undefined };
  // The moment an attacker gets in (a success after failures) must not wait for the repeat
  // interval. Severity never goes down, so an alert escalates at most four times.
  if (SEVERITY_ORDER[alert.severity] > SEVERITY_ORDER[notifiedSeverity]) {
    // The severity in the key keeps an escalation apart from any other round at the same count.
    return { notification: alert.count, key: `${alert.count}:${alert.severity}`, escalatedFrom: notifiedSeverity };
  }
  const repeatDue =
    options.renotifyAfterInMs > 0 &&
    alert.count > alert.notifiedCount &&
    options.now.getTime() - (alert.notifiedAt?.getTime() ?? 0) >= options.renotifyAfterInMs;
  return repeatDue ? { notification: alert.count, key: String(alert.count), escalatedFrom: undefined } : undefined;
}

/**
 * Outbox entries for an alert: one per channel on first sight; at once when its severity rose above
 * the one last notified (to every channel that takes the new severity); otherwise — for an alert
 * that keeps firing — one more round after the repeat interval with the updated counts, not one per
 * scan. Entry ids are deterministic (alert, channel, count at notification, and the new severity
 * for an escalation), so planning twice after a crash inserts nothing new.
 */
export function planNotifications(alert: StoredAlert, channels: readonly ChannelConfig[], options: PlanOptions): { alert: StoredAlert; entries: OutboxEntry[] } {
  if (alert.suppressed) return { alert, entries: [] };
  const round = dueRound(alert, options);
  if (round === undefined) return { alert, entries: [] };
  const escalation = round.escalatedFrom === undefined ? {} : { escalatedFrom: round.escalatedFrom };
  const payload = JSON.stringify({ ...options.payload(alert, round.notification), ...escalation });
  const entries = channelsFor(alert, channels).map((c) => ({
    id: `${alert.alertId}:${c.name}:${round.key}`,
    alertId: alert.alertId,
    tenant: alert.tenant,
    channel: c.name,
    payload,
    status: 'pending' as const,
    attempts: 0,
    nextAttemptAt: options.now,
    lastError: undefined,
    createdAt: options.now,
    sentAt: undefined,
  }));
  return { alert: { ...alert, notifiedAt: options.now, notifiedCount: alert.count, notifiedSeverity: alert.severity }, entries };
}
