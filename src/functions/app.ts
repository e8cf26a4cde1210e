/**
 * The Azure Functions entry point (v4 Node programming model). It only registers the functions:
 * everything else (the Graph, storage, scan and report code, ~3.8 MB bundled) is imported on the
 * first invocation — the runtime here, the scan or the report path by the handler that needs it
 * (handlers.ts) — so indexing the app stays cheap and a config or token problem surfaces inside an
 * invocation's log, with its error code, rather than as a worker that fails to start.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, type InvocationContext, type Timer } from '@azure/functions';
import { STORAGE_CONNECTION } from '../config/storage.js';
import type * as Handlers from './handlers.js';
import { DEFAULT_REPORT_SCHEDULE, DEFAULT_SCAN_SCHEDULE, REPORT_QUEUE, SCAN_QUEUE, SETTINGS } from './names.js';
import type { FunctionRuntime } from './runtime.js';
import { logScheduleProblem, ncrontabSetting, type ScheduleSetting } from './schedule.js';

// The bundle sits in <appRoot>/dist/app.js; the config file is read relative to <appRoot>.
const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

type Loaded = typeof Handlers & { runtime: () => Promise<FunctionRuntime> };
let loaded: Promise<Loaded> | undefined;
function load(): Promise<Loaded> {
  loaded ??= Promise.all([import('./handlers.js'), import('./runtime.js')])
    .then(([handlers, { createRuntime, lazyRuntime }]) => ({ ...handlers, runtime: lazyRuntime(() => createRuntime({ env: process.env, appRoot })) }))
    .catch((e: unknown) => {
      // A failed import is not cached: the next invocation tries again.
      loaded = undefined;
      throw e;
    });
  return loaded;
}

function timerHandler(setting: ScheduleSetting, pick: (h: Loaded) => (timer: Timer, context: InvocationContext) => Promise<unknown>) {
  return async (timer: Timer, context: InvocationContext): Promise<void> => {
    logScheduleProblem(setting, context);
    const h = await load();
    await pick(h)(timer, context);
  };
}

function queueHandler(pick: (h: Loaded) => (message: unknown, context: InvocationContext) => Promise<unknown>) {
  return async (message: unknown, context: InvocationContext): Promise<void> => {
    const h = await load();
    await pick(h)(message, context);
  };
}

const scanSchedule = ncrontabSetting(process.env, SETTINGS.scanSchedule, DEFAULT_SCAN_SCHEDULE);
const reportSchedule = ncrontabSetting(process.env, SETTINGS.reportSchedule, DEFAULT_REPORT_SCHEDULE);

app.timer('scanTimer', {
  schedule: scanSchedule.schedule,
  handler: timerHandler(scanSchedule, (h) => h.scanTimerHandler(h.runtime, scanSchedule.schedule)),
});
app.storageQueue('scanTenant', {
  queueName: SCAN_QUEUE,
  connection: STORAGE_CONNECTION,
  handler: queueHandler((h) => h.scanTenantHandler(h.runtime)),
});
app.timer('reportTimer', {
  schedule: reportSchedule.schedule,
  // The next tick is a week away: a fan-out that failed (storage blip, cold identity) is retried.
  retry: { strategy: 'exponentialBackoff', maxRetryCount: 5, minimumInterval: 60_000, maximumInterval: 900_000 },
  handler: timerHandler(reportSchedule, (h) => h.reportTimerHandler(h.runtime)),
});
app.storageQueue('reportTenant', {
  queueName: REPORT_QUEUE,
  connection: STORAGE_CONNECTION,
  handler: queueHandler((h) => h.reportTenantHandler(h.runtime)),
});
