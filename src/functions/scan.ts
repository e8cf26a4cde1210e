/**
 * The scan path of the Function app: a timer queues one message per tenant, delayed into waves that
 * keep Graph's reports budget (waves.ts), and a queue trigger scans one tenant. Tenants are
 * independent: one failing (its message retried by the host, then parked in the poison queue) never
 * delays the others, and hundreds of tenants scale out across workers.
 */
import type { InvocationContext, Timer } from '@azure/functions';
import type { QueueClient } from '@azure/storage-queue';
import { deliverDue } from '../alerts/deliver.js';
import { CredwatchError, isCredwatchError, toCredwatchError } from '../errors.js';
import type { Logger } from '../logging.js';
import { runScan, type ScanSummary } from '../scan/index.js';
import { acquireLease } from './lease.js';
import { decodeQueueBody, encodeMessage, parseTenantMessage } from './messages.js';
import { tenantOfMessage, type FunctionRuntime } from './runtime.js';
import { storageCall } from './storage.js';
import type { ScanPlan } from './waves.js';

/** Longer than the longest a scan may run (host.json functionTimeout), so a live lease never lapses. */
export const SCAN_LEASE_IN_MS = 35 * 60_000;

export interface FanOutResult {
  queued: string[];
  /** Scan fan-out only: tenants whose turn is a later tick (see waves.ts). */
  deferred: string[];
  failed: Array<{ tenant: string; code: string }>;
  poison: PoisonReport;
}

export interface FanOutOptions {
  /** Reports only: the ISO week every message names. */
  week?: string;
  /** Scans only: who is queued on this tick and how long each message stays invisible. */
  plan?: ScanPlan;
}

/**
 * Queues one message per tenant (per planned tenant, with its delay, when there is a plan), then
 * reports what sits in the poison queue. Throws when a tenant could not be queued (after trying
 * every tenant), so the invocation is recorded as failed and the timer's retry policy runs it again;
 * duplicates are harmless (leases, seen ids, per-channel sent marks).
 */
export async function fanOut(
  rt: FunctionRuntime,
  queue: QueueClient,
  poisonQueue: QueueClient,
  timer: Timer | undefined,
  what: string,
  options: FanOutOptions = {},
): Promise<FanOutResult> {
  const tick = rt.now().toISOString();
  const { week, plan } = options;
  if (timer?.isPastDue) rt.logger.warn({ job: what }, `${what} timer is past due (the app was stopped or busy); running now`);
  const result: FanOutResult = { queued: [], deferred: plan?.deferred ?? [], failed: [], poison: { count: 0, tenants: [] } };
  const targets = plan?.queue ?? rt.config.tenants.map((t) => ({ tenant: t.name, delayInSeconds: 0 }));
  for (const { tenant, delayInSeconds } of targets) {
    try {
      const body = encodeMessage({ v: 1, tenant, tick, ...(week ? { week } : {}) });
      await storageCall(`queue the ${what} of ${tenant}`, () => queue.sendMessage(body, delayInSeconds > 0 ? { visibilityTimeout: delayInSeconds } : {}));
      result.queued.push(tenant);
    } catch (e: unknown) {
      // One tenant's message failing must not stop the rest; the failure is loud and the next tick retries.
      const err = toCredwatchError(e);
      rt.logger.error({ err, tenant, job: what }, `could not queue the ${what} of a tenant`);
      result.failed.push({ tenant, code: err.code });
    }
  }
  result.poison = await reportPoison(poisonQueue, rt.logger, what);
  rt.logger[result.failed.length > 0 ? 'error' : 'info'](
    { job: what, queued: result.queued.length, deferred: result.deferred.length, failed: result.failed, poison: result.poison.count },
    `${what} fan-out done`,
  );
  if (result.failed.length > 0) {
    throw new CredwatchError('STORAGE_UNAVAILABLE', `Could not queue the ${what} of ${result.failed.map((f) => f.tenant).join(', ')}; the timer retries.`, {
      details: { failed: result.failed },
    });
  }
  return result;
}

/**
 * Alerts of tenants no longer in the configuration (removed or renamed) would wait for a scan of
 * their tenant that never comes: the scan timer delivers them instead, so nothing pending is left
 * behind silently.
 */
export async function deliverOrphans(rt: FunctionRuntime): Promise<number> {
  const known = new Set(rt.config.tenants.map((t) => t.name));
  const pending = await rt.store.listOutbox(undefined, 'pending');
  const orphans = [...new Set(pending.map((e) => e.tenant).filter((t) => !known.has(t)))];
  let sent = 0;
  for (const tenant of orphans) {
    const summary = await deliverDue({ store: rt.store, channels: rt.channels, now: rt.now, logger: rt.logger, tenant });
    sent += summary.sent;
    rt.logger.warn(
      { tenant, delivery: { ...summary, errors: summary.errors.slice(0, 10) } },
      'delivered pending alerts of a tenant that is not in the configuration any more',
    );
  }
  return sent;
}

export interface PoisonReport {
  count: number;
  tenants: string[];
}

/**
 * Poison messages are work the host gave up on after its retries. They stay in the queue for an
 * operator and are reported at error level on every tick until someone deletes them, so a tenant
 * that keeps failing cannot go quiet.
 */
export async function reportPoison(poisonQueue: QueueClient, logger: Logger, what: string): Promise<PoisonReport> {
  try {
    let count: number;
    try {
      count = (await poisonQueue.getProperties()).approximateMessagesCount ?? 0;
    } catch (e: unknown) {
      // The host creates a poison queue on its first poison message: none yet is the good case.
      if ((e as { statusCode?: number }).statusCode === 404) return { count: 0, tenants: [] };
      throw e;
    }
    if (count === 0) return { count: 0, tenants: [] };
    const peeked = await poisonQueue.peekMessages({ numberOfMessages: 32 });
    const tenants = [
      ...new Set(
        peeked.peekedMessageItems.map((m) => {
          const body = decodeQueueBody(m.messageText);
          return typeof body === 'object' && body !== null && typeof (body as { tenant?: unknown }).tenant === 'string'
            ? (body as { tenant: string }).tenant
            : '(unreadable message)';
        }),
      ),
    ];
    logger.error(
      { job: what, queue: poisonQueue.name, count, tenants },
      `${count} ${what} message(s) failed every retry and wait in ${poisonQueue.name}; those tenants are not being ${what === 'scan' ? 'scanned' : 'reported'} — see the errors logged for them, fix, then delete the messages`,
    );
    return { count, tenants };
  } catch (e: unknown) {
    logger.error({ err: toCredwatchError(e), queue: poisonQueue.name }, 'could not read the poison queue; failed tenants may be unreported');
    return { count: -1, tenants: [] };
  }
}

export type ScanTenantOutcome = { status: 'scanned'; summary: ScanSummary } | { status: 'skipped'; reason: string };

/**
 * Scans the tenant a queue message names. Throws only when the scan could not run at all (state or
 * storage unavailable): the host then retries the message and finally moves it to the poison queue.
 * A scan that ran but had failing stages is recorded in the scan history and logged as an error;
 * retrying it at once would not help.
 */
export async function scanTenantMessage(rt: FunctionRuntime, input: unknown, context: InvocationContext): Promise<ScanTenantOutcome> {
  const found = tenantOfMessage(rt, parseTenantMessage(input));
  if (!found) return { status: 'skipped', reason: 'unknown tenant' };
  const { tenant, logger } = found;
  const lease = await acquireLease(rt.storage.leases, 'scan', tenant.name, context.invocationId, rt.now(), SCAN_LEASE_IN_MS);
  if (!lease) {
    const dequeueCount = Number(context.triggerMetadata?.['dequeueCount'] ?? 1);
    if (dequeueCount > 1) {
      // This message was tried before and that attempt still holds the lease: it crashed or timed
      // out. Failing keeps the message on its way to the poison queue, where it is reported,
      // instead of being completed and forgotten.
      throw new CredwatchError(
        'LEASE_HELD',
        `The scan of ${tenant.name} is still leased by an earlier attempt of this message (dequeue ${dequeueCount}); retrying later.`,
        { details: { tenant: tenant.name, dequeueCount } },
      );
    }
    logger.warn('a scan of this tenant is still running on another worker; this tick is skipped, not queued up');
    return { status: 'skipped', reason: 'scan in progress' };
  }
  if (lease.tookOver) {
    logger.error(
      { previous: lease.tookOver },
      'the previous scan of this tenant never finished (crashed or timed out) and its lease expired; scanning again from the last committed page',
    );
  }
  try {
    // The store's lease (src/scan/lease.ts) is the one the CLI and `serve` take too; this outer one
    // stays for what only queue messages need: a retried message whose earlier attempt still holds
    // it fails towards the poison queue instead of being completed and forgotten.
    const summary = await runScan(
      {
        config: rt.config,
        store: rt.store,
        connect: rt.connect,
        channels: rt.channels,
        logger: rt.logger,
        now: rt.now,
        fetch: rt.fetchFor(tenant),
        deliver: 'tenant',
      },
      tenant,
    );
    const failedSources = summary.sources.filter((s) => s.status === 'failed' || s.status === 'unknown').map((s) => s.source);
    if (summary.errors.length > 0 || failedSources.length > 0) {
      logger.error({ errors: summary.errors, failedSources }, 'scan incomplete: what was not collected is unknown, not clean');
    }
    if (summary.delivery.retrying > 0 || summary.delivery.failed > 0) {
      logger.error({ delivery: { ...summary.delivery, errors: summary.delivery.errors.slice(0, 10) } }, 'some alerts could not be delivered yet');
    }
    return { status: 'scanned', summary };
  } catch (e: unknown) {
    // A CLI or another deployment sharing this state is scanning the tenant: it delivers what it finds.
    if (!isCredwatchError(e, 'SCAN_IN_PROGRESS')) throw e;
    logger.warn({ err: e }, 'another process sharing the state store is scanning this tenant; this tick is skipped, not queued up');
    return { status: 'skipped', reason: 'scan in progress' };
  } finally {
    await lease.release();
  }
}
