/**
 * The queue, blob and table clients of the Function app's storage account, built once per worker
 * from the same settings the Functions host reads (see src/config/storage.ts).
 */
import type { TokenCredential } from '@azure/core-auth';
import { TableClient } from '@azure/data-tables';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import { endpointInConnectionString, isLoopbackHttp, type StorageAccess } from '../config/storage.js';
import { CredwatchError, toCredwatchError } from '../errors.js';
import { LEASE_TABLE, REPORT_CONTAINER, REPORT_QUEUE, SCAN_QUEUE, poisonQueueOf } from './names.js';

export interface FunctionStorage {
  scanQueue: QueueClient;
  reportQueue: QueueClient;
  scanPoison: QueueClient;
  reportPoison: QueueClient;
  reports: ContainerClient;
  leases: TableClient;
}

export function functionStorage(access: StorageAccess, credential: () => TokenCredential): FunctionStorage {
  let queues: QueueServiceClient;
  let blobs: BlobServiceClient;
  let leases: TableClient;
  if (access.kind === 'connectionString') {
    const cs = access.connectionString;
    queues = QueueServiceClient.fromConnectionString(cs);
    blobs = BlobServiceClient.fromConnectionString(cs);
    const tableEndpoint = endpointInConnectionString(cs, 'table');
    leases = TableClient.fromConnectionString(cs, LEASE_TABLE, { allowInsecureConnection: tableEndpoint !== undefined && isLoopbackHttp(tableEndpoint) });
  } else {
    const token = credential();
    queues = new QueueServiceClient(access.serviceUri.queue, token);
    blobs = new BlobServiceClient(access.serviceUri.blob, token);
    leases = new TableClient(access.serviceUri.table, LEASE_TABLE, token);
  }
  return {
    scanQueue: queues.getQueueClient(SCAN_QUEUE),
    reportQueue: queues.getQueueClient(REPORT_QUEUE),
    scanPoison: queues.getQueueClient(poisonQueueOf(SCAN_QUEUE)),
    reportPoison: queues.getQueueClient(poisonQueueOf(REPORT_QUEUE)),
    reports: blobs.getContainerClient(REPORT_CONTAINER),
    leases,
  };
}

/** Creates what credwatch writes to (the host creates poison queues itself, on first use). */
export async function ensureStorage(storage: FunctionStorage): Promise<void> {
  await storageCall('create queues, container and lease table', async () => {
    await Promise.all([storage.scanQueue.createIfNotExists(), storage.reportQueue.createIfNotExists(), storage.reports.createIfNotExists()]);
    try {
      await storage.leases.createTable();
    } catch (e: unknown) {
      if ((e as { statusCode?: number }).statusCode !== 409) throw e;
    }
  });
}

/** Storage SDK errors become STORAGE_UNAVAILABLE with the operation named and the cause kept. */
export async function storageCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e: unknown) {
    if (e instanceof CredwatchError) throw e;
    const status = (e as { statusCode?: number }).statusCode;
    throw new CredwatchError('STORAGE_UNAVAILABLE', `Storage: could not ${what}${status ? ` (HTTP ${status})` : ''}: ${toCredwatchError(e).message}`, {
      cause: e,
      details: { operation: what, ...(status ? { status } : {}) },
    });
  }
}
