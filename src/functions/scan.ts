/**
 * The scan path of the Function app: a timer queues one message per tenant, a queue trigger scans
 * one tenant. Tenants are independent: one failing (its message retried by the host, then parked
 * in the poison queue) never delays the others, and hundreds of tenants scale out across workers.
 */
import type { InvocationContext, Timer } from '@azure/functions';
import type { QueueClient } from '@azure/storage-queue';
import { tenantFetch } from '../graph/connect.js';
import { toCredwatchError } from '../errors.js';
import type { Logger } from '../logging.js';
import { runScan, type ScanSummary } from '../scan/index.js';
import { acquireLease } from './lease.js';
import { decodeQueueBody, encodeMessage, parseTenantMessage } from './messages.js';
import { tenantOfMessage, type FunctionRuntime } from './runtime.js';
import { storageCall } from './storage.js';

/** Longer than the longest a scan may run (host.json functionTimeout), so a live lease never lapses. */
export const SCAN_LEASE_IN_MS = 35 * 60_000;

export interface FanOutResult {
  queued: string[];
  failed: Array<{ tenant: string; code: string }>;
  poison: PoisonReport;
}

/** Queues one message per configured tenant, then reports what sits in the poison queue. */
export async function fanOut(rt: FunctionRuntime, queue: QueueClient, poisonQueue: QueueClient, timer: Timer | undefined, what: string, week?: string): Promise<FanOutResult> {
  const tick = rt.now().toISOString();
  if (timer?.isPastDue) rt.logger.warn({ job: what }, `${what} timer is past due (the app was stopped or busy); running now`);
  const result: FanOutResult = { queued: [], failed: [], poison: { count: 0, tenants: [] } };
  for (const tenant of rt.config.tenants) {
    try {
      const body = encodeMessage({ v: 1, tenant: tenant.name, tick, ...(week ? { week } : {}) });
      await storageCall(`queue the ${what} of ${tenant.name}`, () => queue.sendMessage(body));
      result.queued.push(tenant.name);
    } catch (e: unknown) {
      // One tenant's message failing must not stop the rest; the failure is loud and the next tick retries.
      const err = toCredwatchError(e);
      rt.logger.error({ err, tenant: tenant.name, job: what }, `could not queue the ${what} of a tenant`);
      result.failed.push({ tenant: tenant.name, code: err.code });
    }
  }
  result.poison = await reportPoison(poisonQueue, rt.logger, what);
  rt.logger[result.failed.length > 0 ? 'error' : 'info']({ job: what, queued: result.queued.length, failed: result.failed, poison: result.poison.count }, `${what} fan-out done`);
  return result;
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
    if (!(await poisonQueue.exists())) return { count: 0, tenants: [] };
    const props = await poisonQueue.getProperties();
    const count = props.approximateMessagesCount ?? 0;
    if (count === 0) return { count: 0, tenants: [] };
    const peeked = await poisonQueue.peekMessages({ numberOfMessages: 32 });
    const tenants = [...new Set(peeked.peekedMessageItems.map((m) => {
      const body = decodeQueueBody(m.messageText);
      return typeof body === 'object' && body !== null && typeof (body as { tenant?: unknown }).tenant === 'string' ? (body as { tenant: string }).tenant : '(unreadable message)';
    }))];
    logger.error({ job: what, queue: poisonQueue.name, count, tenants }, `${count} ${what} message(s) failed every retry and wait in ${poisonQueue.name}; those tenants are not being ${what === 'scan' ? 'scanned' : 'reported'} — see the errors logged for them, fix, then delete the messages`);
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
    logger.warn('a scan of this tenant is still running on another worker; this tick is skipped, not queued up');
    return { status: 'skipped', reason: 'scan in progress' };
  }
  try {
    const summary = await runScan(
      { config: rt.config, store: rt.store, connect: rt.connect, channels: rt.channels, logger: rt.logger, now: rt.now, fetch: tenantFetch(tenant), deliver: 'tenant' },
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
  } finally {
    await lease.release();
  }
}
