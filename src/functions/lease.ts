/**
 * One scan per tenant at a time across every worker of the Function app. Queue messages are
 * delivered at least once and a slow scan can outlast the next timer tick, so two workers could
 * otherwise scan one tenant together: both would read the same window and double-count it. A lease
 * is one table entity per tenant, claimed with an etag-conditional write; it expires on its own
 * (after the function timeout) so a crashed worker cannot block the tenant for ever.
 */
import type { TableClient } from '@azure/data-tables';
import { claimLeaseEntity, releaseLeaseEntity } from '../state/azure-table-lease.js';
import { storageCall } from './storage.js';

export interface Lease {
  /** Gives the lease back (only if still ours); failures are ignored: it expires anyway. */
  release(): Promise<void>;
  /** Set when an expired lease of another holder was taken over: that run crashed or timed out. */
  tookOver?: { holder: string; expiredAt: string };
}

/**
 * Claims `job`'s lease on `tenant` for `holder` until `now + ttlInMs`. Resolves undefined when
 * another holder's lease has not expired. The etag-conditional claim is the state store's
 * (src/state/azure-table-lease.ts), which the per-tenant scan lease of every entry point uses too.
 */
export async function acquireLease(leases: TableClient, job: string, tenant: string, holder: string, now: Date, ttlInMs: number): Promise<Lease | undefined> {
  const expiresAt = new Date(now.getTime() + ttlInMs).toISOString();
  const claim = await storageCall(`claim the ${job} lease of ${tenant}`, () => claimLeaseEntity(leases, job, tenant, { holder, expiresAt }, now.getTime()));
  if (!claim.claimed) return undefined;
  const previous = claim.previous;
  return {
    ...(previous ? { tookOver: { holder: String(previous['holder']), expiredAt: String(previous['expiresAt']) } } : {}),
    async release() {
      try {
        await releaseLeaseEntity(leases, job, tenant, holder);
      } catch {
        // Expiry frees it; a failed release only delays the next scan of this tenant until then.
      }
    },
  };
}
