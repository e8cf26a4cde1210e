import type { ChannelConfig } from '../config/types.js';
import { SEVERITY_ORDER } from '../events.js';
import type { OutboxEntry, StoredAlert } from '../state/types.js';
import type { AlertPayload } from './payload.js';

export interface PlanOptions {
  now: Date;
  /** 0 disables repeats. */
  renotifyAfterInMs: number;
  payload: (alert: StoredAlert, notification: number) => AlertPayload;
}

/** Channels that take this alert: its tenant is routed there and its severity reaches the minimum. */
export function channelsFor(alert: StoredAlert, channels: readonly ChannelConfig[]): ChannelConfig[] {
  return channels.filter(
    (c) => SEVERITY_ORDER[alert.severity] >= SEVERITY_ORDER[c.minSeverity] && (c.tenants === undefined || c.tenants.some((t) => t.toLowerCase() === alert.tenant.toLowerCase())),
  );
}

/**
 * Outbox entries for an alert: one per channel on first sight, then — for an alert that keeps
 * firing — one more round after the repeat interval with the updated counts, not one per scan.
 * Entry ids are deterministic (alert, channel, count at notification), so planning twice after a
 * crash inserts nothing new.
 */
export function planNotifications(alert: StoredAlert, channels: readonly ChannelConfig[], options: PlanOptions): { alert: StoredAlert; entries: OutboxEntry[] } {
  if (alert.suppressed) return { alert, entries: [] };
  const first = alert.notifiedAt === undefined;
  const repeatDue =
    !first &&
    options.renotifyAfterInMs > 0 &&
    alert.count > alert.notifiedCount &&
    options.now.getTime() - (alert.notifiedAt?.getTime() ?? 0) >= options.renotifyAfterInMs;
  if (!first && !repeatDue) return { alert, entries: [] };
  const notification = first ? 0 : alert.count;
  const payload = JSON.stringify(options.payload(alert, notification));
  const entries = channelsFor(alert, channels).map((c) => ({
    id: `${alert.alertId}:${c.name}:${notification}`,
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
  return { alert: { ...alert, notifiedAt: options.now, notifiedCount: alert.count }, entries };
}
