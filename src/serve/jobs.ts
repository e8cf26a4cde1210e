import { tenantFetch } from '../graph/connect.js';
import type { Logger } from '../logging.js';
import { allowlistHttp, resolveAllowlists } from '../networks/index.js';
import { runReport } from '../report/run.js';
import { renderReportHtml } from '../report/html.js';
import { sendWeeklyReport } from '../report/send.js';
import type { GraphApi } from '../graph/client.js';
import { runScan, type ScanDeps } from '../scan/index.js';
import { toCredwatchError } from '../errors.js';

/** What one run of a job reports, for the logs and `credwatch status`. */
export interface JobResult {
  job: string;
  ok: boolean;
  detail: string;
}

export type JobDeps = Omit<ScanDeps, 'fetch' | 'progress'> & {
  reportDir: string;
  /** The Graph client of a tenant by name, for report email sent as that tenant. */
  graphFor: (tenantName: string) => GraphApi;
};

/** One scan of every tenant in turn; one tenant's failure never stops the others. */
export async function scanAllTenants(deps: JobDeps): Promise<JobResult> {
  const parts: string[] = [];
  let ok = true;
  for (const tenant of deps.config.tenants) {
    try {
      const fetch = tenantFetch(tenant);
      const s = await runScan({ ...deps, fetch }, tenant);
      const lag = s.watermarkLagInMinutes.signIns;
      parts.push(
        `${tenant.name}: ${s.events.newSignIns} new sign-ins, ${s.alerts.raised} alerts raised, ${s.errors.length} errors, sign-in lag ${lag === undefined ? 'n/a' : `${lag} min`}`,
      );
      if (s.errors.length > 0) ok = false;
    } catch (e: unknown) {
      ok = false;
      const err = toCredwatchError(e);
      deps.logger.error({ err, tenant: tenant.name }, 'scan failed');
      parts.push(`${tenant.name}: FAILED ${err.code}`);
    }
  }
  return { job: 'scan', ok, detail: parts.join('; ') };
}

/** The weekly report of the last complete week for every tenant, written to the report directory. */
export async function reportAllTenants(deps: JobDeps): Promise<JobResult> {
  const parts: string[] = [];
  let ok = true;
  for (const tenant of deps.config.tenants) {
    try {
      const { report, files } = await runReport({ store: deps.store, config: deps.config, now: deps.now, logger: deps.logger }, tenant, undefined, {
        outDir: deps.reportDir,
        renderHtml: renderReportHtml,
      });
      const fetch = tenantFetch(tenant);
      const sent = await sendWeeklyReport(report, tenant, { config: deps.config, graphFor: deps.graphFor, fetch, now: deps.now, logger: deps.logger });
      if (sent.some((s) => s.includes('FAILED'))) ok = false;
      parts.push(`${tenant.name} ${report.week}: ${files?.html ?? 'no files'}${sent.length > 0 ? ` (${sent.join(', ')})` : ''}`);
    } catch (e: unknown) {
      ok = false;
      const err = toCredwatchError(e);
      deps.logger.error({ err, tenant: tenant.name }, 'report failed');
      parts.push(`${tenant.name}: FAILED ${err.code}`);
    }
  }
  return { job: 'report', ok, detail: parts.join('; ') };
}

/** Refetches URL allowlists (and named locations) so their cached copies stay fresh between scans. */
export async function refreshAllowlists(deps: JobDeps, logger: Logger): Promise<JobResult> {
  const parts: string[] = [];
  let ok = true;
  for (const tenant of deps.config.tenants) {
    const http = allowlistHttp({ caCertificatePem: tenant.endpoints.caCertificatePem });
    const needsGraph = deps.config.vendors.some((v) => v.allowedRanges.some((r) => r.type === 'namedLocation'));
    const result = await resolveAllowlists(deps.config.vendors, {
      ...(needsGraph ? { graph: deps.connect(tenant).graph } : {}),
      http,
      cache: deps.store,
      now: deps.now,
      logger,
    });
    const failed = result.sources.filter((s) => s.status === 'failed').length;
    if (failed > 0) ok = false;
    parts.push(`${tenant.name}: ${result.sources.length - failed}/${result.sources.length} sources read`);
  }
  return { job: 'refreshAllowlists', ok, detail: parts.join('; ') };
}
