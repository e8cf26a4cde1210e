/**
 * When each tenant's scan starts. The scan timer queues one message per tenant; a queue message can
 * be sent invisible for a while (`visibilityTimeout` on Put Message, at most 7 days:
 * https://learn.microsoft.com/rest/api/storageservices/put-message), which is the one control over
 * Function instances that share no memory. Tenants signing in with one app share that app's reports
 * budget (budget.ts), so per app they start in waves of at most `tenantsPerWave`, spread evenly over
 * the interval between two timer ticks.
 *
 * When an app's tenants need more waves than one interval holds, the waves are not allowed to run
 * into the next tick's: the next tick would start its own first wave on top of them, every interval
 * would carry more than the budget, and the backlog would only grow. Instead each tick scans the
 * next slice of that app's tenants, so every tenant is scanned every `rounds` intervals and the
 * budget holds; the per-tenant lease still keeps two scans of one tenant apart. The fan-out logs that
 * at error level with the numbers, because detection is then slower than the schedule says.
 */
import type { TenantConfig } from '../config/types.js';
import type { Logger } from '../logging.js';
import { SCAN_WAVES, type WaveBudget } from './budget.js';
import { SETTINGS } from './names.js';
import { parseNcrontab, shortestIntervalInMs, tickOrdinal } from './ncrontab.js';

/** A message may stay invisible for at most 7 days; keep an hour's margin below that. */
export const MAX_DELAY_IN_SECONDS = 7 * 24 * 3600 - 3600;

/** One app registration's share of a tick. */
export interface AppWaves {
  /** Which app: its client id (or "system-assigned identity") and the Graph it calls. */
  app: string;
  /** Tenants in the configuration that sign in with it. */
  tenants: number;
  /** Tenants queued on this tick. */
  queued: number;
  /** Waves this tick, and the seconds between their starts. */
  waves: number;
  spacingInSeconds: number;
  /** Tenants one tick can start within the app's budget. */
  capacityPerTick: number;
  /** Ticks it takes to scan all of the app's tenants once (1: all of them every tick). */
  rounds: number;
  /** Which of those ticks this one is (0-based). */
  round: number;
}

export interface ScanPlan {
  /** Every tenant queued on this tick, in configuration order, with its delay in seconds. */
  queue: Array<{ tenant: string; delayInSeconds: number }>;
  /** Tenants left for a later tick of their rotation. */
  deferred: string[];
  apps: AppWaves[];
  intervalInSeconds: number;
}

/**
 * Report budgets are per app (the client id that signs the requests) and per Graph deployment: the
 * same client id in another national cloud is another budget.
 */
export function appOf(tenant: TenantConfig): string {
  // Lower-cased as the Graph client keys its in-process budget; a GUID's case means nothing.
  const client = tenant.auth.clientId?.toLowerCase() ?? 'system-assigned identity';
  return `${client} at ${tenant.endpoints.graphBaseUrl}`;
}

export interface PlanOptions {
  /** The shortest time between two timer ticks (ncrontab.ts). */
  intervalInMs: number;
  /** The tick's number in its schedule, which picks the slice when tenants rotate. */
  ordinal: number;
  budget?: WaveBudget;
}

/** Plans one tick of the scan fan-out. Pure: the same tenants, interval and ordinal give the same plan. */
export function planScanWaves(tenants: readonly TenantConfig[], options: PlanOptions): ScanPlan {
  const budget = options.budget ?? SCAN_WAVES;
  const spreadInSeconds = Math.max(1, Math.min(Math.floor(options.intervalInMs / 1000), MAX_DELAY_IN_SECONDS));
  const waveInSeconds = Math.max(1, Math.ceil(budget.waveInMs / 1000));
  // At least one wave per tick, even when one wave's reads outlast the interval.
  const wavesPerTick = Math.max(1, Math.floor(spreadInSeconds / waveInSeconds));
  const capacity = budget.tenantsPerWave * wavesPerTick;

  const groups = new Map<string, TenantConfig[]>();
  for (const tenant of tenants) {
    const app = appOf(tenant);
    const members = groups.get(app);
    if (members) members.push(tenant);
    else groups.set(app, [tenant]);
  }

  const delays = new Map<string, number>();
  const apps: AppWaves[] = [];
  for (const [app, members] of groups) {
    const rounds = Math.ceil(members.length / capacity);
    const round = ((options.ordinal % rounds) + rounds) % rounds;
    const slice = members.slice(round * capacity, (round + 1) * capacity);
    const waves = Math.ceil(slice.length / budget.tenantsPerWave);
    // Balanced waves (60 tenants: 20 + 20 + 20, not 24 + 24 + 12) as far apart as the interval
    // allows: the slack absorbs scans that read more than planned.
    const perWave = Math.ceil(slice.length / waves);
    const spacingInSeconds = waves > 1 ? Math.floor(spreadInSeconds / waves) : 0;
    slice.forEach((tenant, i) => delays.set(tenant.name, Math.floor(i / perWave) * spacingInSeconds));
    apps.push({ app, tenants: members.length, queued: slice.length, waves, spacingInSeconds, capacityPerTick: capacity, rounds, round });
  }

  const queue: ScanPlan['queue'] = [];
  const deferred: string[] = [];
  for (const tenant of tenants) {
    const delayInSeconds = delays.get(tenant.name);
    if (delayInSeconds === undefined) deferred.push(tenant.name);
    else queue.push({ tenant: tenant.name, delayInSeconds });
  }
  return { queue, deferred, apps, intervalInSeconds: Math.floor(options.intervalInMs / 1000) };
}

/**
 * Plans the tick the scan timer is running now on `schedule` and logs the plan: at info level
 * normally, at error level for each app whose tenants no longer fit in one interval.
 */
export function planScanTick(tenants: readonly TenantConfig[], schedule: string, now: Date, logger: Logger, budget: WaveBudget = SCAN_WAVES): ScanPlan {
  const parsed = parseNcrontab(schedule);
  // A schedule that never fires in the next two years never runs this either; 15 min is a safe guess.
  const intervalInMs = shortestIntervalInMs(parsed, now) ?? 15 * 60_000;
  const plan = planScanWaves(tenants, { intervalInMs, ordinal: tickOrdinal(parsed, now), budget });
  const waveInSeconds = Math.ceil(budget.waveInMs / 1000);
  logger.info(
    { schedule, intervalInSeconds: plan.intervalInSeconds, tenantsPerWave: budget.tenantsPerWave, waveInSeconds, apps: plan.apps },
    'scan waves planned',
  );
  for (const a of plan.apps.filter((x) => x.rounds > 1)) {
    logger.error(
      {
        app: a.app,
        tenants: a.tenants,
        capacityPerTick: a.capacityPerTick,
        intervalInSeconds: plan.intervalInSeconds,
        rounds: a.rounds,
        round: a.round,
        queued: a.queued,
      },
      `${a.tenants} tenants sign in with ${a.app}, but one ${plan.intervalInSeconds}-second interval holds ${a.capacityPerTick} of them within Graph's reports budget ` +
        `(${budget.tenantsPerWave} tenants per ${waveInSeconds} s): each of them is scanned every ${a.rounds} intervals (${Math.round((a.rounds * plan.intervalInSeconds) / 60)} min) instead of every interval, ` +
        `this tick queues slice ${a.round + 1} of ${a.rounds}. Lengthen ${SETTINGS.scanSchedule}'s interval or split the tenants across app registrations (docs/deploy-azure.md, "How many tenants one app can scan").`,
    );
  }
  return plan;
}
