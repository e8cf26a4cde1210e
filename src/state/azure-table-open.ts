/**
 * Opens the Azure Table state named by a resolved `azureTable` config: a connection string (local
 * runs, Azurite, a key-based account) or an account URL reached with the managed identity.
 */
import type { Config } from '../config/types.js';
import { managedIdentityCredential } from '../azure/credential.js';
import { endpointInConnectionString, isLoopbackHttp } from '../config/storage.js';
import { CredwatchError } from '../errors.js';
import { createFetch } from '../graph/http.js';
import { createLogger, type Logger } from '../logging.js';
import { AzureTableStateStore } from './azure-table.js';
import type { StateStore, StateStoreOptions } from './types.js';

type AzureTableConfig = Extract<Config['state'], { type: 'azureTable' }>;

export async function openAzureTableState(config: AzureTableConfig, options: StateStoreOptions & { logger?: Logger }): Promise<StateStore> {
  const storeOptions = { tablePrefix: config.tablePrefix, ...(options.now ? { now: options.now } : {}) };
  if (config.connectionString !== undefined) {
    const connectionString = config.connectionString.reveal();
    const endpoint = endpointInConnectionString(connectionString, 'table');
    return AzureTableStateStore.open({ connectionString }, { ...storeOptions, allowInsecureConnection: endpoint !== undefined && isLoopbackHttp(endpoint) });
  }
  if (config.accountUrl !== undefined) {
    const credential = managedIdentityCredential({
      clientId: config.clientId,
      fetch: createFetch({ timeoutInMs: 30_000 }),
      logger: options.logger ?? createLogger({ level: 'warn' }),
    });
    return AzureTableStateStore.open({ endpoint: config.accountUrl, credential }, storeOptions);
  }
  throw new CredwatchError('CONFIG_INVALID', 'azureTable state needs a connection string or an accountUrl.');
}
