/**
 * The Azure Functions entry point (v4 Node programming model). It only registers the functions:
 * everything else (the Graph, storage and report code, ~2.5 MB bundled) is imported on the first
 * invocation, so indexing the app stays cheap and a config or token problem surfaces inside an
 * invocation's log, with its error code, rather than as a worker that fails to start.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, type InvocationContext, type Timer } from '@azure/functions';
import { STORAGE_CONNECTION } from '../azure/storage.js';
import { DEFAULT_REPORT_SCHEDULE, DEFAULT_SCAN_SCHEDULE, REPORT_QUEUE, SCAN_QUEUE, SETTINGS } from './names.js';
import { ncrontabSetting } from './schedule.js';
import type * as Handlers from './handlers.js';
import type { FunctionRuntime } from './runtime.js';

// The bundle sits in <appRoot>/dist/app.js; the config file is read relative to <appRoot>.
const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

let loaded: Promise<typeof Handlers & { runtime: () => Promise<FunctionRuntime> }> | undefined;
function load() {
  loaded ??= Promise.all([import('./handlers.js'), import('./runtime.js')]).then(([handlers, { createRuntime, lazyRuntime }]) => ({
    ...handlers,
    runtime: lazyRuntime(() => createRuntime({ env: process.env, appRoot })),
  }));
  return loaded;
}

app.timer('scanTimer', {
  schedule: ncrontabSetting(process.env, SETTINGS.scanSchedule, DEFAULT_SCAN_SCHEDULE),
  handler: async (timer: Timer, context: InvocationContext) => {
    const h = await load();
    await h.scanTimerHandler(h.runtime)(timer, context);
  },
});
app.storageQueue('scanTenant', {
  queueName: SCAN_QUEUE,
  connection: STORAGE_CONNECTION,
  handler: async (message: unknown, context: InvocationContext) => {
    const h = await load();
    await h.scanTenantHandler(h.runtime)(message, context);
  },
});
app.timer('reportTimer', {
  schedule: ncrontabSetting(process.env, SETTINGS.reportSchedule, DEFAULT_REPORT_SCHEDULE),
  handler: async (timer: Timer, context: InvocationContext) => {
    const h = await load();
    await h.reportTimerHandler(h.runtime)(timer, context);
  },
});
app.storageQueue('reportTenant', {
  queueName: REPORT_QUEUE,
  connection: STORAGE_CONNECTION,
  handler: async (message: unknown, context: InvocationContext) => {
    const h = await load();
    await h.reportTenantHandler(h.runtime)(message, context);
  },
});
