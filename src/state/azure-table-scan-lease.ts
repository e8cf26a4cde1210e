/**
 * The per-tenant scan lease on Table Storage: one entity per tenant in the `ScanLeases` table, in
 * the shape and with the etag-conditional claim of azure-table-lease.ts, plus the holder's host
 * and pid so a second scan can say who is scanning.
 */
import type { TableClient } from '@azure/data-tables';
import type { Entity } from './azure-table-client.js';
import { keyPart } from './azure-table-keys.js';
import { claimLeaseEntity, releaseLeaseEntity } from './azure-table-lease.js';
import { corrupt, double } from './azure-table-pack.js';
import { decodeLease, encodeLease, type LeaseRow } from './codec-lease.js';
import type { LeaseClaim, LeaseHolder } from './types.js';

const PK = 'scan';

function leaseOf(entity: Entity): LeaseRow {
  const { tenant, holder, host, pid, expiresAt } = entity;
  const expiresAtMs = typeof expiresAt === 'string' ? Date.parse(expiresAt) : Number.NaN;
  if (typeof tenant !== 'string' || typeof holder !== 'string' || typeof host !== 'string' || typeof pid !== 'number' || Number.isNaN(expiresAtMs)) {
    throw corrupt(`the scan lease row ${entity.rowKey ?? ''} is not readable`, 'scan lease');
  }
  return { tenant, holder_id: holder, host, pid, expires_at_ms: expiresAtMs };
}

export async function acquireTableLease(
  client: TableClient,
  tenant: string,
  holder: LeaseHolder,
  now: Date,
  ttlInMs: number,
  takeOverFrom?: string,
): Promise<LeaseClaim> {
  const wanted = encodeLease(tenant, holder, now, ttlInMs);
  const fields = {
    holder: wanted.holder_id,
    expiresAt: new Date(wanted.expires_at_ms).toISOString(),
    tenant: wanted.tenant,
    host: wanted.host,
    pid: double(wanted.pid),
  };
  const claim = await claimLeaseEntity(client, PK, keyPart(wanted.tenant), fields, now.getTime(), takeOverFrom);
  if (!claim.claimed) return { acquired: false, current: decodeLease(leaseOf(claim.current)) };
  const lease = decodeLease(wanted);
  return claim.previous === undefined ? { acquired: true, lease } : { acquired: true, lease, tookOver: decodeLease(leaseOf(claim.previous)) };
}

export async function releaseTableLease(client: TableClient, tenant: string, holderId: string): Promise<void> {
  await releaseLeaseEntity(client, PK, keyPart(tenant), holderId);
}
