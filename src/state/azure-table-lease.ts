/**
 * A lease as one Table Storage entity, claimed with an etag-conditional write: create when absent
 * (409 if someone created it meanwhile), replace only the version read otherwise (412 if it
 * changed). On a conflict the row is read again and the decision made again, so of two claimants
 * exactly one wins. Shared by the store's per-tenant scan lease and the Function app's queue-message
 * leases (src/functions/lease.ts), which keep the same entity shape: `holder` and `expiresAt` (ISO).
 * See https://learn.microsoft.com/rest/api/storageservices/update-entity2 for the If-Match semantics.
 */
import type { TableClient } from '@azure/data-tables';
import { backoff, MAX_ATTEMPTS } from './azure-table-cas.js';
import { getRow, isConflict, type Entity } from './azure-table-client.js';
import { contention } from './azure-table-errors.js';

/** Who holds the lease and until when, plus whatever the caller keeps with it. */
export interface LeaseFields {
  holder: string;
  /** ISO 8601. */
  expiresAt: string;
  [property: string]: unknown;
}

/** The claim taken (over `previous`, another holder's expired lease, if any), or the live lease that stopped it. */
export type LeaseEntityClaim = { claimed: true; previous: Entity | undefined } | { claimed: false; current: Entity };

const holderOf = (e: Entity): unknown => e['holder'];

/** Whether `entity` is a live lease (at `nowMs`) of someone other than `holder` and `takeOverFrom`. */
function heldByOther(entity: Entity, holder: string, nowMs: number, takeOverFrom: string | undefined): boolean {
  const expiresAt = entity['expiresAt'];
  const other = holderOf(entity) !== holder && holderOf(entity) !== takeOverFrom;
  return other && typeof expiresAt === 'string' && Date.parse(expiresAt) > nowMs;
}

/**
 * Claims (or renews, for the same holder) the lease at `pk`/`rk`; with `takeOverFrom`, also a live
 * lease of that holder (one the caller knows is gone).
 */
export async function claimLeaseEntity(
  client: TableClient,
  pk: string,
  rk: string,
  fields: LeaseFields,
  nowMs: number,
  takeOverFrom?: string,
): Promise<LeaseEntityClaim> {
  const entity = { ...fields, partitionKey: pk, rowKey: rk };
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const current = await getRow(client, pk, rk);
    if (current !== undefined && heldByOther(current, fields.holder, nowMs, takeOverFrom)) return { claimed: false, current };
    try {
      if (current === undefined) await client.createEntity(entity);
      else await client.updateEntity(entity, 'Replace', { etag: current.etag });
      return { claimed: true, previous: current !== undefined && holderOf(current) !== fields.holder ? current : undefined };
    } catch (e: unknown) {
      // Someone created, renewed or released it between our read and write: read and decide again.
      if (!isConflict(e)) throw e;
      await backoff(attempt);
    }
  }
  throw contention(`claiming lease ${pk}/${rk}`, MAX_ATTEMPTS);
}

/** Deletes the lease if `holder` still holds it; a lease someone changed meanwhile is theirs and stays. */
export async function releaseLeaseEntity(client: TableClient, pk: string, rk: string, holder: string): Promise<void> {
  const current = await getRow(client, pk, rk);
  if (current === undefined || holderOf(current) !== holder) return;
  try {
    await client.deleteEntity(pk, rk, { etag: current.etag });
  } catch (e: unknown) {
    if (!isConflict(e)) throw e;
  }
}
