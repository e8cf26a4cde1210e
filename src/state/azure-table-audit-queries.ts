/**
 * Audit log query rows in Table Storage (docs/blast-radius.md). One partition per tenant holds the
 * intents (`q~<intent>`) and one counter per UTC day (`d~<day>`). Reserving reads both and writes
 * both in ONE entity-group transaction — the intent created only if absent, the counter replaced
 * only at the version read — so two processes cannot both store an intent or both take the last
 * query of the day; the loser's transaction fails whole (409/412), and it reads and decides again.
 * See https://learn.microsoft.com/rest/api/storageservices/performing-entity-group-transactions.
 */
import type { TableClient } from '@azure/data-tables';
import { decodeAuditQuery, encodeAuditQuery, patchAuditQuery, requireCap, type AuditQueryRow } from './codec-audit-queries.js';
import { backoff, MAX_ATTEMPTS, writeOver } from './azure-table-cas.js';
import { getRow, isConflict, queryRows, type Entity, type NewEntity } from './azure-table-client.js';
import { contention } from './azure-table-errors.js';
import { keyPart, SEP } from './azure-table-keys.js';
import type { AuditQueryPatch, AuditQueryRecord, AuditQueryReservation } from './types.js';
import { invalidInput } from './validate.js';

const intentKey = (intentId: string): string => `q${SEP}${keyPart(intentId)}`;
const dayKey = (day: string): string => `d${SEP}${day}`;

function entityOf(row: AuditQueryRow): NewEntity {
  return {
    partitionKey: keyPart(row.tenant),
    rowKey: intentKey(row.intent_id),
    tenant: row.tenant,
    intentId: row.intent_id,
    appId: row.app_id,
    day: row.day,
    requestedAtMs: row.requested_at_ms,
    body: row.body,
  };
}

function rowOf(e: Entity): AuditQueryRow {
  const text = (name: string): string => {
    const v = e[name];
    if (typeof v !== 'string') throw invalidInput(`audit query row ${e.partitionKey}/${e.rowKey} has no ${name}`);
    return v;
  };
  return {
    tenant: text('tenant'),
    intent_id: text('intentId'),
    app_id: text('appId'),
    day: text('day'),
    requested_at_ms: Number(e['requestedAtMs']),
    body: text('body'),
  };
}

function countOf(e: Entity | undefined): number {
  const n = Number(e?.['count'] ?? 0);
  return Number.isFinite(n) ? n : 0;
}

export async function reserveTableAuditQuery(client: TableClient, record: AuditQueryRecord, dailyCap: number): Promise<AuditQueryReservation> {
  const row = encodeAuditQuery(record);
  requireCap(dailyCap);
  const pk = keyPart(row.tenant);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const existing = await getRow(client, pk, intentKey(row.intent_id));
    if (existing !== undefined) return { reserved: false, existing: decodeAuditQuery(rowOf(existing)) };
    const counter = await getRow(client, pk, dayKey(row.day));
    const countToday = countOf(counter);
    if (countToday >= dailyCap) return { reserved: false, capReached: true, countToday };
    try {
      await client.submitTransaction([
        ['create', entityOf(row)],
        writeOver({ partitionKey: pk, rowKey: dayKey(row.day), tenant: row.tenant, count: countToday + 1 }, counter),
      ]);
      return { reserved: true };
    } catch (e: unknown) {
      if (!isConflict(e)) throw e;
      await backoff(attempt);
    }
  }
  throw contention(`reserving audit query ${row.intent_id}`, MAX_ATTEMPTS);
}

export async function updateTableAuditQuery(client: TableClient, tenant: string, intentId: string, patch: AuditQueryPatch): Promise<void> {
  const pk = keyPart(tenant);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const current = await getRow(client, pk, intentKey(intentId));
    if (current === undefined) throw invalidInput(`audit query ${intentId} of ${tenant} does not exist`, { tenant, intentId });
    try {
      await client.updateEntity(entityOf(patchAuditQuery(rowOf(current), patch)), 'Replace', { etag: current.etag });
      return;
    } catch (e: unknown) {
      if (!isConflict(e)) throw e;
      await backoff(attempt);
    }
  }
  throw contention(`updating audit query ${intentId}`, MAX_ATTEMPTS);
}

export async function listTableAuditQueries(client: TableClient, tenant: string, appId: string): Promise<AuditQueryRecord[]> {
  const pk = keyPart(tenant);
  // Every intent row key starts `q~`; `q~~` sorts after all of them (keyPart never emits `~`).
  const rows = await queryRows(client, `PartitionKey eq '${pk}' and RowKey ge 'q${SEP}' and RowKey lt 'q${SEP}${SEP}'`);
  return rows
    .map(rowOf)
    .filter((r) => r.app_id === appId)
    .sort((a, b) => a.requested_at_ms - b.requested_at_ms || (a.intent_id < b.intent_id ? -1 : a.intent_id > b.intent_id ? 1 : 0))
    .map(decodeAuditQuery);
}
