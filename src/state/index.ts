/**
 * The state module's front door: pick the configured store. Everything else imports the
 * `StateStore` type and never a concrete store, so the memory store drops in for tests.
 */
import { resolve } from 'node:path';
import type { StateConfig } from '../config/types.js';
import type { Logger } from '../logging.js';
import { MemoryStateStore } from './memory.js';
import type { StateStore, StateStoreOptions } from './types.js';

export type * from './types.js';
export { SCAN_RETENTION_IN_DAYS } from './codec-scans.js';
export { MemoryStateStore } from './memory.js';

/** Options of {@link openStateStore}. */
export interface OpenStateStoreOptions extends StateStoreOptions {
  /** Directory a relative SQLite path is resolved against (the config file's); defaults to the working directory. */
  baseDir?: string;
  /** For the managed identity's token requests (Azure Table state reached by accountUrl). */
  logger?: Logger;
}

/**
 * Opens the store the configuration names. A SQLite file that exists but cannot be read as
 * credwatch state fails with STATE_CORRUPT (or STATE_UNAVAILABLE / STATE_VERSION_UNSUPPORTED)
 * naming the path; it is never silently replaced by an empty store, which would re-alert on
 * everything and forget every watermark.
 */
export async function openStateStore(config: StateConfig, options: OpenStateStoreOptions = {}): Promise<StateStore> {
  const storeOptions: StateStoreOptions = options.now === undefined ? {} : { now: options.now };
  switch (config.type) {
    case 'memory':
      return new MemoryStateStore(storeOptions);
    case 'sqlite': {
      const path = config.path === ':memory:' ? config.path : resolve(options.baseDir ?? process.cwd(), config.path);
      // Loaded on demand so the Function app bundle never loads the native SQLite addon.
      const { SqliteStateStore } = await import('./sqlite.js');
      return SqliteStateStore.open(path, storeOptions);
    }
    case 'azureTable': {
      // Loaded on demand: the SQLite CLI path never pays for the Azure SDK, nor the Function app for SQLite.
      const { openAzureTableState } = await import('./azure-table-open.js');
      return openAzureTableState(config, { ...storeOptions, ...(options.logger ? { logger: options.logger } : {}) });
    }
  }
}
