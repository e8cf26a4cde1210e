/**
 * The blast-radius stage (docs/blast-radius.md): for sign-in alerts of mailbox-capable apps, asks
 * Purview which mailboxes the app read from the alerted addresses, and puts the answer on the
 * alert. It opens (or joins) one audit log query per app and window, asks open queries how they
 * stand — a bounded number per scan — and once one succeeded sums up its records for every alert
 * it serves. An alert that gains a settled blast radius after it was delivered is notified once
 * more, as an update (docs/alerts.md). It runs after the stages that raise alerts and before
 * delivery, so an answer reached now leaves with this scan. Nothing here fails the scan: each
 * error becomes the alert's "blast radius unknown" with its stable code.
 */
import { planNotifications } from '../../alerts/outbox.js';
import { summarizeBlastRadius } from '../../collect/blast-radius.js';
import { AUDIT_QUERY_DEFAULTS, canonicalRequest, openMailAccessQuery, pollMailAccessQuery, type MailAccessQueryDeps } from '../../collect/mail-access-query.js';
import { CredwatchError, toCredwatchError } from '../../errors.js';
import type { AlertBlastRadius, Inventory } from '../../events.js';
import type { AuditQueryRecord, StoredAlert } from '../../state/types.js';
import { BLAST_RADIUS_DEFAULTS, needsQuery, qualifies, requestFor } from '../blast-radius-plan.js';
import type { ReadingRun, StageReport } from './stage.js';

/** What the stage did, for the scan summary. */
export interface BlastRadiusResult extends StageReport {
  counts: { opened: number; polled: number; known: number; unknown: number; pending: number };
}

export interface BlastRadiusOptions {
  /** The inventory sign-ins were judged with: which apps can read mail. */
  inventory: Inventory | undefined;
  /** The injected clock (queries age on it; the scan's start is `run.now`). */
  clock: () => Date;
}

const DEAD: ReadonlySet<string> = new Set(['failed', 'cancelled', 'unknownFutureValue', 'abandoned']);

/** The reason people read: the error's message without the "Blast radius unknown: " the fact already says. */
function reasonOf(err: CredwatchError): string {
  return err.message.replace(/^blast radius (unknown|not asked):\s*/i, '');
}

function unknown(base: Omit<AlertBlastRadius, 'status'>, err: CredwatchError): AlertBlastRadius {
  return { ...base, status: 'unknown', code: err.code, reason: reasonOf(err) };
}

/** What was asked for the alert, as the alert keeps it. */
function asked(alert: StoredAlert, at: Date, intentId: string | undefined): Omit<AlertBlastRadius, 'status'> {
  const r = canonicalRequest(requestFor(alert));
  return { ips: [...r.ips], from: r.from, to: r.to, intentId, at };
}

/**
 * Opens queries for the alerts that need one, polls the open ones, and commits the alerts whose
 * blast radius changed with the notifications that brings.
 */
export async function blastRadiusStage(run: ReadingRun, options: BlastRadiusOptions): Promise<BlastRadiusResult> {
  const counts = { opened: 0, polled: 0, known: 0, unknown: 0, pending: 0 };
  const deps: MailAccessQueryDeps = { graph: run.graph, store: run.store, now: options.clock };
  const tenant = run.tenant.name;
  try {
    const alerts = (await run.store.listAlerts(tenant, new Date(run.now.getTime() - BLAST_RADIUS_DEFAULTS.lookbackInMs), new Date(8.64e15))).filter((a) =>
      qualifies(a, options.inventory),
    );
    const changed = new Map<string, StoredAlert>();
    const set = (alert: StoredAlert, blastRadius: AlertBlastRadius) => {
      const next = { ...alert, blastRadius };
      changed.set(alert.alertId, next);
      return next;
    };

    // Open (or join) a query for each alert that needs one.
    const current = [...alerts];
    for (const [i, alert] of current.entries()) {
      if (!needsQuery(alert, run.now)) continue;
      if (counts.opened >= BLAST_RADIUS_DEFAULTS.maxOpensPerScan) break;
      counts.opened += 1;
      if (run.tenant.cloud !== 'global') {
        const err = new CredwatchError(
          'BLAST_RADIUS_UNAVAILABLE',
          `Blast radius unknown: the ${run.tenant.cloud} cloud has no audit log query API; search MailItemsAccessed in Purview by hand.`,
        );
        current[i] = set(alert, unknown(asked(alert, options.clock(), undefined), err));
        continue;
      }
      try {
        const query = await openMailAccessQuery(deps, tenant, requestFor(alert));
        current[i] = set(alert, { ...asked(alert, options.clock(), query.intentId), status: 'pending' });
      } catch (e: unknown) {
        const err = toCredwatchError(e);
        run.logger.warn({ err, alertId: alert.alertId }, 'blast radius unknown: audit log query not opened');
        current[i] = set(alert, unknown(asked(alert, options.clock(), undefined), err));
      }
    }

    // Poll each open query once, for every alert it serves.
    const waiting = new Map<string, StoredAlert[]>();
    for (const alert of current) {
      const b = alert.blastRadius;
      if (b?.status === 'pending' && b.intentId !== undefined) waiting.set(b.intentId, [...(waiting.get(b.intentId) ?? []), alert]);
    }
    for (const [intentId, served] of waiting) {
      if (counts.polled >= BLAST_RADIUS_DEFAULTS.maxPollsPerScan) break;
      counts.polled += 1;
      const first = served[0]!;
      const settle = (make: (alert: StoredAlert) => AlertBlastRadius) => served.forEach((a) => set(a, make(a)));
      const queries = await run.store.listAuditQueries(tenant, first.appId.toLowerCase());
      let query: AuditQueryRecord | undefined = queries.find((q) => q.intentId === intentId);
      try {
        if (query === undefined)
          throw new CredwatchError('BLAST_RADIUS_QUERY_FAILED', `Blast radius unknown: audit log query intent ${intentId} is not in the state store.`);
        if (DEAD.has(query.state)) {
          throw new CredwatchError(
            query.lastError === 'BLAST_RADIUS_TIMED_OUT' ? 'BLAST_RADIUS_TIMED_OUT' : 'BLAST_RADIUS_QUERY_FAILED',
            `Blast radius unknown: audit log query ended ${query.state}.`,
          );
        }
        if (query.queryId === undefined) query = await openMailAccessQuery(deps, tenant, requestFor(first));
        if (query.queryId === undefined) {
          // Its create answer was lost and it is not listed yet (mail-access-query.ts): past the
          // deadline it is given up like a query that never finishes.
          if (options.clock().getTime() - query.requestedAt.getTime() > AUDIT_QUERY_DEFAULTS.giveUpAfterInMs) {
            await run.store.updateAuditQuery(tenant, intentId, { state: 'abandoned', updatedAt: options.clock(), lastError: 'BLAST_RADIUS_TIMED_OUT' });
            throw new CredwatchError('BLAST_RADIUS_TIMED_OUT', 'Blast radius unknown: the audit log query could not be found or created within 24 hours.');
          }
          continue;
        }
        const outcome = await pollMailAccessQuery(deps, query);
        if (!outcome.done) continue;
        const at = options.clock();
        settle((a) => {
          const b = a.blastRadius!;
          const radius = summarizeBlastRadius({
            appId: a.appId,
            ips: b.ips,
            from: b.from,
            to: b.to,
            records: outcome.records.records,
            unreadableRecords: outcome.records.unreadable,
            complete: outcome.complete,
          });
          return { ...b, at, status: 'known', radius };
        });
      } catch (e: unknown) {
        const err = toCredwatchError(e);
        run.logger.warn({ err, intentId }, 'blast radius unknown');
        const at = options.clock();
        settle((a) => unknown({ ...a.blastRadius!, at }, err));
      }
    }

    for (const a of current) {
      const status = (changed.get(a.alertId) ?? a).blastRadius?.status;
      if (status === 'pending') counts.pending += 1;
      else if (changed.has(a.alertId) && status === 'known') counts.known += 1;
      else if (changed.has(a.alertId) && status === 'unknown') counts.unknown += 1;
    }
    await commit(run, [...changed.values()]);
    return { sources: [], errors: [], counts };
  } catch (e: unknown) {
    const err = toCredwatchError(e);
    run.logger.error({ err }, 'blast-radius stage failed');
    return { sources: [], errors: [{ stage: 'blastRadius', code: err.code, message: err.message }], counts };
  }
}

/** Stores the changed alerts with the update round each may now be due, in one commit. */
async function commit(run: ReadingRun, alerts: readonly StoredAlert[]): Promise<void> {
  if (alerts.length === 0) return;
  const planned = alerts.map((a) =>
    planNotifications(a, run.channels, { now: run.now, renotifyAfterInMs: run.config.detection.renotifyAfterInHours * 3_600_000, rule: run.rule }),
  );
  await run.store.commitWindow({
    tenant: run.tenant.name,
    stream: 'blastRadius',
    watermark: undefined,
    seenIds: [],
    seenExpiresAt: run.seenExpiresAt,
    findings: [],
    alerts: planned.map((p) => p.alert),
    outbox: planned.flatMap((p) => p.entries),
    aggregates: [],
    learnedNetworks: [],
    snapshot: undefined,
  });
}
