/**
 * The weekly report in the Function app: the timer queues one message per tenant; the queue
 * trigger builds that tenant's report, writes its files to blob storage and sends it to the
 * tenant's email and Teams channels once.
 */
import type { InvocationContext } from '@azure/functions';
import { tenantFetch } from '../graph/connect.js';
import { renderReportHtml } from '../report/html.js';
import { renderReportFiles } from '../report/files.js';
import { runReport } from '../report/run.js';
import { sendWeeklyReport } from '../report/send.js';
import { parseTenantMessage } from './messages.js';
import { tenantOfMessage, type FunctionRuntime } from './runtime.js';
import { storageCall } from './storage.js';

export type ReportTenantOutcome =
  | { status: 'reported'; week: string; blobs: string[]; sent: string[] | 'already sent' }
  | { status: 'skipped'; reason: string };

/** Marks a week's report as sent, so a message delivered twice does not mail everyone twice. */
export const reportSentKey = (tenant: string, week: string): string => `report-sent:${tenant}:${week}`;

/** Blob names: `<tenant>/<week>/<file>`; tenant names are config labels (letters, digits, hyphens). */
export const reportBlobName = (tenant: string, week: string, file: string): string => `${tenant}/${week}/${file}`;

/**
 * Builds and stores the report, then sends it. Throws (so the host retries, then parks the message
 * in the poison queue) only when the report could not be built or stored; a channel refusing the
 * report after the send's own retries is logged as an error and not retried by the host, since a
 * retry would mail the channels that did accept it again.
 */
export async function reportTenantMessage(rt: FunctionRuntime, input: unknown, _context: InvocationContext): Promise<ReportTenantOutcome> {
  const message = parseTenantMessage(input);
  const found = tenantOfMessage(rt, message);
  if (!found) return { status: 'skipped', reason: 'unknown tenant' };
  const { tenant, logger } = found;
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

  const sentKey = reportSentKey(tenant.name, report.week);
  if (await rt.store.getCache(sentKey)) {
    logger.info({ week: report.week }, 'weekly report was already sent for this week; not sending again');
    return { status: 'reported', week: report.week, blobs, sent: 'already sent' };
  }
  const sent = await sendWeeklyReport(report, tenant, { config: rt.config, graphFor: rt.graphFor, fetch: tenantFetch(tenant), now: rt.now, logger });
  await rt.store.putCache(sentKey, { body: JSON.stringify(sent), fetchedAt: rt.now() });
  const failed = sent.filter((s) => s.includes('FAILED'));
  if (failed.length > 0) logger.error({ week: report.week, failed }, 'weekly report could not be sent to every channel');
  else logger.info({ week: report.week, sent }, 'weekly report sent');
  return { status: 'reported', week: report.week, blobs, sent };
}
