/**
 * What `purgeExpired` removes: expired seen ids, scan records past retention, and chunk
 * generations no pointer refers to (left by a crash between writing a value's chunks and
 * switching its pointer). The first two are counted, as the contract asks; orphaned chunks are
 * storage, not records, and are not.
 */
import type { TableClient } from '@azure/data-tables';
import { byPartition, deleteRows, mapLimit, BATCH_CONCURRENCY, queryRows, type Entity } from './azure-table-client.js';
import { generationOf, POINTER } from './azure-table-chunks.js';
import { jidMs } from './azure-table-journal.js';
import { doubleLiteral, msKey, SEP } from './azure-table-keys.js';

/**
 * Chunks younger than this may belong to a commit or cache write still in progress (written,
 * pointer not switched yet), so they are left alone.
 */
const ORPHAN_AGE_IN_MS = 3_600_000;

async function deleteAll(client: TableClient, rows: readonly Entity[]): Promise<number> {
  const groups = [...byPartition(rows, (r) => r.partitionKey ?? '')];
  const counts = await mapLimit(groups, BATCH_CONCURRENCY, ([pk, group]) =>
    deleteRows(
      client,
      pk,
      group.map((r) => r.rowKey ?? ''),
    ),
  );
  return counts.reduce((a, b) => a + b, 0);
}

/**
 * Deletes seen ids with `expiresAt <= now` in both layouts (azure-table-seen.ts): every seen row,
 * in a day partition or a hash bucket, holds its expiry in `e`. This scans the Seen table (Table
 * Storage has no index but the keys), which a daily purge can afford. The layout markers have no
 * `e`, so the filter never matches them (azure-table-seen-layout.ts). A transaction cannot delete
 * on condition, so an id re-committed between the scan and the delete may be forgotten early; it
 * is then judged again if read again, and findings and outbox entries are stored once by id
 * regardless.
 */
export async function purgeSeen(client: TableClient, nowMs: number): Promise<number> {
  const rows = await queryRows(client, `e le ${doubleLiteral(nowMs)}`, ['PartitionKey', 'RowKey']);
  return deleteAll(client, rows);
}

/** Deletes scan records that started before `cutoffMs` (their RowKey is the start time). */
export async function purgeScans(client: TableClient, cutoffMs: number): Promise<number> {
  const rows = await queryRows(client, `RowKey lt '${msKey(cutoffMs)}'`, ['PartitionKey', 'RowKey']);
  return deleteAll(client, rows);
}

/** Deletes chunk generations of a pointer table that no pointer refers to and that are old enough. */
export async function collectOrphanChunks(client: TableClient): Promise<void> {
  // Real time, not purgeExpired's `now`: generations are named after real time, and a simulated
  // clock running ahead must not make an in-progress write look abandoned.
  const nowMs = Date.now();
  const [chunks, pointers] = await Promise.all([
    queryRows(client, `RowKey ge 'c${SEP}' and RowKey lt 'c${SEP}${SEP}'`, ['PartitionKey', 'RowKey']),
    queryRows(client, `RowKey eq '${POINTER}'`, ['PartitionKey', 'gen']),
  ]);
  const live = new Set(pointers.map((p) => `${p.partitionKey ?? ''}${SEP}${generationOf(p) ?? ''}`));
  const orphans = chunks.filter((row) => {
    const gen = (row.rowKey ?? '').split(SEP)[1] ?? '';
    const bornMs = jidMs(gen);
    return !live.has(`${row.partitionKey ?? ''}${SEP}${gen}`) && bornMs !== undefined && bornMs < nowMs - ORPHAN_AGE_IN_MS;
  });
  await deleteAll(client, orphans);
}
