/**
 * The headline numbers with last week's values. A number whose source was not collected is null
 * (shown as "unknown"), never 0: a week in which sign-ins could not be read is not a week without
 * sign-ins outside the allowlist.
 */
import type { Metric, WeeklyReport } from './types.js';

/** Keys and labels in display order; keys are stable across versions (last week is found by key). */
export const METRICS = Object.freeze([
  { key: 'mailboxApps', label: 'Mailbox-capable apps' },
  { key: 'certificates', label: 'Certificates' },
  { key: 'secrets', label: 'Client secrets' },
  { key: 'federated', label: 'Federated credentials' },
  { key: 'alertsCritical', label: 'Critical alerts raised' },
  { key: 'alertsHigh', label: 'High alerts raised' },
  { key: 'alertsMedium', label: 'Medium alerts raised' },
  { key: 'alertsLow', label: 'Low alerts raised' },
  { key: 'signInsOutsideAllowlist', label: 'Sign-ins outside allowlists' },
  { key: 'appsWithoutAllowlist', label: 'Mailbox-capable vendor apps without an allowlist' },
  // Own apps apart, so the vendor count above keeps its meaning week over week.
  { key: 'ownAppsWithoutAllowlist', label: 'Own mailbox-capable apps without an allowlist' },
] as const);

export type MetricKey = (typeof METRICS)[number]['key'];

/** This week's values; null = not collected. */
export type MetricValues = Record<MetricKey, number | null>;

/** The summary, each metric with last week's value (from `previous.summary`) and the difference. */
export function buildSummary(values: MetricValues, previous: WeeklyReport | undefined): Metric[] {
  const before = new Map((previous?.summary ?? []).map((m) => [m.key, m.value]));
  return METRICS.map(({ key, label }) => {
    const value = values[key];
    const prior = before.get(key) ?? null;
    return { key, label, value, previous: prior, delta: value !== null && prior !== null ? value - prior : null };
  });
}
