/**
 * How credwatch reaches the Function app's storage account, read the way the Functions host reads
 * its own `AzureWebJobsStorage` connection: either a connection string (local runs, Azurite) or the
 * identity-based settings `AzureWebJobsStorage__accountName` / `__<service>ServiceUri`,
 * `__credential=managedidentity` and `__clientId`. Reading the same settings means one identity and
 * one set of role assignments serve the host's triggers and credwatch's tables, queues and blobs.
 */
import { CredwatchError } from '../errors.js';

export type StorageService = 'blob' | 'queue' | 'table';

export type StorageAccess =
  | { kind: 'connectionString'; connectionString: string }
  | {
      kind: 'identity';
      /** Service endpoints, e.g. `https://acct.table.core.windows.net`. */
      serviceUri: Record<StorageService, string>;
      /** Client id of a user-assigned managed identity; undefined for the system-assigned one. */
      clientId: string | undefined;
    };

export const STORAGE_CONNECTION = 'AzureWebJobsStorage';

/**
 * Reads the storage connection named `connection` (default AzureWebJobsStorage) from `env`.
 * Throws CONFIG_INVALID naming the settings to set when neither form is present.
 */
export function storageFromEnv(env: NodeJS.ProcessEnv, connection: string = STORAGE_CONNECTION): StorageAccess {
  const plain = env[connection]?.trim();
  if (plain) return { kind: 'connectionString', connectionString: plain };

  const setting = (name: string): string | undefined => env[`${connection}__${name}`]?.trim() || undefined;
  const account = setting('accountName');
  const uri = (service: StorageService): string | undefined => {
    const explicit = setting(`${service}ServiceUri`);
    if (explicit) return explicit.replace(/\/+$/, '');
    return account ? `https://${account}.${service}.core.windows.net` : undefined;
  };
  const blob = uri('blob');
  const queue = uri('queue');
  const table = uri('table');
  if (!blob || !queue || !table) {
    throw new CredwatchError(
      'CONFIG_INVALID',
      `No storage account configured: set ${connection} to a connection string, or ${connection}__accountName ` +
        `(or ${connection}__blobServiceUri, __queueServiceUri and __tableServiceUri) with ${connection}__credential=managedidentity.`,
      { details: { connection } },
    );
  }
  const credential = setting('credential');
  if (credential !== undefined && credential.toLowerCase() !== 'managedidentity') {
    throw new CredwatchError('CONFIG_INVALID', `${connection}__credential is "${credential}"; credwatch supports only "managedidentity".`, {
      details: { connection },
    });
  }
  return { kind: 'identity', serviceUri: { blob, queue, table }, clientId: setting('clientId') };
}

/** True for http endpoints on loopback (Azurite), where the SDKs must be told plain http is intended. */
export function isLoopbackHttp(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  } catch {
    return false;
  }
}

/** The endpoint a connection string names for `service` (`TableEndpoint=` …), or undefined. */
export function endpointInConnectionString(connectionString: string, service: StorageService): string | undefined {
  const key = `${service[0]?.toUpperCase() ?? ''}${service.slice(1)}Endpoint`;
  for (const part of connectionString.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === key) return part.slice(eq + 1).trim();
  }
  if (/UseDevelopmentStorage=true/i.test(connectionString)) return 'http://127.0.0.1';
  return undefined;
}
