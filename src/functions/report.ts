/**
 * The weekly report in the Function app: the timer queues one message per tenant; the queue
 * trigger builds that tenant's report, writes its files to blob storage and sends it to the
 * tenant's email and Teams channels once.
 */
import type { InvocationContext } from '@azure/functions';
import { CredwatchError } from '../errors.js';
import { renderReportHtml } from '../report/html.js';
import { renderReportFiles } from '../report/files.js';
import { runReport } from '../report/run.js';
import { sendWeeklyReport } from '../report/send.js';
import { acquireLease } from './lease.js';
import { parseTenantMessage } from './messages.js';
import { tenantOfMessage, type FunctionRuntime } from './runtime.js';
import { storageCall } from './storage.js';

export type ReportTenantOutcome = { status: 'reported'; week: string; blobs: string[]; sent: string[] } | { status: 'skipped'; reason: string };

/** Marks a week's report as sent to one channel, so a retried message does not mail it twice. */
export const reportSentKey = (tenant: string, week: string, channel: string): string => `report-sent:${tenant}:${week}:${channel}`;

/** Blob names: `<tenant>/<week>/<file>`; tenant names are config labels (letters, digits, hyphens). */
export const reportBlobName = (tenant: string, week: string, file: string): string => `${tenant}/${week}/${file}`;

/** Longer than the longest a report run may take (host.json functionTimeout). */
const REPORT_LEASE_IN_MS = 35 * 60_000;
/** One wait between send attempts may not eat the invocation's time (Retry-After can say an hour). */
const MAX_SEND_WAIT_IN_MS = 60_000;

/**
 * Builds and stores the report, then sends it to each routed channel that does not have it yet.
 * A channel that still refuses after the send's own retries fails the invocation, so the host
 * retries the message (channels that accepted are marked and skipped) and finally parks it in the
 * poison queue, where every report timer tick reports it.
 */
export async function reportTenantMessage(rt: FunctionRuntime, input: unknown, context: InvocationContext): Promise<ReportTenantOutcome> {
  const message = parseTenantMessage(input);
  const found = tenantOfMessage(rt, message);
  if (!found) return { status: 'skipped', reason: 'unknown tenant' };
  const { tenant, logger } = found;
  // Two deliveries of one message at once would both find nothing sent and both send.
  const lease = await acquireLease(rt.storage.leases, 'report', tenant.name, context.invocationId, rt.now(), REPORT_LEASE_IN_MS);
  if (!lease) {
    throw new CredwatchError('LEASE_HELD', `The weekly report of ${tenant.name} is being built by another attempt; retrying later.`, {
      details: { tenant: tenant.name },
    });
  }
  try {
    const { report } = await runReport({ store: rt.store, config: rt.config, now: rt.now, logger: rt.logger }, tenant, message.week);
    const blobs: string[] = [];
    for (const file of renderReportFiles(report, renderReportHtml)) {
      const name = reportBlobName(tenant.name, report.week, file.name);
      const body = Buffer.from(file.text, 'utf8');
      await storageCall(`write the report blob ${name}`, () =>
        rt.storage.reports.getBlockBlobClient(name).upload(body, body.length, { blobHTTPHeaders: { blobContentType: file.contentType } }),
      );
      blobs.push(name);
    }
    logger.info({ week: report.week, blobs }, 'weekly report stored');

    const sent = await sendWeeklyReport(report, tenant, {
      config: rt.config,
      graphFor: rt.graphFor,
      fetch: rt.fetchFor(tenant),
      now: rt.now,
      logger,
      maxWaitInMs: MAX_SEND_WAIT_IN_MS,
      alreadySent: async (channel) => (await rt.store.getCache(reportSentKey(tenant.name, report.week, channel))) !== undefined,
      markSent: (channel) => rt.store.putCache(reportSentKey(tenant.name, report.week, channel), { body: 'sent', fetchedAt: rt.now() }),
    });
    const failed = sent.filter((s) => s.includes('FAILED'));
    if (failed.length > 0) {
      throw new CredwatchError('CHANNEL_UNAVAILABLE', `The weekly report ${report.week} of ${tenant.name} could not be sent to: ${failed.join('; ')}`, {
        details: { week: report.week, failed },
      });
    }
    logger.info({ week: report.week, sent }, 'weekly report sent');
    return { status: 'reported', week: report.week, blobs, sent };
  } finally {
    await lease.release();
  }
}
