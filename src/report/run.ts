/**
 * One weekly report for one tenant: load the week from the state store, build the model, keep it
 * for next week's comparison, and optionally write the files. Every entry point (CLI, node-cron,
 * Azure Functions, the demo) calls this, so they all produce the same report.
 */
import type { CollectionConfig, TenantConfig, VendorConfig } from '../config/types.js';
import type { Inventory } from '../events.js';
import type { PostureThresholds } from '../inventory/assess.js';
import { parseInventory } from '../inventory/snapshot.js';
import type { Logger } from '../logging.js';
import { RULES } from '../rules/index.js';
import type { StateStore } from '../state/types.js';
import { writeReportFiles, type ReportFiles } from './files.js';
import { parseReportJson, renderReportJson } from './json.js';
import { SIGNIN_RETENTION_IN_DAYS } from './coverage.js';
import { buildWeeklyReport } from './model.js';
import type { WeeklyReport } from './types.js';
import { daysOf, lastCompleteWeek, previousWeek, weekRange } from './week.js';

export interface ReportDeps {
  store: StateStore;
  /** The parts of the configuration the report reads (a whole `Config` fits). */
  config: { posture: PostureThresholds; vendors: readonly VendorConfig[]; collection: Pick<CollectionConfig, 'backfillInDays'> };
  now: () => Date;
  logger: Logger;
}

export interface RunReportOptions {
  /** Write the files here (see `writeReportFiles`); nothing is written without it. */
  outDir?: string;
  renderHtml?: (report: WeeklyReport) => string;
}

/** The store key of a tenant's report for a week; next week's report reads it back. */
export const reportCacheKey = (tenant: string, week: string): string => `report:${tenant}:${week}`;

function ruleTitle(): (id: string) => string {
  const titles = new Map(RULES.map((r) => [r.id, r.title]));
  return (id) => titles.get(id) ?? id;
}

async function loadInventory(deps: ReportDeps, tenant: string, from: Date, logger: Logger): Promise<Inventory | undefined> {
  const snapshot = await deps.store.getLatestSnapshot(tenant);
  if (!snapshot) return undefined;
  // An inventory last taken before the week began says nothing about the week: unknown, not stale-but-shown.
  if (snapshot.takenAt < from) {
    logger.warn({ takenAt: snapshot.takenAt.toISOString() }, 'latest inventory snapshot predates the report week; inventory reported as not collected');
    return undefined;
  }
  try {
    return parseInventory(snapshot.json);
  } catch (e: unknown) {
    logger.error({ err: e }, 'inventory snapshot could not be read; inventory reported as not collected');
    return undefined;
  }
}

async function loadPrevious(deps: ReportDeps, tenant: string, week: string, logger: Logger): Promise<WeeklyReport | undefined> {
  const entry = await deps.store.getCache(reportCacheKey(tenant, previousWeek(week)));
  if (!entry) return undefined;
  const previous = parseReportJson(entry.body);
  if (!previous)
    logger.warn({ key: reportCacheKey(tenant, previousWeek(week)) }, 'stored previous report is not a credwatch.report/v1 report; comparing with nothing');
  return previous;
}

/**
 * Builds the tenant's report for `week` (default: the last complete ISO week at `now`), stores it
 * under `report:<tenant>:<week>` and writes the files when `options.outDir` is set.
 */
export async function runReport(
  deps: ReportDeps,
  tenant: Pick<TenantConfig, 'name'>,
  week?: string,
  options: RunReportOptions = {},
): Promise<{ report: WeeklyReport; files?: ReportFiles }> {
  const generatedAt = deps.now();
  const range = weekRange(week ?? lastCompleteWeek(generatedAt));
  const logger = deps.logger.child({ tenant: tenant.name, report: range.week });
  const days = daysOf(range);
  // A scan up to a retention after the week may have read its sign-ins; one up to a retention
  // before it tells whether the first scan's backfill began inside the week (src/report/coverage.ts).
  const retentionMs = SIGNIN_RETENTION_IN_DAYS * 86_400_000;
  const scansFrom = new Date(range.from.getTime() - retentionMs);
  const scansTo = new Date(Math.max(range.to.getTime(), Math.min(generatedAt.getTime(), range.to.getTime() + retentionMs)));

  const [inventory, previous, findings, alerts, outbox, aggregates, scans, signInCoverage] = await Promise.all([
    loadInventory(deps, tenant.name, range.from, logger),
    loadPrevious(deps, tenant.name, range.week, logger),
    deps.store.listFindings(tenant.name, range.from, range.to),
    deps.store.listAlerts(tenant.name, range.from, range.to),
    deps.store.listOutbox(tenant.name, undefined),
    deps.store.listAggregates(tenant.name, days[0] ?? '', days.at(-1) ?? ''),
    deps.store.listScans(tenant.name, scansFrom, scansTo),
    deps.store.getCoverage(tenant.name, 'signIns'),
  ]);

  const report = buildWeeklyReport({
    tenant: tenant.name,
    week: range.week,
    from: range.from,
    to: range.to,
    generatedAt,
    inventory,
    previous,
    findings,
    alerts,
    outbox,
    aggregates,
    scans,
    signInCoverage,
    backfillInDays: deps.config.collection.backfillInDays,
    posture: deps.config.posture,
    ruleTitle: ruleTitle(),
    vendors: deps.config.vendors,
  });
  await deps.store.putCache(reportCacheKey(tenant.name, range.week), { body: renderReportJson(report), fetchedAt: generatedAt });
  logger.info({ alerts: report.alerts.length, findings: report.findings.length, apps: report.exposure.length }, 'report built');
  if (!options.outDir) return { report };
  return { report, files: await writeReportFiles(report, options.outDir, options.renderHtml) };
}
