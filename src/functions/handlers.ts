/**
 * The four function handlers, as plain functions of a runtime getter so tests call them with a real
 * `InvocationContext` exactly as the host does. Each runs inside `withInvocation`, so every log
 * record of the invocation (MSAL's and the SDKs' included) reaches `context` with its level.
 */
import type { InvocationContext, Timer } from '@azure/functions';
import { toCredwatchError } from '../errors.js';
import { lastCompleteWeek } from '../report/week.js';
import { withInvocation } from './log.js';
import { DEFAULT_SCAN_SCHEDULE } from './names.js';
import { reportTenantMessage, type ReportTenantOutcome } from './report.js';
import type { FunctionRuntime } from './runtime.js';
import { deliverOrphans, fanOut, scanTenantMessage, type FanOutResult, type ScanTenantOutcome } from './scan.js';
import { planScanTick } from './waves.js';

export type RuntimeGetter = () => Promise<FunctionRuntime>;

async function invoke<T>(getRuntime: RuntimeGetter, context: InvocationContext, what: string, run: (rt: FunctionRuntime) => Promise<T>): Promise<T> {
  // Inside the invocation from the start: what building the runtime logs (a channel that cannot
  // deliver, a slow managed identity) belongs to this invocation too.
  return withInvocation(context, async () => {
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
      return await run(rt);
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
    invoke(getRuntime, context, 'scan fan-out', async (rt) => {
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

export function scanTenantHandler(getRuntime: RuntimeGetter) {
  return (message: unknown, context: InvocationContext): Promise<ScanTenantOutcome> =>
    invoke(getRuntime, context, 'tenant scan', (rt) => scanTenantMessage(rt, message, context));
}

export function reportTimerHandler(getRuntime: RuntimeGetter) {
  return (timer: Timer, context: InvocationContext): Promise<FanOutResult> =>
    // The week is fixed when the timer fires, so a message processed late (or retried) still
    // reports the week it was meant for.
    // Reports read only the state store (and send through the channels): no Graph reports budget
    // to spread, so every tenant is queued at once.
    invoke(getRuntime, context, 'report fan-out', (rt) =>
      fanOut(rt, rt.storage.reportQueue, rt.storage.reportPoison, timer, 'report', { week: lastCompleteWeek(rt.now()) }),
    );
}

export function reportTenantHandler(getRuntime: RuntimeGetter) {
  return (message: unknown, context: InvocationContext): Promise<ReportTenantOutcome> =>
    invoke(getRuntime, context, 'tenant report', (rt) => reportTenantMessage(rt, message, context));
}
