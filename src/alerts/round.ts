/**
 * What an outbox entry stores: which notification round of which alert it is, not the message.
 * The message is rendered from the alert as stored when the entry is delivered (render.ts), so an
 * alert that grows after it was queued — the next page of the same scan, a later scan while the
 * receiver is down — goes out whole (docs/alerts.md, "Delivery semantics").
 */
import { SEVERITY_ORDER, type Severity } from '../events.js';
import type { NotifiedFacts } from '../state/types.js';
import { ALERT_SCHEMA, escalationOf, type AlertPayload, type RuleSummary } from './payload.js';

/** Schema of a round stored in an outbox entry; bump on any incompatible change. */
export const ROUND_SCHEMA = 'credwatch.round/v1';

/** Why a round was queued. */
export type RoundKind = 'first' | 'repeat' | 'escalation' | 'update';

/** One notification round of an alert, as an outbox entry keeps it. */
export interface Round {
  kind: RoundKind;
  /** The payload's `notification`: 0 first, then the alert's count when the round was queued. */
  notification: number;
  /** Only on an escalation: the severity it was last notified at. */
  escalatedFrom?: Severity;
  /** What receivers had been told before this round (absent on a first round): updates count from here. */
  before?: NotifiedFacts;
  /** The rule's text, kept so delivery needs no rule registry (the Functions delivery has none). */
  rule: RuleSummary;
}

/** The outbox entry's `payload` for a round. */
export function encodeRound(round: Round): string {
  return JSON.stringify({ schema: ROUND_SCHEMA, ...round });
}

/** A round read back from an entry; `frozen` is the whole payload an entry written before rounds held. */
export interface QueuedRound extends Round {
  frozen?: AlertPayload;
}

/**
 * Reads an entry's payload: a round, or — for entries queued by a credwatch that froze the
 * payload — the round that payload was, with the payload kept as the fallback when its alert is
 * not in the store. Undefined for anything else (marked failed, never guessed at).
 */
export function decodeRound(payload: string): QueuedRound | undefined {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null) return undefined;
  const o = json as Record<string, unknown>;
  if (o['schema'] === ROUND_SCHEMA) return readRound(o);
  if (o['schema'] === ALERT_SCHEMA && typeof o['alertId'] === 'string') return legacyRound(json as AlertPayload);
  return undefined;
}

const KINDS: ReadonlySet<string> = new Set<RoundKind>(['first', 'repeat', 'escalation', 'update']);

function readRound(o: Record<string, unknown>): QueuedRound | undefined {
  const { kind, notification, escalatedFrom, before, rule } = o;
  if (typeof kind !== 'string' || !KINDS.has(kind) || !Number.isSafeInteger(notification) || typeof rule !== 'object' || rule === null) return undefined;
  const round: QueuedRound = { kind: kind as RoundKind, notification: notification as number, rule: rule as RuleSummary };
  if (typeof escalatedFrom === 'string' && Object.hasOwn(SEVERITY_ORDER, escalatedFrom)) round.escalatedFrom = escalatedFrom as Severity;
  if (isFacts(before)) round.before = before;
  return round;
}

function isFacts(v: unknown): v is NotifiedFacts {
  if (typeof v !== 'object' || v === null) return false;
  const f = v as Record<string, unknown>;
  return Array.isArray(f['ips']) && Array.isArray(f['asns']) && Array.isArray(f['resources']) && typeof f['success'] === 'boolean';
}

/** The round a frozen payload was: its number and escalation say which; it knew nothing of updates. */
function legacyRound(payload: AlertPayload): QueuedRound {
  const escalatedFrom = escalationOf(payload);
  const notification = Number.isSafeInteger(payload.notification) ? payload.notification : 0;
  const kind: RoundKind = escalatedFrom ? 'escalation' : notification > 0 ? 'repeat' : 'first';
  const rule = typeof payload.rule === 'object' && payload.rule !== null ? payload.rule : undefined;
  return {
    kind,
    notification,
    ...(escalatedFrom ? { escalatedFrom } : {}),
    rule: rule ?? { id: '', title: '', description: '', mitre: [], runbook: [], falsePositives: [] },
    frozen: payload,
  };
}
