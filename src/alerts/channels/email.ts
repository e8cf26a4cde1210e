/**
 * The email channel: one message per alert (or one digest) sent with Graph `sendMail` from a
 * mailbox of the monitored tenant, with an HTML body and the same content as a text attachment.
 */
import type { Severity } from '../../events.js';
import { CredwatchError, toCredwatchError, type ErrorCode } from '../../errors.js';
import type { GraphApi } from '../../graph/client.js';
import { alertView, type AlertView } from '../../present/alert-view.js';
import { countBySeverity, digestView } from '../../present/digest-view.js';
import type { AlertPayload } from '../payload.js';
import { renderAlertHtml, renderDigestHtml } from './email-html.js';
import { formatAlertText, formatDigestText } from './text.js';
import type { Channel } from './types.js';

/** Options for {@link createEmailChannel}. */
export interface EmailChannelOptions {
  name: string;
  minSeverity: Severity;
  /** Graph client of the tenant that owns `fromMailbox`; needs Mail.Send on that mailbox. */
  graph: GraphApi;
  fromMailbox: string;
  to: readonly string[];
  digestThreshold?: number;
}

/** Rows a digest shows in HTML; the text attachment lists every alert. */
export const DIGEST_HTML_ROWS = 100;
/** Name of the text attachment. */
export const TEXT_ATTACHMENT_NAME = 'alert.txt';

/** The JSON body of `POST /users/{id}/sendMail`, as credwatch fills it. */
export interface SendMailRequest {
  message: {
    subject: string;
    body: { contentType: 'HTML'; content: string };
    toRecipients: Array<{ emailAddress: { address: string } }>;
    attachments: Array<{ '@odata.type': '#microsoft.graph.fileAttachment'; name: string; contentType: string; contentBytes: string }>;
  };
  saveToSentItems: false;
}

function request(subject: string, html: string, text: string, to: readonly string[]): SendMailRequest {
  return {
    message: {
      subject,
      body: { contentType: 'HTML', content: html },
      toRecipients: to.map((address) => ({ emailAddress: { address } })),
      attachments: [
        {
          '@odata.type': '#microsoft.graph.fileAttachment',
          name: TEXT_ATTACHMENT_NAME,
          contentType: 'text/plain',
          // A byte order mark tells Notepad and attachment previewers the bytes are UTF-8.
          contentBytes: Buffer.from(`\ufeff${text}`, 'utf8').toString('base64'),
        },
      ],
    },
    // Alerts about a stolen credential should not pile up in a mailbox the attacker may read.
    saveToSentItems: false,
  };
}

/**
 * The subject line: `[credwatch] CRITICAL: <rule title> — <app name>`, `[credwatch] Escalated to
 * CRITICAL: …` or `[credwatch] Update: CRITICAL: …`. A repeat keeps the same subject on purpose:
 * Outlook threads it under the first notification. An escalation or an update does not: it is
 * news, and must not hide inside an old thread.
 */
export function alertSubject(view: Pick<AlertView, 'severityLabel' | 'title' | 'appName'>): string {
  return `[credwatch] ${view.severityLabel}: ${view.title} — ${view.appName}`;
}

/** The sendMail body for one alert. */
export function buildAlertMail(alert: AlertPayload, to: readonly string[]): SendMailRequest {
  const view = alertView(alert);
  return request(alertSubject(view), renderAlertHtml(view), formatAlertText(view), to);
}

/** The sendMail body for a digest: the alerts most severe first, every one of them in the text. */
export function buildDigestMail(alerts: readonly AlertPayload[], to: readonly string[]): SendMailRequest {
  const subject = `[credwatch] ${alerts.length} alert${alerts.length === 1 ? '' : 's'}: ${countBySeverity(alerts).toUpperCase()}`;
  return request(subject, renderDigestHtml(digestView(alerts, DIGEST_HTML_ROWS)), formatDigestText(digestView(alerts, alerts.length)), to);
}

/** Graph answers that no retry will change: a missing permission, an unknown mailbox, a bad request. */
const PERMANENT: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'GRAPH_PERMISSION_MISSING',
  'GRAPH_REQUEST_REJECTED',
  'GRAPH_LICENSE_MISSING',
  'GRAPH_FOREIGN_LINK',
  'CONFIG_INVALID',
]);

/**
 * Maps a Graph failure onto the outbox's two outcomes. Anything not known to be permanent is
 * retried — including AUTH_FAILED, which the scan reports on its own: once the credential is fixed,
 * the pending alert still goes out instead of having been marked failed in the meantime.
 */
export function toEmailChannelError(e: unknown, channel: string, mailbox: string): CredwatchError {
  const err = toCredwatchError(e);
  const details = { graphCode: err.code, ...(typeof err.details.status === 'number' ? { status: err.details.status } : {}) };
  if (PERMANENT.has(err.code)) {
    const check = err.code === 'GRAPH_REQUEST_REJECTED' ? ` Check that ${mailbox} is an existing mailbox and the recipients are valid addresses.` : '';
    return new CredwatchError(
      'CHANNEL_REJECTED',
      `${channel}: Graph refused to send mail from ${mailbox}: ${err.message}${check} credwatch needs Mail.Send for that mailbox; grant it scoped to that one mailbox with Exchange RBAC for Applications (role "Application Mail.Send", see docs/alerts.md). Exchange can take up to 2 hours to apply a change.`,
      { cause: err, details },
    );
  }
  const retryAfterInMs = typeof err.details.retryAfterInMs === 'number' ? { retryAfterInMs: err.details.retryAfterInMs } : {};
  return new CredwatchError('CHANNEL_UNAVAILABLE', `${channel}: could not send mail from ${mailbox} yet (${err.code}): ${err.message}`, {
    cause: err,
    details: { ...details, ...retryAfterInMs },
  });
}

/**
 * An alert channel that emails through Microsoft Graph. Graph's 202 means Exchange accepted the
 * message for delivery, which is the most a sender can learn; delivery itself is not confirmed.
 */
export function createEmailChannel(options: EmailChannelOptions): Channel {
  const path = `/users/${encodeURIComponent(options.fromMailbox)}/sendMail`;
  const post = async (body: SendMailRequest) => {
    try {
      await options.graph.post(path, body);
    } catch (e: unknown) {
      throw toEmailChannelError(e, options.name, options.fromMailbox);
    }
  };
  return {
    name: options.name,
    type: 'email',
    minSeverity: options.minSeverity,
    ...(options.digestThreshold !== undefined ? { digestThreshold: options.digestThreshold } : {}),
    send: (alert) => post(buildAlertMail(alert, options.to)),
    sendDigest: (alerts) => post(buildDigestMail(alerts, options.to)),
  };
}
