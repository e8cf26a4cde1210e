/**
 * One scan per tenant at a time across every worker of the Function app. Queue messages are
 * delivered at least once and a slow scan can outlast the next timer tick, so two workers could
 * otherwise scan one tenant together: both would read the same window and double-count it. A lease
 * is one table entity per tenant, claimed with an etag-conditional write; it expires on its own
 * (after the function timeout) so a crashed worker cannot block the tenant for ever.
 */
import type { TableClient } from '@azure/data-tables';
import { storageCall } from './storage.js';

interface LeaseEntity {
  partitionKey: string;
  rowKey: string;
  holder: string;
  expiresAt: string;
}

const statusOf = (e: unknown): number | undefined => (e as { statusCode?: number }).statusCode;

export interface Lease {
  /** Gives the lease back (only if still ours); failures are ignored: it expires anyway. */
  release(): Promise<void>;
  /** Set when an expired lease of another holder was taken over: that run crashed or timed out. */
  tookOver?: { holder: string; expiredAt: string };
}

/**
 * Claims `job`'s lease on `tenant` for `holder` until `now + ttlInMs`. Resolves undefined when
 * another holder's lease has not expired.
 */
export async function acquireLease(leases: TableClient, job: string, tenant: string, holder: string, now: Date, ttlInMs: number): Promise<Lease | undefined> {
  const entity: LeaseEntity = { partitionKey: job, rowKey: tenant, holder, expiresAt: new Date(now.getTime() + ttlInMs).toISOString() };
  let tookOver: Lease['tookOver'];
  const claimed = await storageCall(`claim the ${job} lease of ${tenant}`, async () => {
    let existing: (LeaseEntity & { etag: string }) | undefined;
    try {
      existing = await leases.getEntity<LeaseEntity>(job, tenant);
    } catch (e: unknown) {
      if (statusOf(e) !== 404) throw e;
    }
    try {
      if (!existing) {
        await leases.createEntity(entity);
        return true;
      }
      if (existing.holder !== holder && Date.parse(existing.expiresAt) > now.getTime()) return false;
      await leases.updateEntity(entity, 'Replace', { etag: existing.etag });
      if (existing.holder !== holder) tookOver = { holder: existing.holder, expiredAt: existing.expiresAt };
      return true;
    } catch (e: unknown) {
      // Someone else created or renewed it between our read and write: theirs.
      if (statusOf(e) === 409 || statusOf(e) === 412) return false;
      throw e;
    }
  });
  if (!claimed) return undefined;
  return {
    ...(tookOver ? { tookOver } : {}),
    async release() {
      try {
        const current = await leases.getEntity<LeaseEntity>(job, tenant);
        if (current.holder === holder) await leases.deleteEntity(job, tenant, { etag: current.etag });
      } catch {
        // Expiry frees it; a failed release only delays the next scan of this tenant until then.
      }
    },
  };
}
