import { SEVERITY_ORDER } from '../events.js';
import type { Logger } from '../logging.js';
import { toCredwatchError } from '../errors.js';
import { backoffDelay, type RetryPolicy } from '../graph/retry.js';
import { redact } from '../redact.js';
import type { OutboxEntry, StateStore } from '../state/types.js';
import type { Channel } from './channels/types.js';
import { claimMessages } from './claim.js';
import type { AlertPayload } from './payload.js';
import { prepareMessages, type Message } from './render.js';

/** Delivery retries go on across scans; the delay between attempts grows to an hour, never gives up. */
const DELIVERY_BACKOFF: RetryPolicy = {
  maxAttempts: Number.POSITIVE_INFINITY,
  baseDelayInMs: 30_000,
  maxBackoffInMs: 3_600_000,
  maxRetryAfterInMs: 86_400_000,
};

/** What one delivery run did, counted in outbox entries (a message can stand for several). */
export interface DeliverySummary {
  sent: number;
  retrying: number;
  failed: number;
  errors: Array<{ channel: string; alertId: string; code: string; message: string }>;
}

/** What {@link deliverDue} reads, sends with and logs to. */
export interface DeliverDeps {
  store: StateStore;
  channels: ReadonlyMap<string, Channel>;
  now: () => Date;
  logger: Logger;
  random?: () => number;
  /** Deliver only this tenant's entries (parallel per-tenant workers must not send each other's). */
  tenant?: string;
}

/**
 * Sends every due outbox entry, each rendered from its alert as stored now (render.ts), the
 * pending rounds of one alert on one channel as one message. Each message's entries are claimed in
 * the store just before sending (claim.ts), so a second deliverer on the same store skips them.
 * Entries are marked sent only after their channel accepted the message, so a crash between the
 * two sends it again once its claim ran out (at least once; the alert id and round let receivers
 * drop the repeat). Retryable failures wait
 * with backoff; permanent ones are marked failed and reported — never dropped silently.
 */
export async function deliverDue(deps: DeliverDeps, limit = 500): Promise<DeliverySummary> {
  const summary: DeliverySummary = { sent: 0, retrying: 0, failed: 0, errors: [] };
  const { messages: due, undeliverable } = await prepareMessages(
    deps.store,
    await withWaitingRounds(deps, await deps.store.dueOutbox(deps.now(), limit, deps.tenant)),
  );
  for (const { entry, reason } of undeliverable) {
    await deps.store.updateOutbox(entry.id, { status: 'failed', attempts: entry.attempts + 1, lastError: reason });
    summary.failed += 1;
  }
  // Most severe first: with a rate-limited channel (Teams ~4/s) the critical alert must not queue
  // behind a batch of posture findings.
  due.sort((a, b) => rank(b.payload) - rank(a.payload));
  const byChannel = new Map<string, Message[]>();
  for (const m of due) byChannel.set(channelOf(m), [...(byChannel.get(channelOf(m)) ?? []), m]);
  // A flood of non-critical alerts on a channel that can digest becomes one message, sent last.
  const digests = new Map<string, Message[]>();
  for (const [name, items] of byChannel) {
    const channel = deps.channels.get(name);
    const rest = items.filter((m) => m.payload.severity !== 'critical');
    if (channel?.sendDigest && rest.length > (channel.digestThreshold ?? 10)) digests.set(name, rest);
  }
  // Everything else one by one, most severe first across channels: a critical alert reaches every
  // channel before any lower one goes anywhere.
  for (const item of due) {
    const name = channelOf(item);
    if (digests.get(name)?.includes(item)) continue;
    const channel = deps.channels.get(name);
    if (!channel) {
      for (const entry of item.entries) {
        await deps.store.updateOutbox(entry.id, { status: 'failed', attempts: entry.attempts + 1, lastError: `channel "${name}" is not configured any more` });
        summary.failed += 1;
      }
      continue;
    }
    await deliverBatch(deps, channel, [item], summary, (c, [p]) => c.send(p!));
  }
  for (const [name, items] of digests) {
    const channel = deps.channels.get(name)!;
    await deliverBatch(deps, channel, items, summary, (c, payloads) => c.sendDigest!(payloads));
  }
  return summary;
}

/** Past any retry a store can hold: `dueOutbox` up to here lists every pending entry. */
const END_OF_TIME = new Date(8_640_000_000_000_000);
/** How many pending entries are looked through for rounds still waiting out a retry. */
const WAITING_LOOKAHEAD = 5_000;

/**
 * `due` plus the pending rounds of the same alerts and channels that are still waiting out a
 * retry. A round that failed and waits for its backoff would otherwise go out after a newer round
 * of the same alert was sent, as a second message with nothing the first did not say; sending it
 * with the due one keeps one message per alert and channel (docs/alerts.md, "Delivery semantics").
 */
async function withWaitingRounds(deps: DeliverDeps, due: OutboxEntry[]): Promise<OutboxEntry[]> {
  if (due.length === 0) return due;
  const pairOf = (e: OutboxEntry) => JSON.stringify([e.channel, e.alertId]);
  const pairs = new Set(due.map(pairOf));
  const ids = new Set(due.map((e) => e.id));
  const pending = await deps.store.dueOutbox(END_OF_TIME, WAITING_LOOKAHEAD, deps.tenant);
  return [...due, ...pending.filter((e) => !ids.has(e.id) && pairs.has(pairOf(e)))];
}

function channelOf(message: Message): string {
  return message.entries[0]!.channel;
}

/** Sends one message for the given items and records the outcome on every entry behind them. */
async function deliverBatch(
  deps: DeliverDeps,
  channel: Channel,
  items: readonly Message[],
  summary: DeliverySummary,
  send: (c: Channel, payloads: AlertPayload[]) => Promise<void>,
): Promise<void> {
  const ours = await claimMessages(deps.store, items, deps.now());
  if (ours.length === 0) return;
  if (ours.length < items.length)
    deps.logger.info({ channel: channel.name, messages: items.length - ours.length }, 'another deliverer is sending some of these alerts');
  const entries = ours.flatMap((m) => m.entries);
  try {
    await send(
      channel,
      ours.map((m) => m.payload),
    );
    for (const entry of entries)
      await deps.store.updateOutbox(entry.id, { status: 'sent', attempts: entry.attempts + 1, sentAt: deps.now(), lastError: undefined });
    summary.sent += entries.length;
  } catch (e: unknown) {
    const err = toCredwatchError(e);
    // Channels redact their own errors with the secrets they hold; this catches, by shape, a token
    // in the error of any channel before it is stored in the outbox and printed in the summary.
    const message = redact(err.message);
    for (const entry of entries) {
      const attempts = entry.attempts + 1;
      summary.errors.push({ channel: entry.channel, alertId: entry.alertId, code: err.code, message });
      if (err.retryable) {
        const requested = typeof err.details.retryAfterInMs === 'number' ? err.details.retryAfterInMs : undefined;
        const wait = requested ?? backoffDelay(attempts, DELIVERY_BACKOFF, deps.random);
        await deps.store.updateOutbox(entry.id, { attempts, nextAttemptAt: new Date(deps.now().getTime() + wait), lastError: `${err.code}: ${message}` });
        summary.retrying += 1;
      } else {
        await deps.store.updateOutbox(entry.id, { status: 'failed', attempts, lastError: `${err.code}: ${message}` });
        summary.failed += 1;
      }
    }
    if (err.retryable) deps.logger.warn({ err, channel: channel.name, alerts: ours.length }, 'alert delivery will be retried');
    else deps.logger.error({ err, channel: channel.name, alerts: ours.length }, 'alert delivery failed permanently');
  }
}

function rank(payload: AlertPayload): number {
  return SEVERITY_ORDER[payload.severity] ?? 0;
}
