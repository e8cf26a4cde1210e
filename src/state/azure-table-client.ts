/**
 * The tables the Azure Table store uses and the few access patterns it needs on them: point reads,
 * queries collected across pages, and entity-group transactions cut to Table Storage's limits
 * (100 operations, one partition, 4 MiB), run a few at a time.
 */
import { RestError, TableClient, type TableEntity, type TableEntityResult, type TableServiceClientOptions, type TransactionAction } from '@azure/data-tables';
import type { TokenCredential } from '@azure/core-auth';
import { CredwatchError } from '../errors.js';
import { invalidInput } from './validate.js';

/** The tables, each named `${tablePrefix}${name}`. */
export const TABLE_NAMES = [
  'Watermarks',
  'Seen',
  'Findings',
  'Alerts',
  'Outbox',
  'Aggregates',
  'LearnedNetworks',
  'Snapshots',
  'Cache',
  'Scans',
  'Journal',
  'ScanLeases',
  'AuditQueries',
] as const;
export type TableName = (typeof TABLE_NAMES)[number];
export type Tables = Readonly<Record<TableName, TableClient>>;

export type Entity = TableEntityResult<Record<string, unknown>>;
export type NewEntity = TableEntity<Record<string, unknown>>;

/** Where the tables live: a storage connection string, or an endpoint and an Entra ID credential. */
export type AzureTableLocation = { connectionString: string } | { endpoint: string; credential: TokenCredential };

/** Independent batches or point reads in flight at once: enough to hide latency, few enough not to be throttled. */
export const BATCH_CONCURRENCY = 8;
export const READ_CONCURRENCY = 32;
const MAX_BATCH_OPERATIONS = 100;
/** Below the 4 MiB request limit, leaving room for the multipart framing. */
const MAX_BATCH_BYTES = 3_700_000;
const PER_OPERATION_OVERHEAD_BYTES = 600;

const TABLE_PREFIX = /^[A-Za-z][A-Za-z0-9]*$/;
const LONGEST_NAME = Math.max(...TABLE_NAMES.map((n) => n.length));

/** Checks the prefix makes valid table names (alphanumeric, 3–63 characters, starting with a letter). */
export function requireTablePrefix(prefix: string): string {
  if (typeof prefix !== 'string' || !TABLE_PREFIX.test(prefix) || prefix.length + LONGEST_NAME > 63) {
    throw invalidInput(`tablePrefix must be letters and digits, start with a letter and be at most ${63 - LONGEST_NAME} characters`, { tablePrefix: prefix });
  }
  return prefix;
}

/** One client per table. `wrap` lets tests put a fault-injecting proxy in front of a client. */
export function createTables(
  location: AzureTableLocation,
  prefix: string,
  options: TableServiceClientOptions,
  wrap: (client: TableClient) => TableClient = (c) => c,
): Tables {
  const make = (name: TableName): TableClient => {
    const table = prefix + name;
    return wrap(
      'connectionString' in location
        ? TableClient.fromConnectionString(location.connectionString, table, options)
        : new TableClient(location.endpoint, table, location.credential, options),
    );
  };
  try {
    return Object.fromEntries(TABLE_NAMES.map((n) => [n, make(n)])) as Record<TableName, TableClient>;
  } catch (e: unknown) {
    // The SDK's parse errors name the faulty part of a connection string, never its key or signature.
    const message = e instanceof Error ? e.message : String(e);
    throw new CredwatchError('STATE_INVALID_INPUT', `azure table state "${prefix}": the storage location cannot be used: ${message}`, {
      cause: e,
      details: { tablePrefix: prefix },
    });
  }
}

function asRestError(e: unknown): RestError | undefined {
  return e instanceof RestError || (e instanceof Error && e.name === 'RestError') ? (e as RestError) : undefined;
}

export function statusOf(e: unknown): number | undefined {
  return asRestError(e)?.statusCode;
}

/** The service's error code (`TableNotFound`, `EntityAlreadyExists`, …), which point operations carry only in a header. */
export function serviceCodeOf(e: unknown): string | undefined {
  const error = asRestError(e);
  return error?.code ?? error?.response?.headers.get('x-ms-error-code') ?? undefined;
}

/** A 404 about the table rather than a row: the store's tables were deleted under it. */
function isMissingTable(e: unknown): boolean {
  return serviceCodeOf(e) === 'TableNotFound';
}

/**
 * Someone else changed the rows a conditional write relied on: 409 (created meanwhile), 412 (etag
 * changed) or 404 (deleted meanwhile). Inside a transaction any of these fails the whole batch.
 */
export function isConflict(e: unknown): boolean {
  const status = statusOf(e);
  return status === 409 || status === 412 || (status === 404 && !isMissingTable(e));
}

/** The row, or undefined when it does not exist (a missing table is an error, never "no rows"). */
export async function getRow(client: TableClient, pk: string, rk: string): Promise<Entity | undefined> {
  try {
    return await client.getEntity(pk, rk);
  } catch (e: unknown) {
    if (statusOf(e) === 404 && !isMissingTable(e)) return undefined;
    throw e;
  }
}

/** Every row matching `filter`, across continuation pages. */
export async function queryRows(client: TableClient, filter: string, select?: string[]): Promise<Entity[]> {
  const rows: Entity[] = [];
  const queryOptions = select === undefined ? { filter } : { filter, select };
  for await (const row of client.listEntities({ queryOptions })) rows.push(row);
  return rows;
}

/**
 * Runs `fn` over `items`, at most `limit` at a time. After the first failure no new item starts;
 * the failure is thrown once the ones in flight settled, so nothing keeps writing behind the caller.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i] as T);
      } catch (e: unknown) {
        failure ??= { error: e };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure.error;
  return results;
}

/** Bytes an entity takes in a request body, close enough to keep a batch under 4 MiB. */
function wireBytes(entity: Record<string, unknown>): number {
  let bytes = PER_OPERATION_OVERHEAD_BYTES;
  for (const [name, value] of Object.entries(entity)) {
    bytes += name.length * 2 + 16;
    if (typeof value === 'string') bytes += Buffer.byteLength(JSON.stringify(value));
    else if (value instanceof Uint8Array) bytes += Math.ceil(value.length / 3) * 4 + 32;
    else bytes += 64;
  }
  return bytes;
}

/**
 * Cuts groups of actions (each group must stay in one transaction, e.g. a row and its index) into
 * transactions within the operation and size limits. All actions must share one partition.
 */
export function toBatches<G>(groups: readonly G[], actionsOf: (group: G) => readonly TransactionAction[]): G[][] {
  const batches: G[][] = [];
  let current: G[] = [];
  let ops = 0;
  let bytes = 0;
  for (const group of groups) {
    const actions = actionsOf(group);
    const size = actions.reduce((sum, [, entity]) => sum + wireBytes(entity), 0);
    if (current.length > 0 && (ops + actions.length > MAX_BATCH_OPERATIONS || bytes + size > MAX_BATCH_BYTES)) {
      batches.push(current);
      current = [];
      ops = 0;
      bytes = 0;
    }
    current.push(group);
    ops += actions.length;
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Unconditional actions of one partition, submitted as few transactions as the limits allow. */
export async function submitAll(client: TableClient, actions: readonly TransactionAction[]): Promise<void> {
  const batches = toBatches(actions, (a) => [a]);
  await mapLimit(batches, BATCH_CONCURRENCY, async (batch) => {
    await client.submitTransaction(batch);
  });
}

/**
 * Deletes rows of one partition in as few transactions as the limits allow and returns how many
 * this call removed. A row someone else deleted meanwhile fails its whole transaction with 404;
 * that transaction's rows are then deleted one by one, so the count stays exact.
 */
export async function deleteRows(client: TableClient, pk: string, rowKeys: readonly string[]): Promise<number> {
  const action = (rk: string): TransactionAction => ['delete', { partitionKey: pk, rowKey: rk }];
  const counts = await mapLimit(
    toBatches(rowKeys, (rk) => [action(rk)]),
    BATCH_CONCURRENCY,
    async (batch) => {
      try {
        await client.submitTransaction(batch.map(action));
        return batch.length;
      } catch (e: unknown) {
        if (statusOf(e) !== 404 || isMissingTable(e)) throw e;
        const one = await mapLimit(batch, READ_CONCURRENCY, async (rk) => {
          try {
            await client.deleteEntity(pk, rk);
            return 1;
          } catch (e2: unknown) {
            if (statusOf(e2) === 404 && !isMissingTable(e2)) return 0;
            throw e2;
          }
        });
        return one.reduce<number>((a, b) => a + b, 0);
      }
    },
  );
  return counts.reduce((a, b) => a + b, 0);
}

/** Groups rows by partition, keeping each partition's rows in order. */
export function byPartition<T>(items: readonly T[], pk: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = pk(item);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [item]);
    else group.push(item);
  }
  return groups;
}
