/**
 * `filterUnseen` on the Seen table (layouts in azure-table-seen.ts): time-keyed ids by one range
 * query per day partition they touch, projecting only RowKey and expiry; other ids by point reads
 * in their hash bucket; and time-keyed ids the day partition lacks, when they are old enough for
 * an older release to have stored them (azure-table-seen-layout.ts), by point reads there too.
 *
 * A range query returns every row between the smallest and the largest id asked, asked or not. A
 * scan asks for one page of a window at a time, whose ids are neighbours in time, so those rows
 * are the page's own; a call asking for a few ids far apart in a busy day would read the rows in
 * between (still right, only slower). The service pages a query's answer at 1,000 rows or 5
 * seconds (https://learn.microsoft.com/rest/api/storageservices/query-timeout-and-pagination);
 * `queryRows` follows the continuation, so that stays one query.
 */
import type { TableClient } from '@azure/data-tables';
import { getRow, mapLimit, queryRows, READ_CONCURRENCY } from './azure-table-client.js';
import { betweenFilter, keyPart } from './azure-table-keys.js';
import { hashedLayoutUntil } from './azure-table-seen-layout.js';
import { hashedPartition, seenAt, timeSlot, type TimeSlot } from './azure-table-seen.js';

/** The distinct `ids` not seen at `nowMs`, in order. */
export async function unseenIds(client: TableClient, tenant: string, stream: string, ids: readonly string[], nowMs: number): Promise<string[]> {
  const seen = new Set<string>();
  const days = new Map<string, TimeSlot[]>();
  const others: string[] = [];
  for (const id of ids) {
    const slot = timeSlot(tenant, stream, id);
    const day = slot === undefined ? undefined : days.get(slot.pk);
    if (slot === undefined) others.push(id);
    else if (day === undefined) days.set(slot.pk, [slot]);
    else day.push(slot);
  }
  await Promise.all([
    readHashed(client, tenant, stream, others, nowMs, seen),
    mapLimit([...days.values()], READ_CONCURRENCY, (slots) => readDay(client, slots, nowMs, seen)),
  ]);
  const missed = [...days.values()].flat().filter((s) => !seen.has(s.id));
  if (missed.length > 0) {
    const until = await hashedLayoutUntil(client, tenant, stream, nowMs);
    if (until !== undefined) {
      const maybeOld = missed.filter((s) => s.ms <= until).map((s) => s.id);
      await readHashed(client, tenant, stream, maybeOld, nowMs, seen);
    }
  }
  return ids.filter((id) => !seen.has(id));
}

/** One range query over a day partition, from the smallest to the largest RowKey asked. */
async function readDay(client: TableClient, slots: readonly TimeSlot[], nowMs: number, seen: Set<string>): Promise<void> {
  const asked = new Map(slots.map((s) => [s.rowKey, s.id]));
  const keys = [...asked.keys()].sort();
  const pk = (slots[0] as TimeSlot).pk;
  const rows = await queryRows(client, betweenFilter(pk, keys[0] as string, keys[keys.length - 1] as string), ['RowKey', 'e']);
  for (const row of rows) {
    const id = asked.get(row.rowKey ?? '');
    if (id !== undefined && seenAt(row, id, nowMs)) seen.add(id);
  }
}

/** Point reads in the hashed layout (a filter of `RowKey eq … or …` would scan the whole partition). */
async function readHashed(client: TableClient, tenant: string, stream: string, ids: readonly string[], nowMs: number, seen: Set<string>): Promise<void> {
  const rows = await mapLimit(ids, READ_CONCURRENCY, (id) => getRow(client, hashedPartition(tenant, stream, id), keyPart(id)));
  ids.forEach((id, i) => {
    if (seenAt(rows[i], id, nowMs)) seen.add(id);
  });
}
