import type { ChannelConfig } from '../config/types.js';
import { SEVERITY_ORDER, type Severity } from '../events.js';
import type { OutboxEntry, StoredAlert } from '../state/types.js';
import { factsOf, newSince, notifiedFactsOf } from './facts.js';
import type { AlertPayload, RuleSummary } from './payload.js';
import { encodeRound, type Round, type RoundKind } from './round.js';

/** What {@link planNotifications} needs besides the alert and the channels. */
export interface PlanOptions {
  /** The scan's start: the same for every batch a scan commits, which is how "this scan" is known. */
  now: Date;
  /** 0 disables repeats (escalations and updates are notified regardless). */
  renotifyAfterInMs: number;
  /** The rule's title and advice, kept in the entry so delivery renders without a rule registry. */
  rule?: (ruleId: string) => RuleSummary;
  /**
   * The earlier way to pass the rule, from when entries froze the whole payload: only the `rule`
   * of what it returns is used now; the message is rendered from the stored alert at delivery.
   */
  payload?: (alert: StoredAlert, notification: number) => AlertPayload;
}

/** Channels that take this alert: its tenant is routed there and its severity reaches the minimum. */
export function channelsFor(alert: StoredAlert, channels: readonly ChannelConfig[]): ChannelConfig[] {
  return channels.filter(
    (c) =>
      SEVERITY_ORDER[alert.severity] >= SEVERITY_ORDER[c.minSeverity] &&
      (c.tenants === undefined || c.tenants.some((t) => t.toLowerCase() === alert.tenant.toLowerCase())),
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

type Due = { kind: RoundKind; notification: number; key: string; escalatedFrom?: Severity };

/** The notification round due now, if any. */
function dueRound(alert: StoredAlert, options: PlanOptions, sameScan: boolean): Due | undefined {
  const notifiedSeverity = notifiedSeverityOf(alert);
  if (notifiedSeverity === undefined) return { kind: 'first', notification: 0, key: '0' };
  // The moment an attacker gets in (a success after failures) must not wait for the repeat
  // interval. Severity never goes down, so an alert escalates at most four times.
  if (SEVERITY_ORDER[alert.severity] > SEVERITY_ORDER[notifiedSeverity]) {
    // The severity in the key keeps an escalation apart from any other round at the same count.
    return { kind: 'escalation', notification: alert.count, key: `${alert.count}:${alert.severity}`, escalatedFrom: notifiedSeverity };
  }
  // One message per alert per scan: a round queued by an earlier page of this scan is still
  // pending and will be rendered with what this page added.
  if (sameScan) return undefined;
  // News (a new IP, network, resource, the first success, a settled blast radius) goes out at the next scan; the count
  // keeps rounds apart and, as the receiver's idempotency key, only grows.
  if (newSince(notifiedFactsOf(alert)!, alert)) return { kind: 'update', notification: alert.count, key: `${alert.count}:update` };
  const repeatDue =
    options.renotifyAfterInMs > 0 &&
    alert.count > alert.notifiedCount &&
    options.now.getTime() - (alert.notifiedAt?.getTime() ?? 0) >= options.renotifyAfterInMs;
  return repeatDue ? { kind: 'repeat', notification: alert.count, key: String(alert.count) } : undefined;
}

function ruleOf(alert: StoredAlert, options: PlanOptions): RuleSummary {
  const rule = options.rule?.(alert.ruleId) ?? options.payload?.(alert, 0).rule;
  return rule ?? { id: alert.ruleId, title: alert.ruleId, description: '', mitre: [], runbook: [], falsePositives: [] };
}

/**
 * Outbox entries for an alert: one per channel on first sight; at once when its severity rose above
 * the one last notified (to every channel that takes the new severity); an update at the next scan
 * when it gained a new IP, network, resource, its first success or a settled blast radius; otherwise — for an alert that
 * keeps firing — one more round after the repeat interval. Entries name the round; the message is
 * rendered from the stored alert at delivery. Entry ids are deterministic (alert, channel, count at
 * the round, and the kind or new severity), so planning twice after a crash inserts nothing new.
 */
export function planNotifications(
  alert: StoredAlert,
  channels: readonly ChannelConfig[],
  options: PlanOptions,
): { alert: StoredAlert; entries: OutboxEntry[] } {
  if (alert.suppressed) return { alert, entries: [] };
  const sameScan = alert.notifiedAt !== undefined && alert.notifiedAt.getTime() === options.now.getTime();
  const due = dueRound(alert, options, sameScan);
  if (due === undefined) {
    // The pending message of this scan's round will show what this batch added, so it counts as
    // told: otherwise the next scan would send it again as news.
    return sameScan ? { alert: { ...alert, notifiedCount: alert.count, notifiedFacts: factsOf(alert) }, entries: [] } : { alert, entries: [] };
  }
  let targets = channelsFor(alert, channels);
  if (due.kind === 'escalation' && sameScan) {
    // Channels with a round pending from this scan get the new severity in that message; only
    // those the lower severity did not reach (a critical-only pager) need a round of their own.
    const told = new Set(channelsFor({ ...alert, severity: due.escalatedFrom! }, channels).map((c) => c.name));
    targets = targets.filter((c) => !told.has(c.name));
  }
  // A round after the first takes a number above the last round's even when the count has not
  // grown (an update for the blast radius alone): alertId + notification is the receiver's key.
  const notification = due.kind === 'first' ? 0 : Math.max(due.notification, (alert.notifiedRound ?? -1) + 1);
  const key = notification === due.notification ? due.key : `${notification}:${due.kind}`;
  const before = notifiedFactsOf(alert);
  const round: Round = {
    kind: due.kind,
    notification,
    ...(due.escalatedFrom ? { escalatedFrom: due.escalatedFrom } : {}),
    ...(before ? { before } : {}),
    rule: ruleOf(alert, options),
  };
  const payload = encodeRound(round);
  const entries = targets.map((c) => ({
    id: `${alert.alertId}:${c.name}:${key}`,
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
  return {
    alert: {
      ...alert,
      notifiedAt: options.now,
      notifiedCount: alert.count,
      notifiedSeverity: alert.severity,
      notifiedFacts: factsOf(alert),
      notifiedRound: notification,
    },
    entries,
  };
}
