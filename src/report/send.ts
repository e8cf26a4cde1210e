import { setTimeout as delay } from 'node:timers/promises';
import type { Config, TenantConfig } from '../config/types.js';
import { toCredwatchError } from '../errors.js';
import type { GraphApi } from '../graph/client.js';
import type { FetchLike } from '../graph/http.js';
import type { Logger } from '../logging.js';
import { renderFindingsCsv, renderInventoryCsv } from './csv.js';
import { emailReport, postTeamsSummary } from './deliver.js';
import { renderReportHtml } from './html.js';
import { renderTeamsSummary } from './teams-summary.js';
import type { WeeklyReport } from './types.js';

export interface SendReportDeps {
  config: Config;
  graphFor: (tenantName: string) => GraphApi;
  fetch: FetchLike;
  now: () => Date;
  logger: Logger;
  /** Between attempts; injected so tests do not wait. */
  sleep?: (ms: number) => Promise<void>;
  /**
   * Channels that already have this week's report (a retried job must not mail them twice) and
   * where to record one that just accepted it; both absent = send to every routed channel.
   */
  alreadySent?: (channel: string) => Promise<boolean>;
  markSent?: (channel: string) => Promise<void>;
  /** The longest one wait between attempts may take (a Retry-After of an hour must not outlive a Function's timeout). */
  maxWaitInMs?: number;
}

const ATTEMPTS = 3;

/**
 * Sends a tenant's weekly report to every email and Teams channel routed to that tenant: the HTML
 * with the CSVs attached by email, the headline card to Teams. Reports do not go through the alert
 * outbox (there is one a week, not one per finding), so each send is tried a few times here and a
 * final failure is returned for the job's log line — never dropped silently.
 */
export async function sendWeeklyReport(report: WeeklyReport, tenant: TenantConfig, deps: SendReportDeps): Promise<string[]> {
  const outcomes: string[] = [];
  const routed = deps.config.channels.filter((c) => c.tenants === undefined || c.tenants.some((t) => t.toLowerCase() === tenant.name.toLowerCase()));
  for (const channel of routed) {
    let send: (() => Promise<void>) | undefined;
    if (channel.type === 'email') {
      const inventory = renderInventoryCsv(report);
      send = async () => {
        await emailReport({
          graph: deps.graphFor(channel.senderTenant),
          fromMailbox: channel.fromMailbox,
          to: channel.to,
          report,
          html: renderReportHtml(report),
          csvAttachments: [
            ...(inventory === undefined ? [] : [{ name: `${report.tenant}-${report.week}-inventory.csv`, content: inventory, keepWhenTooLarge: true }]),
            { name: `${report.tenant}-${report.week}-findings.csv`, content: renderFindingsCsv(report) },
          ],
        });
      };
    } else if (channel.type === 'teams') {
      send = () => postTeamsSummary({ url: channel.url.reveal(), fetch: deps.fetch, now: deps.now, card: renderTeamsSummary(report) });
    }
    if (!send) continue;
    if (await deps.alreadySent?.(channel.name)) {
      outcomes.push(`${channel.name}: already sent`);
      continue;
    }
    const outcome = await withRetries(send, deps);
    if (outcome === 'sent') await deps.markSent?.(channel.name);
    outcomes.push(`${channel.name}: ${outcome}`);
  }
  return outcomes;
}

async function withRetries(send: () => Promise<void>, deps: SendReportDeps): Promise<string> {
  const sleep = deps.sleep ?? ((ms: number) => delay(ms));
  for (let attempt = 1; ; attempt += 1) {
    try {
      await send();
      return 'sent';
    } catch (e: unknown) {
      const err = toCredwatchError(e);
      if (!err.retryable || attempt >= ATTEMPTS) {
        deps.logger.error({ err }, 'weekly report not delivered');
        return `FAILED ${err.code}: ${err.message}`;
      }
      const wanted = typeof err.details.retryAfterInMs === 'number' ? err.details.retryAfterInMs : 5_000 * attempt;
      await sleep(Math.min(wanted, deps.maxWaitInMs ?? Number.POSITIVE_INFINITY));
    }
  }
}
