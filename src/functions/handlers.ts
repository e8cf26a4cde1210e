/**
 * The four function handlers, as plain functions of a runtime getter so tests call them with a real
 * `InvocationContext` exactly as the host does. Each runs inside `withInvocation`, so every log
 * record of the invocation (MSAL's and the SDKs' included) reaches `context` with its level.
 *
 * The scan path (rules, allowlists, collectors, certificate parsing) and the report path (HTML,
 * CSV, report delivery) are imported by the handlers that need them, not by this module: a worker's
 * first invocation compiles only its own path (`npm run bench function`).
 */
import type { InvocationContext, Timer } from '@azure/functions';
import { toCredwatchError } from '../errors.js';
import { lastCompleteWeek } from '../report/week.js';
import { withInvocation } from './log.js';
import { DEFAULT_SCAN_SCHEDULE } from './names.js';
import type { ReportTenantOutcome } from './report.js';
import type { FunctionRuntime } from './runtime.js';
import type { FanOutResult, ScanTenantOutcome } from './scan.js';
import { planScanTick } from './waves.js';

/** How a handler gets the worker's runtime: built on first use and kept (`lazyRuntime`). */
export type RuntimeGetter = () => Promise<FunctionRuntime>;

/** The scan path: fan-out (both timers) and the tenant scan. */
const scanPath = () => import('./scan.js');
/** The report path: only the tenant report builds and sends a report. */
const reportPath = () => import('./report.js');

async function invoke<P, T>(
  getRuntime: RuntimeGetter,
  context: InvocationContext,
  what: string,
  path: () => Promise<P>,
  run: (rt: FunctionRuntime, code: P) => Promise<T>,
): Promise<T> {
  // Inside the invocation from the start: what building the runtime logs (a channel that cannot
  // deliver, a slow managed identity) belongs to this invocation too.
  return withInvocation(context, async () => {
    // The invocation's code compiles while the runtime waits on storage and the identity endpoint.
    const loading = path();
    // Awaited below; when the runtime fails first, its error is the one to report.
    loading.catch(() => undefined);
    let rt: FunctionRuntime;
    try {
      rt = await getRuntime();
    } catch (e: unknown) {
      // No logger without a configuration: the invocation's own log still carries code and fix.
      const err = toCredwatchError(e);
      context.error(`credwatch could not start (${err.code}): ${err.message} Fix: ${err.fix}`);
      throw err;
    }
    try {
      return await run(rt, await loading);
    } catch (e: unknown) {
      const err = toCredwatchError(e);
      rt.logger.error(
        { err, dequeueCount: context.triggerMetadata?.['dequeueCount'] },
        `${what} failed; the host retries it (a queue message is parked in the poison queue after its last attempt)`,
      );
      throw err;
    }
  });
}

/**
 * The scan timer: queues each tenant's scan in waves that keep the app's Graph reports budget
 * (waves.ts), then delivers alerts no scan will deliver any more. `schedule` is the timer's own
 * NCRONTAB expression: the waves are spread over the interval between its ticks.
 */
export function scanTimerHandler(getRuntime: RuntimeGetter, schedule: string = DEFAULT_SCAN_SCHEDULE) {
  return (timer: Timer, context: InvocationContext): Promise<FanOutResult> =>
    invoke(getRuntime, context, 'scan fan-out', scanPath, async (rt, { fanOut, deliverOrphans }) => {
      const plan = planScanTick(rt.config.tenants, schedule, rt.now(), rt.logger);
      const result = await fanOut(rt, rt.storage.scanQueue, rt.storage.scanPoison, timer, 'scan', { plan });
      try {
        await deliverOrphans(rt);
      } catch (e: unknown) {
        rt.logger.error({ err: toCredwatchError(e) }, 'could not deliver the pending alerts of tenants no longer configured');
      }
      return result;
    });
}

/** The scan queue trigger: scans the one tenant its message names (see `scanTenantMessage`). */
export function scanTenantHandler(getRuntime: RuntimeGetter) {
  return (message: unknown, context: InvocationContext): Promise<ScanTenantOutcome> =>
    invoke(getRuntime, context, 'tenant scan', scanPath, (rt, { scanTenantMessage }) => scanTenantMessage(rt, message, context));
}

/** The report timer: queues every tenant's weekly report for the last complete week. */
export function reportTimerHandler(getRuntime: RuntimeGetter) {
  return (timer: Timer, context: InvocationContext): Promise<FanOutResult> =>
    // The week is fixed when the timer fires, so a message processed late (or retried) still
    // reports the week it was meant for.
    // Reports read only the state store (and send through the channels): no Graph reports budget
    // to spread, so every tenant is queued at once.
    invoke(getRuntime, context, 'report fan-out', scanPath, (rt, { fanOut }) =>
      fanOut(rt, rt.storage.reportQueue, rt.storage.reportPoison, timer, 'report', { week: lastCompleteWeek(rt.now()) }),
    );
}

/** The report queue trigger: builds, stores and sends the one tenant's weekly report its message names. */
export function reportTenantHandler(getRuntime: RuntimeGetter) {
  return (message: unknown, context: InvocationContext): Promise<ReportTenantOutcome> =>
    invoke(getRuntime, context, 'tenant report', reportPath, (rt, { reportTenantMessage }) => reportTenantMessage(rt, message, context));
}
