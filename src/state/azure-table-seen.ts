/**
 * Where a seen id lives in the Seen table: one row per id holding its expiry `e`, RowKey
 * `keyPart(id)`, in one of two layouts (docs/state.md, "Azure Table Storage").
 *
 * Time-keyed ids — 13 digits of epoch ms, then `:` (a sign-in's seen id,
 * src/scan/stages/signin-seen.ts) — go to a partition per tenant, stream and UTC day of that time,
 * `<tenant>~<stream>~<YYYY-MM-DD>`. `keyPart` keeps digits and `:`, so the RowKeys of a day sort by
 * time, and a scan's page of ids — neighbours in time — is looked up with one range query per day
 * it touches, served from the partition's index, instead of one point read per id
 * (https://learn.microsoft.com/rest/api/storageservices/designing-a-scalable-partitioning-strategy-for-azure-table-storage).
 *
 * Why a day. A busy tenant's page of 1,000 sign-ins spans seconds to minutes: one query (two
 * across a bucket's edge) whatever the bucket. A quiet tenant's page may span a week: 7 queries
 * with day buckets, 168 with hour buckets. Smaller buckets buy nothing back: a busy tenant's window
 * falls in one bucket (or two) whatever their size, so one partition's write rate (about 2,000
 * entities a second, https://learn.microsoft.com/azure/storage/tables/scalability-targets) bounds
 * its commit alike, and a partition's size does not slow its index. The date, not a day number,
 * so an operator can read it; it never equals the other partitions' last part.
 *
 * Every other id (bare GUIDs, audit ids, and a time-keyed id so long that `keyPart` hashes it and
 * its order is lost) keeps the hashed layout: SEEN_BUCKETS partitions per tenant and stream,
 * `<tenant>~<stream>~<hex digit>`, chosen by a hash of the id, read by point reads (a filter of
 * `RowKey eq … or …` would scan the whole partition). Releases before this one stored time-keyed
 * ids there too; azure-table-seen-layout.ts says when those are still looked up.
 */
import { createHash } from 'node:crypto';
import type { Entity, NewEntity } from './azure-table-client.js';
import type { CasItem } from './azure-table-cas.js';
import { writeOver } from './azure-table-cas.js';
import { isHashedPart, joinKey, keyPart } from './azure-table-keys.js';
import { corrupt, double, numberColumn, packText, unpackText } from './azure-table-pack.js';

/** Partitions of the hashed layout per tenant and stream. */
export const SEEN_BUCKETS = 16;
const TIME_KEYED = /^\d{13}:/;

/** A time-keyed id's place in the time layout. */
export interface TimeSlot {
  id: string;
  pk: string;
  rowKey: string;
  /** The epoch ms its first 13 digits name. */
  ms: number;
}

/** Where a time-keyed id lives, or undefined for an id of the hashed layout. */
export function timeSlot(tenant: string, stream: string, id: string): TimeSlot | undefined {
  if (!TIME_KEYED.test(id)) return undefined;
  const rowKey = keyPart(id);
  if (isHashedPart(rowKey)) return undefined;
  const ms = Number(id.slice(0, 13));
  return { id, pk: joinKey(keyPart(tenant), keyPart(stream), new Date(ms).toISOString().slice(0, 10)), rowKey, ms };
}

/** The hashed-layout partition of `id` (where every id lived before the time layout). */
export function hashedPartition(tenant: string, stream: string, id: string): string {
  const bucket = (createHash('sha256').update(id, 'utf16le').digest()[0] as number) % SEEN_BUCKETS;
  return joinKey(keyPart(tenant), keyPart(stream), bucket.toString(16));
}

/** Every hashed-layout partition of a tenant and stream. */
export function hashedPartitions(tenant: string, stream: string): string[] {
  return Array.from({ length: SEEN_BUCKETS }, (_, b) => joinKey(keyPart(tenant), keyPart(stream), b.toString(16)));
}

/** The partition `id` is written to: its day for a time-keyed id, its hash bucket otherwise. */
export function seenPartition(tenant: string, stream: string, id: string): string {
  return timeSlot(tenant, stream, id)?.pk ?? hashedPartition(tenant, stream, id);
}

/** Whether the seen row at `keyPart(id)` is unexpired at `nowMs`, checking a hashed key's original. */
export function seenAt(row: Entity | undefined, id: string, nowMs: number): boolean {
  if (row === undefined) return false;
  if (isHashedPart(row.rowKey ?? '') && unpackText(row, 'id', 'seen id') !== id) throw corrupt('a hashed seen-id key holds another id', 'seen id');
  return numberColumn(row, 'e', 'seen id') > nowMs;
}

/** Marks an id seen until `expiresMs`, keeping a later expiry already stored. */
export function seenItem(pk: string, id: string, expiresMs: number): CasItem {
  const rowKey = keyPart(id);
  const entity: NewEntity = { partitionKey: pk, rowKey, e: double(expiresMs), ...(isHashedPart(rowKey) ? packText('id', id, 'seen id') : {}) };
  return {
    rowKey,
    plan: (current) => (current !== undefined && numberColumn(current, 'e', 'seen id') >= expiresMs ? [] : [writeOver(entity, current)]),
  };
}
