/**
 * The outbox in one partition: `i~<id>` is the entry, and `p~<id>` a copy that exists exactly
 * while the entry is pending, so `dueOutbox` reads the pending entries instead of every entry ever
 * sent. Both rows change in one transaction conditioned on the entry's etag, which keeps them in
 * step and makes `sent` final even when two workers patch the same entry at once.
 */
import type { TableClient, TransactionAction } from '@azure/data-tables';
import { applyOutboxPatch, decodeOutbox, type OutboxPatch, type OutboxRow } from './codec-rows.js';
import { backoff, MAX_ATTEMPTS, type CasItem } from './azure-table-cas.js';
import { getRow, isConflict, mapLimit, queryRows, READ_CONCURRENCY, type Entity, type NewEntity } from './azure-table-client.js';
import { contention } from './azure-table-errors.js';
import { eqFilter, joinKey, keyPart, prefixFilter } from './azure-table-keys.js';
import { corrupt, double } from './azure-table-pack.js';
import { dataColumns, rowOf } from './azure-table-rows.js';
import { byKeys } from './order.js';
import type { OutboxEntry, OutboxStatus } from './types.js';
import { invalidInput } from './validate.js';

/** Every entry in one partition: updateOutbox and dueOutbox know no tenant. */
export const OUTBOX_PARTITION = 'outbox';
const PK = OUTBOX_PARTITION;
const ENTRY = 'i';
const PENDING = 'p';

function entryEntity(row: OutboxRow): NewEntity {
  return {
    partitionKey: PK,
    rowKey: joinKey(ENTRY, keyPart(row.id)),
    tk: keyPart(row.tenant),
    status: row.status,
    ...dataColumns(row, `outbox entry ${row.id}`),
  };
}

function pendingEntity(row: OutboxRow): NewEntity {
  return { partitionKey: PK, rowKey: joinKey(PENDING, keyPart(row.id)), tk: keyPart(row.tenant), ...dataColumns(row, `outbox entry ${row.id}`) };
}

function entryOf(entity: Entity, id?: string): OutboxRow {
  const row = rowOf<OutboxRow>(entity, `outbox entry ${id ?? entity.rowKey ?? ''}`);
  if (id !== undefined && row.id !== id) throw corrupt(`the row for outbox entry ${id} holds entry ${row.id}`, 'outbox entry');
  return row;
}

/** Inserts an entry unless its id exists, whatever its status (a sent entry is never re-queued). */
export function outboxInsertItem(row: OutboxRow): CasItem {
  const entry = entryEntity(row);
  const actions: TransactionAction[] = [['create', entry]];
  if (row.status === 'pending') actions.push(['upsert', pendingEntity(row), 'Replace']);
  return { rowKey: entry.rowKey, plan: (current) => (current === undefined ? actions : []) };
}

/** Patches an entry; the patch is ignored once the entry is sent. */
export async function updateOutboxEntry(client: TableClient, id: string, patch: OutboxPatch): Promise<void> {
  const rk = joinKey(ENTRY, keyPart(id));
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const current = await getRow(client, PK, rk);
    if (current === undefined) throw invalidInput(`outbox entry ${id} does not exist`, { id });
    const row = entryOf(current, id);
    const next = applyOutboxPatch(row, patch);
    if (next === undefined) return;
    const actions: TransactionAction[] = [['update', entryEntity(next), 'Replace', { etag: current.etag }]];
    if (next.status === 'pending') actions.push(['upsert', pendingEntity(next), 'Replace']);
    else if (row.status === 'pending') actions.push(['delete', { partitionKey: PK, rowKey: joinKey(PENDING, keyPart(id)) }]);
    try {
      await client.submitTransaction(actions);
      return;
    } catch (e: unknown) {
      if (!isConflict(e)) throw e;
      await backoff(attempt);
    }
  }
  throw contention(`updating outbox entry ${id}`, MAX_ATTEMPTS);
}

/** The end of an entry's delivery claim, in epoch ms, kept beside the row (`Replace` by any patch drops it). */
const CLAIM = 'claimedUntil';

/**
 * Claims one pending, unclaimed (or claim expired at `nowMs`) entry until `untilMs`, with a write
 * conditioned on the etag read: of two claimants, the second's write fails with 412 and it reads
 * the first one's claim on its next look.
 */
async function claimEntry(client: TableClient, id: string, nowMs: number, untilMs: number): Promise<boolean> {
  const rk = joinKey(ENTRY, keyPart(id));
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const current = await getRow(client, PK, rk);
    if (current === undefined || entryOf(current, id).status !== 'pending') return false;
    const claimedUntil = current[CLAIM];
    if (typeof claimedUntil === 'number' && claimedUntil > nowMs) return false;
    try {
      await client.updateEntity({ partitionKey: PK, rowKey: rk, [CLAIM]: double(untilMs) }, 'Merge', { etag: current.etag });
      return true;
    } catch (e: unknown) {
      if (!isConflict(e)) throw e;
      await backoff(attempt);
    }
  }
  throw contention(`claiming outbox entry ${id}`, MAX_ATTEMPTS);
}

/** The ids among `ids` this call claimed, in the order given. */
export async function claimOutboxEntries(client: TableClient, ids: readonly string[], nowMs: number, untilMs: number): Promise<string[]> {
  const claimed = await mapLimit(ids, READ_CONCURRENCY, (id) => claimEntry(client, id, nowMs, untilMs));
  return ids.filter((_, i) => claimed[i]);
}

const oldestFirst = byKeys<OutboxRow>((r) => [r.created_at_ms, r.id]);

/** Pending entries due at `nowMs` (of `tenant` when given), oldest first, at most `limit`. */
export async function dueOutboxEntries(client: TableClient, nowMs: number, limit: number, tenant: string | undefined): Promise<OutboxEntry[]> {
  let filter = prefixFilter(PK, PENDING);
  if (tenant !== undefined) filter += ` and ${eqFilter('tk', keyPart(tenant))}`;
  const pending = (await queryRows(client, filter)).map((e) => entryOf(e));
  return pending
    .filter((r) => r.status === 'pending' && r.next_attempt_at_ms <= nowMs && (tenant === undefined || r.tenant === tenant))
    .sort(oldestFirst)
    .slice(0, limit)
    .map(decodeOutbox);
}

/** Entries by tenant and status (undefined = any), oldest first. */
export async function listOutboxEntries(client: TableClient, tenant: string | undefined, status: OutboxStatus | undefined): Promise<OutboxEntry[]> {
  let filter = prefixFilter(PK, ENTRY);
  if (tenant !== undefined) filter += ` and ${eqFilter('tk', keyPart(tenant))}`;
  if (status !== undefined) filter += ` and ${eqFilter('status', status)}`;
  const rows = (await queryRows(client, filter)).map((e) => entryOf(e));
  return rows
    .filter((r) => (tenant === undefined || r.tenant === tenant) && (status === undefined || r.status === status))
    .sort(oldestFirst)
    .map(decodeOutbox);
}
