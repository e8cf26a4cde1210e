/**
 * The store's reads (and the cache, which is not part of any window), as functions of one table
 * client. Each decodes through the shared codecs and orders results the way the other stores do.
 */
import type { TableClient } from '@azure/data-tables';
import { decodeAlert, decodeFinding, type AlertRow, type FindingRow } from './codec-alerts.js';
import { decodeAggregate, decodeCache, decodeLearnedNetwork, decodeSnapshot, encodeCache, type AggregateRow, type LearnedNetworkRow } from './codec-rows.js';
import { decodeScan, type ScanRow } from './codec-scans.js';
import { prepareBlob, readPointed, switchPointer, writeChunks } from './azure-table-chunks.js';
import { getRow, mapLimit, queryRows, READ_CONCURRENCY } from './azure-table-client.js';
import { doubleLiteral, eqFilter, keyPart, msKey, partitionFilter, rangeFilter, SEP } from './azure-table-keys.js';
import { corrupt, double, numberColumn, packText, unpackText } from './azure-table-pack.js';
import { ALERT_ROW, alertOf, findingsPartition, findingTimeKey, jidOf, learnedPartition, rowOf, sumAggregates } from './azure-table-rows.js';
import { byKeys } from './order.js';
import type { CacheEntry, InventorySnapshot, LearnedNetwork, ScanRecord, SignInAggregate, StoredAlert, StoredFinding } from './types.js';

export async function readWatermark(client: TableClient, tenant: string, stream: string): Promise<Date | undefined> {
  const row = await getRow(client, keyPart(tenant), keyPart(stream));
  return row === undefined ? undefined : new Date(numberColumn(row, 'ms', 'watermark'));
}

/** The distinct `ids` not seen at `nowMs`, in order: see azure-table-seen-reads.ts. */
export { unseenIds } from './azure-table-seen-reads.js';

/** The alerts among the distinct `ids` that exist, in order; `observe` sees each version's journal id. */
export async function readAlerts(client: TableClient, ids: readonly string[], observe: (jid: string) => void): Promise<StoredAlert[]> {
  const rows = await mapLimit(ids, READ_CONCURRENCY, (id) => getRow(client, keyPart(id), ALERT_ROW));
  return ids.flatMap((id, i) => {
    const row = rows[i];
    if (row === undefined) return [];
    observe(jidOf(row));
    return [decodeAlert(alertOf(row, id))];
  });
}

export async function listAlertsBetween(client: TableClient, tenant: string, fromMs: number, toMs: number): Promise<StoredAlert[]> {
  // A table scan: getAlerts knows no tenant, so alerts are partitioned by id. Alerts group a
  // day's findings, so there are few of them, and the filter runs in the service.
  const filter = `${eqFilter('tk', keyPart(tenant))} and f lt ${doubleLiteral(toMs)} and l ge ${doubleLiteral(fromMs)}`;
  const rows = (await queryRows(client, filter)).map((e) => rowOf<AlertRow>(e, 'alert'));
  return rows
    .filter((r) => r.tenant === tenant && r.first_seen_ms < toMs && r.last_seen_ms >= fromMs)
    .sort(byKeys((r) => [r.first_seen_ms, r.alert_id]))
    .map(decodeAlert);
}

export async function listFindingsBetween(client: TableClient, tenant: string, fromMs: number, toMs: number): Promise<StoredFinding[]> {
  const filter = rangeFilter(findingsPartition(tenant), findingTimeKey(fromMs), findingTimeKey(toMs));
  const rows = (await queryRows(client, filter)).map((e) => rowOf<FindingRow>(e, 'finding'));
  return rows.sort(byKeys((r) => [r.occurred_at_ms, r.finding_id])).map(decodeFinding);
}

export async function listAggregatesBetween(client: TableClient, tenant: string, fromDay: string, toDay: string): Promise<SignInAggregate[]> {
  const rows = (await queryRows(client, rangeFilter(keyPart(tenant), fromDay, toDay + SEP + SEP))).map((e) => rowOf<AggregateRow>(e, 'aggregate'));
  return sumAggregates(rows.filter((r) => r.day >= fromDay && r.day <= toDay))
    .sort(byKeys((r) => [r.day, r.app_id, r.network, r.allowed]))
    .map(decodeAggregate);
}

export async function listLearnedNetworks(client: TableClient, tenant: string, appId: string): Promise<LearnedNetwork[]> {
  const rows = (await queryRows(client, partitionFilter(learnedPartition(tenant, appId)))).map((e) => rowOf<LearnedNetworkRow>(e, 'learned network'));
  return rows.sort(byKeys((r) => [r.first_seen_ms, r.network])).map(decodeLearnedNetwork);
}

export async function readSnapshot(client: TableClient, tenant: string, observe: (jid: string) => void): Promise<InventorySnapshot | undefined> {
  const found = await readPointed(client, keyPart(tenant), `snapshot of ${tenant}`);
  if (found === undefined) return undefined;
  observe(jidOf(found.pointer));
  return decodeSnapshot({ tenant, taken_at_ms: numberColumn(found.pointer, 't', 'snapshot'), body: found.text });
}

export async function readCache(client: TableClient, key: string): Promise<CacheEntry | undefined> {
  const found = await readPointed(client, keyPart(key), 'cache entry');
  if (found === undefined) return undefined;
  if (unpackText(found.pointer, 'k', 'cache entry') !== key) throw corrupt(`the cache row for ${key} holds another key`, 'cache entry');
  return decodeCache({ key, body: found.text, fetched_at_ms: numberColumn(found.pointer, 'f', 'cache entry') });
}

/** Replaces a cache entry; `gen` names the chunk generation a large body is written under. */
export async function writeCache(client: TableClient, key: string, entry: CacheEntry, gen: string): Promise<void> {
  const row = encodeCache(key, entry);
  const columns = { f: double(row.fetched_at_ms), ...packText('k', key, 'cache key') };
  const pk = keyPart(key);
  const blob = await prepareBlob(row.body, gen);
  if (blob.chunks.length > 0) await writeChunks(client, pk, gen, blob.chunks);
  // The latest put wins, as with the other stores; the etag only tells which generation it replaced.
  await switchPointer(client, pk, columns, blob.ref, () => true, `cache entry ${key}`);
}

export async function listScansBetween(client: TableClient, tenant: string, fromMs: number, toMs: number): Promise<ScanRecord[]> {
  const rows = (await queryRows(client, rangeFilter(keyPart(tenant), msKey(fromMs), msKey(toMs)))).map((e) => rowOf<ScanRow>(e, 'scan'));
  return rows
    .filter((r) => r.tenant === tenant)
    .sort(byKeys((r) => [r.started_at_ms]))
    .map(decodeScan);
}
