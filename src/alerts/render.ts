/**
 * Turns due outbox entries into messages at delivery time: each from its alert as stored now
 * (docs/alerts.md, "Delivery semantics"), and the rounds of one alert pending for one channel as
 * one message, so a receiver that was down hears of the alert once, as it stands.
 */
import { SEVERITY_ORDER, type Severity } from '../events.js';
import type { OutboxEntry, StateStore, StoredAlert } from '../state/types.js';
import { NOTHING_TOLD, newSince } from './facts.js';
import { toPayload, type AlertPayload } from './payload.js';
import { decodeRound, type QueuedRound } from './round.js';

/** One message to send: the entries it stands for (all marked with its outcome) and what to send. */
export interface Message {
  entries: OutboxEntry[];
  payload: AlertPayload;
}

/** Entries that cannot become a message, with the reason they are marked failed. */
export interface Undeliverable {
  entry: OutboxEntry;
  reason: string;
}

/**
 * The messages for `due` (in the order given, by each message's first entry). Entries whose
 * payload is unreadable, or whose round needs an alert the store does not hold, are undeliverable.
 */
export async function prepareMessages(store: StateStore, due: readonly OutboxEntry[]): Promise<{ messages: Message[]; undeliverable: Undeliverable[] }> {
  const undeliverable: Undeliverable[] = [];
  const groups = new Map<string, Array<{ entry: OutboxEntry; round: QueuedRound }>>();
  for (const entry of due) {
    const round = decodeRound(entry.payload);
    if (round === undefined) {
      undeliverable.push({ entry, reason: 'unreadable payload' });
      continue;
    }
    // JSON keys cannot collide the way a joined string of two free-form names could.
    const key = JSON.stringify([entry.channel, entry.alertId]);
    groups.set(key, [...(groups.get(key) ?? []), { entry, round }]);
  }
  const alerts = new Map((await store.getAlerts([...new Set(due.map((e) => e.alertId))])).map((a) => [a.alertId, a]));
  const messages: Message[] = [];
  for (const group of groups.values()) {
    const entries = group.map((g) => g.entry);
    const rounds = group.map((g) => g.round);
    const alert = alerts.get(entries[0]!.alertId);
    const payload = alert ? renderRounds(alert, rounds) : latest(rounds).frozen;
    if (payload) messages.push({ entries, payload });
    else for (const entry of entries) undeliverable.push({ entry, reason: `alert ${entry.alertId} is not in the state store` });
  }
  return { messages, undeliverable };
}

/** The round queued last (the highest number; rounds only grow). */
function latest(rounds: readonly QueuedRound[]): QueuedRound {
  return rounds.reduce((a, b) => (b.notification > a.notification ? b : a));
}

/**
 * One message for the pending rounds of an alert on one channel, rendered from the alert as stored.
 * It takes the newest round's number, so a receiver that already stored an older round (a crash
 * after it accepted) still takes this one; it says "escalated" if any round was an escalation,
 * and what is new counting from what the receiver was told before the oldest of them.
 */
export function renderRounds(alert: StoredAlert, rounds: readonly QueuedRound[]): AlertPayload {
  const newest = latest(rounds);
  const oldest = rounds.reduce((a, b) => (b.notification < a.notification ? b : a));
  const rule = newest.rule.id ? newest.rule : { ...newest.rule, id: alert.ruleId, title: alert.ruleId };
  const payload = toPayload(alert, rule, newest.notification);
  const escalatedFrom = lowest(rounds.flatMap((r) => (r.escalatedFrom ? [r.escalatedFrom] : [])));
  if (escalatedFrom !== undefined && SEVERITY_ORDER[escalatedFrom] < SEVERITY_ORDER[alert.severity]) payload.escalatedFrom = escalatedFrom;
  if (rounds.some((r) => r.kind === 'update')) {
    // A first round still pending means the receiver was told nothing: everything is new to it.
    const before = oldest.kind === 'first' ? NOTHING_TOLD : (oldest.before ?? newest.before ?? NOTHING_TOLD);
    const update = newSince(before, alert);
    if (update) payload.update = update;
  }
  return payload;
}

function lowest(severities: readonly Severity[]): Severity | undefined {
  return severities.reduce<Severity | undefined>((a, b) => (a === undefined || SEVERITY_ORDER[b] < SEVERITY_ORDER[a] ? b : a), undefined);
}
