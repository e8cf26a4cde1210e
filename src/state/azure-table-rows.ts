/**
 * The shared codecs' rows (the ones the memory and SQLite stores keep) as Table Storage entities:
 * keys that the read paths can range over, a few columns the service filters on, and the row itself
 * as JSON in `d`. Decoding goes back through the same codecs, so all stores round-trip alike.
 */
import type { TransactionAction } from '@azure/data-tables';
import type { AlertRow, FindingRow } from './codec-alerts.js';
import type { AggregateRow, LearnedNetworkRow } from './codec-rows.js';
import type { ScanRow } from './codec-scans.js';
import type { Entity, NewEntity } from './azure-table-client.js';
import type { CasItem } from './azure-table-cas.js';
import { joinKey, keyPart, msKey } from './azure-table-keys.js';
import { corrupt, double, packText, unpackText } from './azure-table-pack.js';
import { parseBody } from './validate.js';

/** The row as JSON in `d` (plain, or gzipped when long). */
export function dataColumns(row: object, what: string): Record<string, string | Uint8Array> {
  return packText('d', JSON.stringify(row), what);
}

/** The codec row stored in `d`; STATE_CORRUPT when it is not readable. */
export function rowOf<T>(entity: Entity, what: string): T {
  return parseBody<T>(unpackText(entity, 'd', what), what);
}

// Seen ids: see azure-table-seen.ts (re-exported, as the commit path imports them from here).

export { seenAt, seenItem, seenPartition } from './azure-table-seen.js';

// Findings: one partition per tenant; `i~<id>` marks an id as stored, `t~<ms>~<id>` holds the
// finding in time order. Both are written in one transaction, so the marker never lies.

export function findingsPartition(tenant: string): string {
  return keyPart(tenant);
}

export function findingTimeKey(ms: number): string {
  return joinKey('t', msKey(ms));
}

/** Inserts a finding unless its id is stored already (the first one stored wins). */
export function findingItem(row: FindingRow): CasItem {
  const pk = findingsPartition(row.tenant);
  const id = keyPart(row.finding_id);
  const marker: NewEntity = { partitionKey: pk, rowKey: joinKey('i', id) };
  const data: NewEntity = { partitionKey: pk, rowKey: joinKey(findingTimeKey(row.occurred_at_ms), id), ...dataColumns(row, `finding ${row.finding_id}`) };
  return {
    rowKey: marker.rowKey,
    plan: (current) =>
      current === undefined
        ? [
            ['create', marker],
            ['upsert', data, 'Replace'],
          ]
        : [],
  };
}

// Alerts: one partition per alert id (getAlerts has no tenant). `jid` orders versions, so a
// journal replayed late cannot put back an alert a later commit replaced.

export const ALERT_ROW = 'a';

export function alertEntityColumns(row: AlertRow, jid: string): Record<string, unknown> {
  return { tk: keyPart(row.tenant), f: double(row.first_seen_ms), l: double(row.last_seen_ms), jid, ...dataColumns(row, `alert ${row.alert_id}`) };
}

export function alertOf(entity: Entity, alertId: string): AlertRow {
  const row = rowOf<AlertRow>(entity, `alert ${alertId}`);
  if (row.alert_id !== alertId) throw corrupt(`the row for alert ${alertId} holds alert ${row.alert_id}`, 'alert');
  return row;
}

/** The journal id that wrote a versioned row ('' for none). */
export function jidOf(entity: Entity | undefined): string {
  const jid = entity?.['jid'];
  return typeof jid === 'string' ? jid : '';
}

// Aggregates: one row per tenant, day, app, network, verdict and commit. A commit's contribution
// is its own row, so replaying a journal rewrites it instead of adding it twice; reads sum.

export function aggregatesPartition(tenant: string): string {
  return keyPart(tenant);
}

export function aggregateAction(row: AggregateRow, jid: string): TransactionAction {
  const rowKey = joinKey(row.day, keyPart(row.app_id), keyPart(row.network), String(row.allowed + 1), jid);
  return ['upsert', { partitionKey: aggregatesPartition(row.tenant), rowKey, ...dataColumns(row, 'aggregate') }, 'Replace'];
}

/** The contributions summed per (day, app, network, verdict). */
export function sumAggregates(rows: readonly AggregateRow[]): AggregateRow[] {
  const sums = new Map<string, AggregateRow>();
  for (const r of rows) {
    const k = JSON.stringify([r.tenant, r.day, r.app_id, r.network, r.allowed]);
    const old = sums.get(k);
    sums.set(
      k,
      old === undefined
        ? { ...r }
        : { ...old, count: old.count + r.count, success_count: old.success_count + r.success_count, failure_count: old.failure_count + r.failure_count },
    );
  }
  return [...sums.values()];
}

// Learned networks: one partition per tenant and app, inserted only when absent.

export function learnedPartition(tenant: string, appId: string): string {
  return joinKey(keyPart(tenant), keyPart(appId));
}

export function learnedItem(row: LearnedNetworkRow): CasItem {
  const entity: NewEntity = { partitionKey: learnedPartition(row.tenant, row.app_id), rowKey: keyPart(row.network), ...dataColumns(row, 'learned network') };
  return { rowKey: entity.rowKey, plan: (current) => (current === undefined ? [['create', entity]] : []) };
}

// Scans: one partition per tenant, keyed by start time, so (tenant, startedAt) is the identity.

export function scanEntity(row: ScanRow): NewEntity {
  return { partitionKey: keyPart(row.tenant), rowKey: msKey(row.started_at_ms), ...dataColumns(row, `scan of ${row.tenant}`) };
}
