/**
 * The four function handlers, as plain functions of a runtime getter so tests call them with a real
 * `InvocationContext` exactly as the host does. Each runs inside `withInvocation`, so every log
 * record of the invocation (MSAL's and the SDKs' included) reaches `context` with its level.
 */
import type { InvocationContext, Timer } from '@azure/functions';
import { toCredwatchError } from '../errors.js';
import { withInvocation } from './log.js';
import { reportTenantMessage, type ReportTenantOutcome } from './report.js';
import type { FunctionRuntime } from './runtime.js';
import { fanOut, scanTenantMessage, type FanOutResult, type ScanTenantOutcome } from './scan.js';

export type RuntimeGetter = () => Promise<FunctionRuntime>;

async function invoke<T>(getRuntime: RuntimeGetter, context: InvocationContext, what: string, run: (rt: FunctionRuntime) => Promise<T>): Promise<T> {
  let rt: FunctionRuntime;
  try {
    rt = await getRuntime();
  } catch (e: unknown) {
    // No logger without a configuration: the invocation's own log still carries code and fix.
    const err = toCredwatchError(e);
    context.error(`credwatch could not start (${err.code}): ${err.message} Fix: ${err.fix}`);
    throw err;
  }
  return withInvocation(context, async () => {
    try {
      return await run(rt);
    } catch (e: unknown) {
      const err = toCredwatchError(e);
      rt.logger.error({ err, dequeueCount: context.triggerMetadata?.['dequeueCount'] }, `${what} failed; the host retries the message and parks it in the poison queue after its last attempt`);
      throw err;
    }
  });
}

export function scanTimerHandler(getRuntime: RuntimeGetter) {
  return (timer: Timer, context: InvocationContext): Promise<FanOutResult> =>
    invoke(getRuntime, context, 'scan fan-out', (rt) => fanOut(rt, rt.storage.scanQueue, rt.storage.scanPoison, timer, 'scan'));
}

export function scanTenantHandler(getRuntime: RuntimeGetter) {
  return (message: unknown, context: InvocationContext): Promise<ScanTenantOutcome> =>
    invoke(getRuntime, context, 'tenant scan', (rt) => scanTenantMessage(rt, message, context));
}

export function reportTimerHandler(getRuntime: RuntimeGetter) {
  return (timer: Timer, context: InvocationContext): Promise<FanOutResult> =>
    invoke(getRuntime, context, 'report fan-out', (rt) => fanOut(rt, rt.storage.reportQueue, rt.storage.reportPoison, timer, 'report'));
}

export function reportTenantHandler(getRuntime: RuntimeGetter) {
  return (message: unknown, context: InvocationContext): Promise<ReportTenantOutcome> =>
    invoke(getRuntime, context, 'tenant report', (rt) => reportTenantMessage(rt, message, context));
}
