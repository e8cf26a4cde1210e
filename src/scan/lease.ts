/**
 * One scan per tenant at a time, whichever entry point runs it (CLI, `serve`, the Function app)
 * and however many share the state store. Two scans of one tenant at once would read the same
 * window, queue the same rounds and send them from both. The lease lives in the store
 * (`acquireScanLease`), expires after {@link SCAN_LEASE_IN_MS} so a crashed scan blocks the tenant
 * only that long, and is renewed while the scan runs, however long `collection.maxRunMinutes` lets
 * it (docs/state.md, "Two workers at once").
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { CredwatchError, toCredwatchError } from '../errors.js';
import type { Logger } from '../logging.js';
import type { LeaseHolder, StateStore } from '../state/types.js';

/** Short, so a crashed scan holds its tenant back for minutes, not a whole maxRunMinutes. */
export const SCAN_LEASE_IN_MS = 5 * 60_000;
/** A fifth of the lease: four renewals can fail (a busy store) before the lease is at risk. */
const RENEW_EVERY_IN_MS = SCAN_LEASE_IN_MS / 5;

export interface HeldLease {
  /** Stops renewing and gives the lease back; never throws (an unreleased lease just expires). */
  release(): Promise<void>;
}

/** What {@link holdScanLease} uses: the store, the scan's clock and logger. */
export interface LeaseDeps {
  store: StateStore;
  now: () => Date;
  logger: Logger;
}

/**
 * Takes `tenant`'s scan lease and keeps renewing it until released. Throws SCAN_IN_PROGRESS,
 * naming the holder's host, pid and lease expiry, when another scan holds it.
 */
export async function holdScanLease(deps: LeaseDeps, tenant: string): Promise<HeldLease> {
  const holder: LeaseHolder = { id: randomUUID(), host: hostname(), pid: process.pid };
  let claim = await deps.store.acquireScanLease(tenant, holder, deps.now(), SCAN_LEASE_IN_MS);
  if (!claim.acquired && isGone(claim.current.holder)) {
    // A scan killed on this machine (Ctrl-C, OOM, a container restart with the host's pid
    // namespace) need not hold its tenant for the lease's minutes.
    claim = await deps.store.acquireScanLease(tenant, holder, deps.now(), SCAN_LEASE_IN_MS, claim.current.holder.id);
  }
  if (!claim.acquired) {
    const { host, pid } = claim.current.holder;
    const expiresAt = claim.current.expiresAt.toISOString();
    throw new CredwatchError(
      'SCAN_IN_PROGRESS',
      `${tenant} is being scanned by another process (host ${host}, pid ${pid}); its lease runs until ${expiresAt}. This scan did not start.`,
      { details: { tenant, host, pid, expiresAt } },
    );
  }
  if (claim.tookOver) {
    deps.logger.warn(
      { previous: { ...claim.tookOver.holder, expiresAt: claim.tookOver.expiresAt } },
      'the previous scan of this tenant never released its lease (crashed or killed); scanning from the last committed page',
    );
  }
  let renewing: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    renewing = renew(deps, tenant, holder);
  }, RENEW_EVERY_IN_MS);
  // A scan that ended without releasing (a bug) must not keep the process alive.
  timer.unref();
  return {
    async release() {
      clearInterval(timer);
      await renewing;
      try {
        await deps.store.releaseScanLease(tenant, holder.id);
      } catch (e: unknown) {
        deps.logger.warn({ err: toCredwatchError(e) }, 'could not release the scan lease; it expires on its own');
      }
    },
  };
}

/**
 * Whether the holder ran on this host under a pid no process has now. Signal 0 checks existence
 * only; EPERM means the process exists under another user. A holder on another host (another
 * container, another machine) is never judged: its lease expires instead.
 */
function isGone(holder: LeaseHolder): boolean {
  if (holder.host !== hostname() || holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (e: unknown) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function renew(deps: LeaseDeps, tenant: string, holder: LeaseHolder): Promise<void> {
  try {
    const claim = await deps.store.acquireScanLease(tenant, holder, deps.now(), SCAN_LEASE_IN_MS);
    // Only after this process stalled past the lease (the event loop blocked, the machine suspended):
    // the other scan's outbox claims still keep each alert from being sent twice.
    if (!claim.acquired) deps.logger.error({ holder: claim.current.holder }, 'the scan lease lapsed and another scan took this tenant over');
  } catch (e: unknown) {
    deps.logger.warn({ err: toCredwatchError(e) }, 'could not renew the scan lease; trying again');
  }
}
