/**
 * What the Azure Table store tests share: one Azurite per test file, a fresh table prefix per
 * test, raw clients to look at what the store wrote, and client wrappers that inject a crash or a
 * competing writer in front of chosen writes.
 */
import { RestError, TableClient } from '@azure/data-tables';
import { afterAll, beforeAll } from 'vitest';
import { AzureTableStateStore, type AzureTableStateStoreOptions } from '../../src/state/azure-table.js';
import { startAzurite, type Azurite } from '../helpers/azurite.js';

/** Starts Azurite before the file's tests and stops it after; the getter is valid inside tests. */
export function useAzurite(): () => Azurite {
  let azurite: Azurite | undefined;
  beforeAll(async () => {
    azurite = await startAzurite();
  });
  afterAll(async () => {
    await azurite?.stop();
  });
  return () => {
    if (azurite === undefined) throw new Error('Azurite is started in beforeAll');
    return azurite;
  };
}

let prefixes = 0;
/** A table prefix no other test of this process uses, so each test starts from empty tables. */
export function freshPrefix(): string {
  prefixes += 1;
  return `cw${process.pid}n${prefixes}`;
}

export function openTableStore(azurite: Azurite, tablePrefix: string, options: Partial<AzureTableStateStoreOptions> = {}): Promise<AzureTableStateStore> {
  return AzureTableStateStore.open({ connectionString: azurite.connectionString }, { tablePrefix, allowInsecureConnection: true, ...options });
}

/** A plain client on one of the store's tables, to look at or damage what it wrote. */
export function rawTable(azurite: Azurite, tablePrefix: string, name: string): TableClient {
  return TableClient.fromConnectionString(azurite.connectionString, tablePrefix + name, { allowInsecureConnection: true });
}

/** Every row of a table. */
export async function allRows(client: TableClient): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for await (const row of client.listEntities()) rows.push(row);
  return rows;
}

const WRITES = new Set(['submitTransaction', 'createEntity', 'updateEntity', 'upsertEntity', 'deleteEntity']);

/** One write the store is about to send: the table (without prefix) and the client method. */
export interface Write {
  table: string;
  method: string;
}

/**
 * A `wrapTableClient` that runs `before` ahead of every write (it may throw, like a crash, or
 * write something itself, like a competing process) and reports each write's outcome to `after`.
 */
export function interceptWrites(
  tablePrefix: string,
  before: (write: Write) => Promise<void> | void,
  after: (write: Write, error: unknown) => void = () => undefined,
): (client: TableClient) => TableClient {
  return (client) =>
    new Proxy(client, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target) as unknown;
        if (typeof value !== 'function') return value;
        const method = value as (...args: unknown[]) => Promise<unknown>;
        if (typeof prop !== 'string' || !WRITES.has(prop)) return method.bind(target);
        return async (...args: unknown[]) => {
          const write = { table: target.tableName.slice(tablePrefix.length), method: prop };
          await before(write);
          try {
            const result = await method.apply(target, args);
            after(write, undefined);
            return result;
          } catch (e: unknown) {
            after(write, e);
            throw e;
          }
        };
      },
    });
}

/** What a write cut off by a crash looks like to the store: the connection went away. */
export function injectedCrash(): RestError {
  return new RestError('injected crash: connection reset', { code: 'ECONNRESET' });
}

/** The HTTP status of a write's failure, if it had one. */
export function statusOf(error: unknown): number | undefined {
  return error instanceof RestError ? error.statusCode : undefined;
}
