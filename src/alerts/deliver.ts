import { SEVERITY_ORDER, type Severity } from '../events.js';
import type { Logger } from '../logging.js';
import { toCredwatchError } from '../errors.js';
import { backoffDelay, type RetryPolicy } from '../graph/retry.js';
import type { StateStore } from '../state/types.js';
import type { Channel } from './channels/types.js';
import type { AlertPayload } from './payload.js';

function severityRank(payload: string): number {
  try {
    const severity = (JSON.parse(payload) as { severity?: Severity }).severity;
    return severity ? SEVERITY_ORDER[severity] : 0;
  } catch {
    return 0;
  }
}

/** Delivery retries go on across scans; the delay between attempts grows to an hour, never gives up. */
const DELIVERY_BACKOFF: RetryPolicy = { maxAttempts: Number.POSITIVE_INFINITY, baseDelayInMs: 30_000, maxBackoffInMs: 3_600_000, maxRetryAfterInMs: 86_400_000 };

export interface DeliverySummary {
  sent: number;
  retrying: number;
  failed: number;
  errors: Array<{ channel: string; alertId: string; code: string; message: string }>;
}

export interface DeliverDeps {
  store: StateStore;
  channels: ReadonlyMap<string, Channel>;
  now: () => Date;
  logger: Logger;
  random?: () => number;
}

/**
 * Sends every due outbox entry. An entry is marked sent only after its channel accepted it, so a
 * crash between the two sends it again on the next run (at least once; the alert id lets receivers
 * drop the repeat). Retryable failures wait with backoff; permanent ones are marked failed and
 * reported — never dropped silently.
 */
export async function deliverDue(deps: DeliverDeps, limit = 500): Promise<DeliverySummary> {
  const summary: DeliverySummary = { sent: 0, retrying: 0, failed: 0, errors: [] };
  // Most severe first: with a rate-limited channel (Teams ~4/s) the critical alert must not queue
  // behind a batch of posture findings.
  const due = (await deps.store.dueOutbox(deps.now(), limit)).map((entry) => ({ entry, rank: severityRank(entry.payload) }));
  due.sort((a, b) => b.rank - a.rank);
  for (const { entry } of due) {
    const channel = deps.channels.get(entry.channel);
    const attempts = entry.attempts + 1;
    if (!channel) {
      await deps.store.updateOutbox(entry.id, { status: 'failed', attempts, lastError: `channel "${entry.channel}" is not configured any more` });
      summary.failed += 1;
      continue;
    }
    try {
      await channel.send(JSON.parse(entry.payload) as AlertPayload);
      await deps.store.updateOutbox(entry.id, { status: 'sent', attempts, sentAt: deps.now(), lastError: undefined });
      summary.sent += 1;
    } catch (e: unknown) {
      const err = toCredwatchError(e);
      summary.errors.push({ channel: entry.channel, alertId: entry.alertId, code: err.code, message: err.message });
      if (err.retryable) {
        const requested = typeof err.details.retryAfterInMs === 'number' ? err.details.retryAfterInMs : undefined;
        const wait = requested ?? backoffDelay(attempts, DELIVERY_BACKOFF, deps.random);
        await deps.store.updateOutbox(entry.id, { attempts, nextAttemptAt: new Date(deps.now().getTime() + wait), lastError: `${err.code}: ${err.message}` });
        summary.retrying += 1;
        deps.logger.warn({ err, channel: entry.channel, alertId: entry.alertId, attempts, waitInMs: wait }, 'alert delivery will be retried');
      } else {
        await deps.store.updateOutbox(entry.id, { status: 'failed', attempts, lastError: `${err.code}: ${err.message}` });
        summary.failed += 1;
        deps.logger.error({ err, channel: entry.channel, alertId: entry.alertId }, 'alert delivery failed permanently');
      }
    }
  }
  return summary;
}
