/**
 * Delivery of a finished report: the HTML as an email body with the CSVs attached (Graph sendMail),
 * and a summary card to a Teams Workflows URL. Scheduling is the caller's business; these only send.
 */
import { toEmailChannelError, type SendMailRequest } from '../alerts/channels/email.js';
import { postJson } from '../alerts/channels/http.js';
import { messageBytes, TEAMS_MAX_MESSAGE_BYTES, teamsMessage, type AdaptiveCard, type TeamsMessage } from '../alerts/channels/teams-adaptive.js';
import { CredwatchError } from '../errors.js';
import type { GraphApi } from '../graph/client.js';
import type { FetchLike } from '../graph/http.js';
import { escapeHtml } from './html-kit.js';
import type { WeeklyReport } from './types.js';

/**
 * Graph refuses a sendMail request over 4 MB (larger mail needs a draft and an upload session).
 * Counted in decimal megabytes, a little under 4 MiB, so JSON escaping and headers keep a margin.
 */
export const SENDMAIL_MAX_BYTES = 4_000_000;

/** A CSV to attach; `name` as the recipient sees it (e.g. `contoso-2026-W48-inventory.csv`). */
export interface CsvAttachment {
  name: string;
  content: string;
  /** The one attachment kept (truncated) when everything does not fit: the inventory. */
  keepWhenTooLarge?: boolean;
}

export interface EmailReportOptions {
  /** Graph client of the tenant that owns `fromMailbox` (Mail.Send on that mailbox). */
  graph: GraphApi;
  fromMailbox: string;
  to: readonly string[];
  report: Pick<WeeklyReport, 'tenant' | 'week'>;
  html: string;
  csvAttachments: readonly CsvAttachment[];
}

/** What was sent: attachment names and the request size, and whether the inventory was cut. */
export interface EmailReportResult {
  attachments: string[];
  bytes: number;
  truncated: boolean;
}

const bytesOf = (request: SendMailRequest) => Buffer.byteLength(JSON.stringify(request), 'utf8');

function attachment(name: string, content: string): SendMailRequest['message']['attachments'][number] {
  // The byte order mark makes Excel read UTF-8 (non-Latin app names) instead of the local code page.
  return {
    '@odata.type': '#microsoft.graph.fileAttachment',
    name,
    contentType: 'text/csv',
    contentBytes: Buffer.from(`\ufeff${content}`, 'utf8').toString('base64'),
  };
}

function mail(options: EmailReportOptions, html: string, attachments: SendMailRequest['message']['attachments']): SendMailRequest {
  return {
    message: {
      subject: `[credwatch] Weekly exposure report: ${options.report.tenant}, ${options.report.week}`,
      body: { contentType: 'HTML', content: html },
      toRecipients: options.to.map((address) => ({ emailAddress: { address } })),
      attachments,
    },
    // The report maps the tenant's weak spots; it should not sit in a mailbox an attacker may read.
    saveToSentItems: false,
  };
}

/** Puts a notice at the top of the body, inside `<body>` when there is one. */
function withNotice(html: string, notice: string): string {
  const banner = `<p style="margin:0;padding:12px 16px;background-color:#FFF4CE;color:#201F1E;font-family:'Segoe UI',Arial,sans-serif;font-size:14px;">${escapeHtml(notice)}</p>`;
  const body = /<body[^>]*>/i.exec(html);
  return body ? `${html.slice(0, body.index + body[0].length)}${banner}${html.slice(body.index + body[0].length)}` : `${banner}${html}`;
}

/** The longest prefix of whole lines (header kept) whose base64 fits in `budgetBytes`. */
function truncateCsv(content: string, budgetBytes: number): { text: string; kept: number; total: number } {
  const lines = content.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);
  // base64 grows by 4/3; the byte order mark and base64 padding take a few bytes more.
  const rawBudget = Math.floor((budgetBytes * 3) / 4) - 8;
  let used = 0;
  let kept = 0;
  for (const line of lines) {
    const size = Buffer.byteLength(line, 'utf8') + 1;
    if (used + size > rawBudget) break;
    used += size;
    kept += 1;
  }
  return { text: `${lines.slice(0, kept).join('\n')}\n`, kept: Math.max(0, kept - 1), total: lines.length - 1 };
}

/**
 * Builds the sendMail request, keeping it under {@link SENDMAIL_MAX_BYTES}: when the body and
 * every CSV do not fit, only the inventory CSV is attached, cut to whole rows (mailbox-capable apps
 * come first, so those are kept) and the body says so. A body too large on its own is an error.
 */
export function buildReportMail(options: EmailReportOptions): { request: SendMailRequest; truncated: boolean } {
  const full = mail(
    options,
    options.html,
    options.csvAttachments.map((a) => attachment(a.name, a.content)),
  );
  if (bytesOf(full) <= SENDMAIL_MAX_BYTES) return { request: full, truncated: false };

  const keep = options.csvAttachments.find((a) => a.keepWhenTooLarge) ?? options.csvAttachments[0];
  const notice = (kept: number, total: number) =>
    `This email is limited to 4 MB, so only ${keep?.name ?? 'the inventory'} is attached, with the first ${kept} of ${total} rows. The complete CSV files are written next to the report by credwatch report.`;
  // Size the empty shell with the longest notice it can carry, then give the rest to the CSV.
  const shell = mail(options, withNotice(options.html, notice(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)), keep ? [attachment(keep.name, '')] : []);
  const budget = SENDMAIL_MAX_BYTES - bytesOf(shell);
  if (budget < 0 || !keep) {
    throw new CredwatchError(
      'CHANNEL_REJECTED',
      `The report email body alone is ${bytesOf(shell)} bytes, over Graph's ${SENDMAIL_MAX_BYTES}-byte sendMail limit; send the report files another way.`,
      { details: { bytes: bytesOf(shell) } },
    );
  }
  const cut = truncateCsv(keep.content, budget);
  return { request: mail(options, withNotice(options.html, notice(cut.kept, cut.total)), [attachment(keep.name, cut.text)]), truncated: true };
}

/** Sends the report with Graph `POST /users/{from}/sendMail`; errors are CHANNEL_UNAVAILABLE (retry) or CHANNEL_REJECTED. */
export async function emailReport(options: EmailReportOptions): Promise<EmailReportResult> {
  const { request, truncated } = buildReportMail(options);
  try {
    await options.graph.post(`/users/${encodeURIComponent(options.fromMailbox)}/sendMail`, request);
  } catch (e: unknown) {
    throw toEmailChannelError(e, 'report email', options.fromMailbox);
  }
  return { attachments: request.message.attachments.map((a) => a.name), bytes: bytesOf(request), truncated };
}

export interface PostTeamsSummaryOptions {
  /** The Workflows trigger URL; it carries a signature, so it never appears in an error. */
  url: string;
  fetch: FetchLike;
  now: () => Date;
  /** The card from `renderTeamsSummary(report)`, or a message already wrapped for Workflows. */
  card: AdaptiveCard | TeamsMessage;
}

/** Posts the summary card. A message over Teams' 28 KB limit is refused here rather than by Teams. */
export async function postTeamsSummary(options: PostTeamsSummaryOptions): Promise<void> {
  const message = options.card.type === 'message' ? options.card : teamsMessage(options.card);
  const bytes = messageBytes(message);
  if (bytes > TEAMS_MAX_MESSAGE_BYTES) {
    throw new CredwatchError('CHANNEL_REJECTED', `The Teams summary card is ${bytes} bytes, over Teams' ${TEAMS_MAX_MESSAGE_BYTES}-byte message limit.`, {
      details: { bytes },
    });
  }
  await postJson({ fetch: options.fetch, url: options.url, body: JSON.stringify(message), now: options.now, channel: 'Teams report summary' });
}
