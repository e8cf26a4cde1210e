/**
 * The state module's front door: pick the configured store. Everything else imports the
 * `StateStore` type and never a concrete store, so the memory store drops in for tests.
 */
import { resolve } from 'node:path';
import type { StateConfig } from '../config/types.js';
import { CredwatchError } from '../errors.js';
import { MemoryStateStore } from './memory.js';
import { SqliteStateStore } from './sqlite.js';
import type { StateStore, StateStoreOptions } from './types.js';

export type * from './types.js';
export { SCAN_RETENTION_IN_DAYS } from './codec-scans.js';
export { MemoryStateStore } from './memory.js';
export { SqliteStateStore, type SqliteStateStoreOptions } from './sqlite.js';

/** Options of {@link openStateStore}. */
export interface OpenStateStoreOptions extends StateStoreOptions {
  /** Directory a relative SQLite path is resolved against (the config file's); defaults to the working directory. */
  baseDir?: string;
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
      return SqliteStateStore.open(path, storeOptions);
    }
    case 'azureTable':
      throw new CredwatchError(
        'STATE_BACKEND_UNSUPPORTED',
        'state type "azureTable" is not available until the Azure Functions milestone; use "sqlite" for now',
        { details: { type: config.type } },
      );
  }
}
