/**
 * The Graph budget the scan fan-out plans against, in one place. Sign-ins and directory audits are
 * "identity and access reports" and share one documented limit
 * (https://learn.microsoft.com/graph/throttling-limits#identity-and-access-reports-service-limits):
 * 5 requests per 10 s per app per tenant, and 122 requests per 10 s per app across all tenants.
 *
 * Inside one process the Graph client's limiter keeps each tenant (and, per app, all of them) within
 * those numbers. Function instances share no memory, so across instances the only lever is when each
 * tenant's scan starts: the timer spreads the queue messages so that no more tenants read reports at
 * once than the app-wide budget holds at the per-tenant speed.
 *
 * The budgets themselves are the Graph client's (src/graph/rate-limit.ts), so the limiter inside a
 * process and the plan across processes can never disagree.
 */
import { REPORTS_PER_APP, REPORTS_PER_TENANT, type RateBudget } from '../graph/rate-limit.js';

export { REPORTS_PER_APP, REPORTS_PER_TENANT };

/**
 * Report requests one tenant scan is planned for: sign-in pages (1,000 records each) plus directory
 * audit pages (999 each) over the read window. 5 is a typical tenant — up to 4,000 service-principal
 * sign-ins in the window plus one audit page — and exactly one per-tenant window's worth, so a
 * tenant at full speed finishes its reads in one 10-second window. Busier tenants take longer
 * (⌈requests / 5⌉ windows); docs/deploy-azure.md has the arithmetic.
 */
export const PLANNED_REPORT_REQUESTS_PER_SCAN = 5;

/** How tenant scans are batched so that their report reads stay within the app-wide budget. */
export interface WaveBudget {
  /** Tenants that may start together: ⌊app budget / per-tenant budget⌋. */
  readonly tenantsPerWave: number;
  /** How long one wave holds the budget: the windows a planned scan's report reads take at full speed. */
  readonly waveInMs: number;
}

/** The wave shape implied by the budgets and the planned requests per scan. */
export function waveBudget(
  perTenant: RateBudget = REPORTS_PER_TENANT,
  perApp: RateBudget = REPORTS_PER_APP,
  requestsPerScan: number = PLANNED_REPORT_REQUESTS_PER_SCAN,
): WaveBudget {
  // Both budgets are per 10 s today; comparing rates (in integers, so 120/5 is exactly 24) keeps
  // this right if one window ever changes.
  const ratio = (perApp.requests * perTenant.perMs) / (perTenant.requests * perApp.perMs);
  return {
    tenantsPerWave: Math.max(1, Math.floor(ratio)),
    waveInMs: Math.ceil(requestsPerScan / perTenant.requests) * perTenant.perMs,
  };
}

/** The default plan: 24 tenants per wave (⌊122 / 5⌋), each wave holding the budget for 10 s. */
export const SCAN_WAVES: WaveBudget = Object.freeze(waveBudget());
