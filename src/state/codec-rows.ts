/**
 * The flat records (outbox, aggregates, learned networks, snapshots, cache) as stored rows, shared
 * by the memory and SQLite stores so both validate and round-trip identically. Dates are epoch
 * milliseconds; `null` stands for undefined.
 */
import type { CacheEntry, InventorySnapshot, LearnedNetwork, OutboxEntry, SignInAggregate, StateStore } from './types.js';
import { fromMs, fromOptionalMs, requireCount, requireDay, requireKey, requireStatus, toMs, toOptionalMs } from './validate.js';

/** A row of the `outbox` table. */
export interface OutboxRow {
  id: string;
  alert_id: string;
  tenant: string;
  channel: string;
  payload: string;
  status: OutboxEntry['status'];
  attempts: number;
  next_attempt_at_ms: number;
  last_error: string | null;
  created_at_ms: number;
  sent_at_ms: number | null;
}

/** `allowed` as an integer: SQLite treats NULLs in a key as distinct, so null gets a value of its own. */
export type AllowedCode = 1 | 0 | -1;

/** A row of the `aggregates` table. */
export interface AggregateRow {
  tenant: string;
  day: string;
  app_id: string;
  network: string;
  allowed: AllowedCode;
  count: number;
  success_count: number;
  failure_count: number;
}

/** A row of the `learned_networks` table. */
export interface LearnedNetworkRow {
  tenant: string;
  app_id: string;
  network: string;
  first_seen_ms: number;
}

/** A row of the `snapshots` table. */
export interface SnapshotRow {
  tenant: string;
  taken_at_ms: number;
  body: string;
}

/** A row of the `cache` table. */
export interface CacheRow {
  key: string;
  body: string;
  fetched_at_ms: number;
}

/** The patch `updateOutbox` accepts. */
export type OutboxPatch = Parameters<StateStore['updateOutbox']>[1];

export function encodeOutbox(e: OutboxEntry): OutboxRow {
  return {
    id: requireKey(e.id, 'outbox.id'),
    alert_id: requireKey(e.alertId, 'outbox.alertId'),
    tenant: requireKey(e.tenant, 'outbox.tenant'),
    channel: requireKey(e.channel, 'outbox.channel'),
    payload: e.payload,
    status: requireStatus(e.status, 'outbox.status'),
    attempts: requireCount(e.attempts, 'outbox.attempts'),
    next_attempt_at_ms: toMs(e.nextAttemptAt, 'outbox.nextAttemptAt'),
    last_error: e.lastError ?? null,
    created_at_ms: toMs(e.createdAt, 'outbox.createdAt'),
    sent_at_ms: toOptionalMs(e.sentAt, 'outbox.sentAt'),
  };
}

export function decodeOutbox(r: OutboxRow): OutboxEntry {
  return {
    id: r.id,
    alertId: r.alert_id,
    tenant: r.tenant,
    channel: r.channel,
    payload: r.payload,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: fromMs(r.next_attempt_at_ms),
    lastError: r.last_error ?? undefined,
    createdAt: fromMs(r.created_at_ms),
    sentAt: fromOptionalMs(r.sent_at_ms),
  };
}

/**
 * The row after a patch, or undefined when the patch must be ignored. A key present in the patch
 * sets that field (`lastError: undefined` clears it); `undefined` for a required field is ignored.
 * `sent` is final: a slower second worker whose delivery failed must not put an entry that another
 * worker already delivered back to pending, or the alert would be sent again.
 */
export function applyOutboxPatch(row: OutboxRow, patch: OutboxPatch): OutboxRow | undefined {
  if (row.status === 'sent') return undefined;
  const next: OutboxRow = { ...row };
  if (patch.status !== undefined) next.status = requireStatus(patch.status, 'patch.status');
  if (patch.attempts !== undefined) next.attempts = requireCount(patch.attempts, 'patch.attempts');
  if (patch.nextAttemptAt !== undefined) next.next_attempt_at_ms = toMs(patch.nextAttemptAt, 'patch.nextAttemptAt');
  if ('lastError' in patch) next.last_error = patch.lastError ?? null;
  if ('sentAt' in patch) next.sent_at_ms = toOptionalMs(patch.sentAt, 'patch.sentAt');
  return next;
}

function allowedCode(allowed: boolean | null): AllowedCode {
  return allowed === null ? -1 : allowed ? 1 : 0;
}

export function encodeAggregate(a: SignInAggregate): AggregateRow {
  return {
    tenant: requireKey(a.tenant, 'aggregate.tenant'),
    day: requireDay(a.day, 'aggregate.day'),
    app_id: requireKey(a.appId, 'aggregate.appId'),
    network: requireKey(a.network, 'aggregate.network'),
    allowed: allowedCode(a.allowed),
    count: requireCount(a.count, 'aggregate.count'),
    success_count: requireCount(a.successCount, 'aggregate.successCount'),
    failure_count: requireCount(a.failureCount, 'aggregate.failureCount'),
  };
}

export function decodeAggregate(r: AggregateRow): SignInAggregate {
  return {
    tenant: r.tenant,
    day: r.day,
    appId: r.app_id,
    network: r.network,
    allowed: r.allowed === -1 ? null : r.allowed === 1,
    count: r.count,
    successCount: r.success_count,
    failureCount: r.failure_count,
  };
}

export function encodeLearnedNetwork(n: LearnedNetwork): LearnedNetworkRow {
  return {
    tenant: requireKey(n.tenant, 'learnedNetwork.tenant'),
    app_id: requireKey(n.appId, 'learnedNetwork.appId'),
    network: requireKey(n.network, 'learnedNetwork.network'),
    first_seen_ms: toMs(n.firstSeen, 'learnedNetwork.firstSeen'),
  };
}

export function decodeLearnedNetwork(r: LearnedNetworkRow): LearnedNetwork {
  return { tenant: r.tenant, appId: r.app_id, network: r.network, firstSeen: fromMs(r.first_seen_ms) };
}

export function encodeSnapshot(s: InventorySnapshot): SnapshotRow {
  return { tenant: requireKey(s.tenant, 'snapshot.tenant'), taken_at_ms: toMs(s.takenAt, 'snapshot.takenAt'), body: s.json };
}

export function decodeSnapshot(r: SnapshotRow): InventorySnapshot {
  return { tenant: r.tenant, takenAt: fromMs(r.taken_at_ms), json: r.body };
}

export function encodeCache(key: string, e: CacheEntry): CacheRow {
  return { key: requireKey(key, 'cache key'), body: e.body, fetched_at_ms: toMs(e.fetchedAt, 'cache.fetchedAt') };
}

export function decodeCache(r: CacheRow): CacheEntry {
  return { body: r.body, fetchedAt: fromMs(r.fetched_at_ms) };
}
