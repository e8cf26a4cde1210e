import cron, { type ScheduledTask } from 'node-cron';
import { refreshAllowlists, reportAllTenants, scanAllTenants, type JobDeps, type JobResult } from './jobs.js';

export interface ServeHandle {
  /** Stops scheduling, waits for a run in flight (up to `graceInMs`), and resolves. */
  stop(graceInMs?: number): Promise<void>;
}

/**
 * `credwatch serve`: the schedules from the configuration, run by node-cron in its time zone. A job
 * never overlaps itself: a tick that arrives while the previous run is still going is skipped and
 * logged, not queued. Every run's result is logged (and each scan is recorded in the state store,
 * which `credwatch status` reads).
 */
export function startServe(deps: JobDeps): ServeHandle {
  const logger = deps.logger.child({ component: 'serve' });
  const { schedules } = deps.config;
  const running = new Set<Promise<unknown>>();
  const jobs: Array<[string, string, () => Promise<JobResult>]> = [
    ['scan', schedules.scan, () => scanAllTenants(deps)],
    ['report', schedules.report, () => reportAllTenants(deps)],
    ['refreshAllowlists', schedules.refreshAllowlists, () => refreshAllowlists(deps, logger)],
  ];
  const tasks: ScheduledTask[] = jobs.map(([name, expression, run]) => {
    const task = cron.schedule(
      expression,
      async () => {
        const started = Date.now();
        const work = run();
        running.add(work);
        try {
          const result = await work;
          logger[result.ok ? 'info' : 'warn']({ job: name, ok: result.ok, ms: Date.now() - started, detail: result.detail }, `${name} run finished`);
        } catch (e: unknown) {
          logger.error({ err: e, job: name }, `${name} run failed`);
        } finally {
          running.delete(work);
        }
      },
      { name, timezone: schedules.timeZone, noOverlap: true },
    );
    task.on('execution:overlap', () => logger.warn({ job: name }, `${name} still running at its next tick; that tick is skipped`));
    return task;
  });
  logger.info({ schedules }, 'credwatch serve started');
  return {
    async stop(graceInMs = 60_000) {
      for (const task of tasks) await task.stop();
      // Each scan commits page by page, so a run cut short loses nothing; waiting lets it end cleanly.
      const inFlight = Promise.allSettled([...running]);
      const timedOut = await Promise.race([inFlight.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), graceInMs).unref())]);
      if (timedOut) logger.warn({ graceInMs }, 'a run was still going at shutdown; it is abandoned and resumes from the last committed page');
      for (const task of tasks) await task.destroy();
      logger.info('credwatch serve stopped');
    },
  };
}
