import { candidateAlertIds, continues, findingIdFor, mergeIntoAlert } from '../alerts/group.js';
import { planNotifications } from '../alerts/outbox.js';
import { toPayload, type RuleSummary } from '../alerts/payload.js';
import { findSuppression } from '../alerts/suppress.js';
import type { ChannelConfig, Config, SuppressionConfig } from '../config/types.js';
import { severityCounts, type Finding, type Severity } from '../contract.js';
import type { LearnedNetwork, OutboxEntry, SignInAggregate, StateStore, StoredAlert, StoredFinding, WindowCommit } from '../state/types.js';

/** What a stage's commits came to: findings, alerts and notifications, for the scan summary. */
export interface CommitTally {
  findings: number;
  suppressed: number;
  newAlerts: number;
  updatedAlerts: number;
  notifications: number;
  /** New or repeated alerts that are not suppressed: what `scan` exits 3 for. */
  raised: number;
  expiredSuppressions: Map<string, SuppressionConfig>;
  bySeverity: Record<Severity, number>;
}

/** A tally of nothing. */
export function emptyTally(): CommitTally {
  return {
    findings: 0,
    suppressed: 0,
    newAlerts: 0,
    updatedAlerts: 0,
    notifications: 0,
    raised: 0,
    expiredSuppressions: new Map(),
    bySeverity: severityCounts(),
  };
}

/** Adds `from` into `into`; `raised` only when asked (operational alerts are not detections). */
export function mergeTally(into: CommitTally, from: CommitTally, options: { raised: boolean }): void {
  into.findings += from.findings;
  into.suppressed += from.suppressed;
  into.newAlerts += from.newAlerts;
  into.updatedAlerts += from.updatedAlerts;
  into.notifications += from.notifications;
  if (options.raised) into.raised += from.raised;
  for (const [key, s] of from.expiredSuppressions) into.expiredSuppressions.set(key, s);
  for (const severity of Object.keys(from.bySeverity) as Severity[]) into.bySeverity[severity] += from.bySeverity[severity];
}

/** Where and how a stage commits: the store, the alert settings, and the tally its commits add to. */
export interface CommitContext {
  store: StateStore;
  config: Config;
  /** Channels that can deliver now (others are not queued). */
  channels: readonly ChannelConfig[];
  rule: (ruleId: string) => RuleSummary;
  now: Date;
  tally: CommitTally;
}

/** What a batch commits besides its findings: ids, watermark, aggregates, learned networks, snapshot. */
export interface CommitExtras {
  watermark?: Date | undefined;
  /** Log time this batch finished reading for good (docs/state.md, "Covered intervals"). */
  covered?: WindowCommit['covered'];
  seenIds?: readonly string[];
  seenExpiresAt: Date;
  aggregates?: readonly SignInAggregate[];
  learnedNetworks?: readonly LearnedNetwork[];
  snapshot?: WindowCommit['snapshot'];
}

/**
 * Stores one batch atomically: the event ids that produced it, its findings, the alerts they fold
 * into and the outbox entries those alerts need. If the process dies before this returns, none of
 * it is stored and the same events are read and judged again.
 */
export async function commitBatch(ctx: CommitContext, tenant: string, stream: string, findings: readonly Finding[], extras: CommitExtras): Promise<void> {
  const windowMs = ctx.config.detection.groupingWindowInHours * 3_600_000;
  // Oldest first, so an alert's span grows in time order and a late record joins the right alert.
  const ordered = [...findings].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  const candidates = ordered.map((f) => candidateAlertIds(f, windowMs));
  const known = new Map((await ctx.store.getAlerts([...new Set(candidates.flat())])).map((a) => [a.alertId, a]));
  const existedBefore = new Set(known.keys());
  const byAlert = new Map<string, Finding[]>();
  ordered.forEach((f, i) => {
    const ids = candidates[i]!;
    const chosen =
      ids.find((id) => {
        const alert = known.get(id);
        return alert !== undefined && continues(alert, f, windowMs);
      }) ?? ids[0]!;
    known.set(chosen, mergeIntoAlert(chosen, known.get(chosen), [f]));
    byAlert.set(chosen, [...(byAlert.get(chosen) ?? []), f]);
  });
  const stored: StoredFinding[] = [];
  const alerts: StoredAlert[] = [];
  const outbox: OutboxEntry[] = [];
  for (const [alertId, group] of byAlert) {
    const first = group[0]!;
    const { active, expired } = findSuppression(first, ctx.config.suppressions, ctx.now);
    if (expired) ctx.tally.expiredSuppressions.set(`${expired.rule}|${expired.appId ?? ''}|${expired.network ?? ''}|${expired.credentialKeyId ?? ''}`, expired);
    let alert = known.get(alertId)!;
    alert.suppressed = active ? { reason: active.reason, owner: active.owner, expires: active.expires } : undefined;
    const isNew = !existedBefore.has(alertId);
    if (isNew) ctx.tally.newAlerts += 1;
    else ctx.tally.updatedAlerts += 1;
    const planned = planNotifications(alert, ctx.channels, {
      now: ctx.now,
      renotifyAfterInMs: ctx.config.detection.renotifyAfterInHours * 3_600_000,
      payload: (a, n) => toPayload(a, ctx.rule(a.ruleId), n),
    });
    if (!active && (isNew || planned.entries.length > 0)) ctx.tally.raised += 1;
    alert = planned.alert;
    outbox.push(...planned.entries);
    ctx.tally.notifications += planned.entries.length;
    alerts.push(alert);
    for (const f of group) {
      stored.push({ findingId: findingIdFor(f), alertId, finding: f, suppressed: active !== undefined });
      ctx.tally.bySeverity[f.severity] += 1;
    }
    ctx.tally.findings += group.length;
    if (active) ctx.tally.suppressed += group.length;
  }
  await ctx.store.commitWindow({
    tenant,
    stream,
    watermark: extras.watermark,
    ...(extras.covered ? { covered: extras.covered } : {}),
    seenIds: extras.seenIds ?? [],
    seenExpiresAt: extras.seenExpiresAt,
    findings: stored,
    alerts,
    outbox,
    aggregates: extras.aggregates ?? [],
    learnedNetworks: extras.learnedNetworks ?? [],
    snapshot: extras.snapshot,
  });
}
