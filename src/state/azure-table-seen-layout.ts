/**
 * Whether a time-keyed seen id may also be in the hashed layout, where releases before the time
 * layout (azure-table-seen.ts) stored every id, and up to which time.
 *
 * The answer is a marker row per tenant and stream in the Seen table (PartitionKey
 * `<tenant>~<stream>~layout`, RowKey `seen`), decided once, by whichever process first misses a
 * time-keyed id of that tenant and stream in its day partition, and never changed, so each process
 * reads it once and keeps it. Deciding reads the hashed partitions for a time-keyed RowKey (13
 * digits and `:`): one range query each, served from the partition's index, stopping at the first
 * such row. Only an older release writes a time-keyed id there, so:
 *   - none found: `old` false, and no time-keyed id is ever looked up in the hashed layout. A new
 *     store (no seen ids at all, so no old layout possible) lands here, and so does a tenant first
 *     scanned after an upgrade: neither ever pays for a second look-up;
 *   - some found: `old` true and `until` = the later of the real clock and the store's clock, plus
 *     SWITCH_MARGIN_MS. An older release stored ids of sign-ins it had already read, created
 *     before it wrote them, and it wrote them before this release ran. So an id whose 13-digit time
 *     is after `until` is looked up in its day partition only; an older one there first, and in its
 *     hash bucket only when the day partition does not have it unexpired: the overlap of the scans
 *     right after the upgrade, until their windows move past `until`.
 * Per tenant and stream rather than per store: the check then reads 16 partitions' indexes instead
 * of scanning the whole table, and a tenant added to an upgraded store has nothing to check.
 *
 * Two processes deciding at once both insert the marker; Table Storage refuses the second insert
 * with 409 (https://learn.microsoft.com/rest/api/storageservices/insert-entity), and the loser
 * reads and uses the winner's answer. Either answer is right for both: "none" stays true because
 * this release never writes a time-keyed id to the hashed layout, and either `until` covers every
 * older write. What it cannot see is an older release still writing after the switch (a mixed
 * deployment); the margin covers a worker finishing the scan it started before the switch (its
 * tenant lease lasts 35 minutes, docs/state.md) and clock skew, and longer is unsupported, as a
 * downgrade is. The marker has no expiry column, so the purge (filter `e le now`) never removes it.
 */
import type { TableClient } from '@azure/data-tables';
import { getRow, mapLimit, READ_CONCURRENCY, statusOf, type Entity } from './azure-table-client.js';
import { joinKey, keyPart, rangeFilter } from './azure-table-keys.js';
import { corrupt, double, numberColumn } from './azure-table-pack.js';
import { hashedPartitions } from './azure-table-seen.js';

/** Beyond the older release's last write: a lease's length (35 min) plus clock skew, rounded up. */
export const SWITCH_MARGIN_MS = 3_600_000;
const MARKER_ROW = 'seen';
const TIME_KEYED = /^\d{13}:/;
/** Every time-keyed RowKey sorts in [FIRST_TIME_KEY, AFTER_TIME_KEYS); so do some bare GUIDs, skipped. */
const FIRST_TIME_KEY = '0000000000000:';
const AFTER_TIME_KEYS = '9999999999999;';
const WHAT = 'seen-id layout marker';

export function markerPartition(tenant: string, stream: string): string {
  return joinKey(keyPart(tenant), keyPart(stream), 'layout');
}

/** Per table client, per tenant and stream: the marker's answer (a promise, so concurrent calls share one). */
const known = new WeakMap<TableClient, Map<string, Promise<number | undefined>>>();

/**
 * Time-keyed ids created at or before the returned epoch ms may also be in the hashed layout;
 * undefined when none can be.
 */
export function hashedLayoutUntil(client: TableClient, tenant: string, stream: string, nowMs: number): Promise<number | undefined> {
  const byStream = known.get(client) ?? new Map<string, Promise<number | undefined>>();
  known.set(client, byStream);
  const pk = markerPartition(tenant, stream);
  const cached = byStream.get(pk);
  if (cached !== undefined) return cached;
  const answer = readOrDecide(client, tenant, stream, nowMs);
  byStream.set(pk, answer);
  // A failure is not an answer: the next call asks the table again.
  void answer.catch(() => byStream.delete(pk));
  return answer;
}

async function readOrDecide(client: TableClient, tenant: string, stream: string, nowMs: number): Promise<number | undefined> {
  const pk = markerPartition(tenant, stream);
  const stored = await getRow(client, pk, MARKER_ROW);
  if (stored !== undefined) return untilOf(stored);
  const old = await hasTimeKeyedRows(client, tenant, stream);
  const decidedAt = Date.now();
  const until = old ? Math.max(decidedAt, nowMs) + SWITCH_MARGIN_MS : undefined;
  try {
    await client.createEntity({ partitionKey: pk, rowKey: MARKER_ROW, old, at: double(decidedAt), ...(until === undefined ? {} : { until: double(until) }) });
    return until;
  } catch (e: unknown) {
    if (statusOf(e) !== 409) throw e;
    const winner = await getRow(client, pk, MARKER_ROW);
    if (winner === undefined) throw corrupt(`the ${WHAT} of ${tenant}/${stream} was refused as existing but cannot be read`, WHAT, e);
    return untilOf(winner);
  }
}

function untilOf(row: Entity): number | undefined {
  const old = row['old'];
  if (typeof old !== 'boolean') throw corrupt(`stored ${WHAT} lacks the boolean property old`, WHAT);
  return old ? numberColumn(row, 'until', WHAT) : undefined;
}

/** Whether any hashed partition of the tenant and stream holds a time-keyed id. */
async function hasTimeKeyedRows(client: TableClient, tenant: string, stream: string): Promise<boolean> {
  const found = await mapLimit(hashedPartitions(tenant, stream), READ_CONCURRENCY, async (pk) => {
    const queryOptions = { filter: rangeFilter(pk, FIRST_TIME_KEY, AFTER_TIME_KEYS), select: ['RowKey'] };
    for await (const page of client.listEntities({ queryOptions }).byPage({ maxPageSize: 1000 })) {
      if (page.some((row) => TIME_KEYED.test(row.rowKey ?? ''))) return true;
    }
    return false;
  });
  return found.includes(true);
}
