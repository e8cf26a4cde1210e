/**
 * Audit log query records (docs/blast-radius.md) as every store keeps them: a few key columns and
 * the whole record as JSON, validated once here so the three stores refuse the same input.
 */
import type { AuditQueryPatch, AuditQueryRecord, AuditQueryState } from './types.js';
import { fromMs, invalidInput, parseBody, requireKey, toMs } from './validate.js';

const STATES: ReadonlySet<string> = new Set<AuditQueryState>([
  'requested',
  'notStarted',
  'running',
  'succeeded',
  'failed',
  'cancelled',
  'unknownFutureValue',
  'abandoned',
]);

/** The columns every store indexes by, and the record as JSON. */
export interface AuditQueryRow {
  tenant: string;
  intent_id: string;
  app_id: string;
  /** UTC day of requestedAt, `YYYY-MM-DD`: the daily cap's bucket. */
  day: string;
  requested_at_ms: number;
  body: string;
}

interface Body {
  appId: string;
  ips: string[];
  fromMs: number;
  toMs: number;
  displayName: string;
  requestedAtMs: number;
  queryId: string | null;
  state: AuditQueryState;
  updatedAtMs: number;
  lastError: string | null;
}

/** `YYYY-MM-DD` of `ms` in UTC. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function requireState(value: AuditQueryState): AuditQueryState {
  if (!STATES.has(value)) throw invalidInput(`audit query state ${String(value)} is not one credwatch stores`, { state: value });
  return value;
}

/** The row of a record; STATE_INVALID_INPUT for anything a store must not keep. */
export function encodeAuditQuery(record: AuditQueryRecord): AuditQueryRow {
  requireKey(record.tenant, 'tenant');
  requireKey(record.intentId, 'intentId');
  requireKey(record.appId, 'appId');
  requireKey(record.displayName, 'displayName');
  if (!Array.isArray(record.ips) || record.ips.some((ip) => typeof ip !== 'string' || ip === '')) throw invalidInput('ips must be non-empty strings');
  const fromValue = toMs(record.from, 'from');
  const toValue = toMs(record.to, 'to');
  if (toValue <= fromValue) throw invalidInput('an audit query window must end after it starts', { intentId: record.intentId });
  if (record.queryId !== undefined) requireKey(record.queryId, 'queryId');
  const requestedAtMs = toMs(record.requestedAt, 'requestedAt');
  const body: Body = {
    appId: record.appId,
    ips: [...record.ips],
    fromMs: fromValue,
    toMs: toValue,
    displayName: record.displayName,
    requestedAtMs,
    queryId: record.queryId ?? null,
    state: requireState(record.state),
    updatedAtMs: toMs(record.updatedAt, 'updatedAt'),
    lastError: record.lastError ?? null,
  };
  return {
    tenant: record.tenant,
    intent_id: record.intentId,
    app_id: record.appId,
    day: utcDay(requestedAtMs),
    requested_at_ms: requestedAtMs,
    body: JSON.stringify(body),
  };
}

/** The record of a row. */
export function decodeAuditQuery(row: Pick<AuditQueryRow, 'tenant' | 'intent_id' | 'body'>): AuditQueryRecord {
  const b = parseBody<Body>(row.body, `audit query ${row.intent_id}`);
  return {
    tenant: row.tenant,
    intentId: row.intent_id,
    appId: b.appId,
    ips: [...b.ips],
    from: fromMs(b.fromMs),
    to: fromMs(b.toMs),
    displayName: b.displayName,
    requestedAt: fromMs(b.requestedAtMs),
    queryId: b.queryId ?? undefined,
    state: b.state,
    updatedAt: fromMs(b.updatedAtMs),
    lastError: b.lastError ?? undefined,
  };
}

/** The row after `patch` (validated like a new record). */
export function patchAuditQuery(row: AuditQueryRow, patch: AuditQueryPatch): AuditQueryRow {
  const current = decodeAuditQuery(row);
  const next: AuditQueryRecord = { ...current };
  if ('queryId' in patch) next.queryId = patch.queryId;
  if (patch.state !== undefined) next.state = patch.state;
  if (patch.updatedAt !== undefined) next.updatedAt = patch.updatedAt;
  if ('lastError' in patch) next.lastError = patch.lastError;
  return encodeAuditQuery(next);
}

/** Whether a cap is a usable count (a whole number ≥ 0). */
export function requireCap(cap: number): number {
  if (!Number.isInteger(cap) || cap < 0) throw invalidInput(`dailyCap must be a whole number ≥ 0, got ${String(cap)}`);
  return cap;
}
