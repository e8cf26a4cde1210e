/**
 * The generic webhook channel for SIEM and SOAR receivers: the alert JSON exactly as documented
 * (docs/alerts.md), signed with a shared secret so the receiver can tell it came from credwatch,
 * with an idempotency key so it can drop the repeats at-least-once delivery produces. Each alert
 * also carries `display`, the alert view (src/present/alert-view.ts) as plain strings, so a
 * playbook that posts the alert somewhere says what Teams and email say, in the same words.
 */
import { createHash, createHmac } from 'node:crypto';
import { SEVERITY_ORDER, type Severity } from '../../events.js';
import { CredwatchError } from '../../errors.js';
import type { FetchLike } from '../../graph/http.js';
import { alertView, type AlertView } from '../../present/alert-view.js';
import type { AlertPayload } from '../payload.js';
import { postJson } from './http.js';
import type { Channel } from './types.js';

/** Schema of a digest body; bump on any incompatible change, like `credwatch.alert/v1`. */
export const DIGEST_SCHEMA = 'credwatch.digest/v1';

/** What people read, cleaned and capped; added within v1 (docs/alerts.md, "display"). */
export type AlertDisplay = Pick<AlertView, 'heading' | 'status' | 'summary' | 'facts' | 'why' | 'steps'> & { mailboxReach: string | null };

/** The body of one alert: the documented payload plus `display`. */
export type WebhookAlert = AlertPayload & { display: AlertDisplay };

/** A digest body: many alerts in one request, most severe first. */
export interface DigestPayload {
  schema: typeof DIGEST_SCHEMA;
  alerts: Array<AlertPayload | WebhookAlert>;
}

/**
 * The alert as sent: the payload unchanged, with the view as `display`. A payload queued whole by
 * an older release may lack fields the view reads; it goes out as queued, without `display`
 * (which is why receivers must treat `display` as optional).
 */
export function webhookAlert(alert: AlertPayload): AlertPayload | WebhookAlert {
  let v: AlertView;
  try {
    v = alertView(alert);
  } catch {
    return alert;
  }
  const display: AlertDisplay = {
    heading: v.heading,
    status: v.status,
    summary: v.summary,
    facts: v.facts,
    why: v.why,
    mailboxReach: v.mailboxReach ?? null,
    steps: v.steps,
  };
  return { ...alert, display };
}

/** Header names as sent (HTTP header names are case-insensitive; Node lower-cases them on receipt). */
export const WEBHOOK_HEADERS = Object.freeze({
  idempotencyKey: 'Idempotency-Key',
  alertId: 'X-Credwatch-Alert-Id',
  timestamp: 'X-Credwatch-Timestamp',
  signature: 'X-Credwatch-Signature',
});

/** Options for {@link createWebhookChannel}. */
export interface WebhookChannelOptions {
  name: string;
  minSeverity: Severity;
  /** The receiver's URL; it may carry a token, so it never appears in an error or a log. */
  url: string;
  /** The shared HMAC key. */
  secret: string;
  fetch: FetchLike;
  now: () => Date;
  digestThreshold?: number;
}

/**
 * `v1=<hex HMAC-SHA256(secret, timestamp + "." + rawBody)>`. The timestamp is signed with the body
 * so a receiver that checks its age can refuse a captured request replayed later.
 */
export function webhookSignature(secret: string, timestamp: string, rawBody: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest('hex')}`;
}

/** Same alert and same notification round → same key; the next repeat notification gets a new one. */
export function alertIdempotencyKey(alert: Pick<AlertPayload, 'alertId' | 'notification'>): string {
  return `${alert.alertId}:${alert.notification}`;
}

/** A digest's key names exactly the alert rounds inside it, whatever order they were given in. */
export function digestIdempotencyKey(alerts: readonly Pick<AlertPayload, 'alertId' | 'notification'>[]): string {
  const keys = alerts.map(alertIdempotencyKey).sort().join('\n');
  return `digest:${createHash('sha256').update(keys, 'utf8').digest('hex').slice(0, 32)}`;
}

/** An alert channel that POSTs signed JSON to a SIEM/SOAR receiver. */
export function createWebhookChannel(options: WebhookChannelOptions): Channel {
  if (options.secret.length === 0) throw new CredwatchError('CONFIG_INVALID', `${options.name}: the webhook signing secret is empty.`);
  const deliver = async (body: string, headers: Record<string, string>) => {
    const timestamp = String(Math.floor(options.now().getTime() / 1000));
    await postJson({
      fetch: options.fetch,
      url: options.url,
      body,
      now: options.now,
      channel: options.name,
      secrets: [options.secret],
      headers: { ...headers, [WEBHOOK_HEADERS.timestamp]: timestamp, [WEBHOOK_HEADERS.signature]: webhookSignature(options.secret, timestamp, body) },
    });
  };
  return {
    name: options.name,
    type: 'webhook',
    minSeverity: options.minSeverity,
    ...(options.digestThreshold !== undefined ? { digestThreshold: options.digestThreshold } : {}),
    send: (alert) =>
      deliver(JSON.stringify(webhookAlert(alert)), { [WEBHOOK_HEADERS.idempotencyKey]: alertIdempotencyKey(alert), [WEBHOOK_HEADERS.alertId]: alert.alertId }),
    sendDigest: (alerts) => {
      const sorted = [...alerts].sort((a, b) => SEVERITY_ORDER[b.severity] - SEVERITY_ORDER[a.severity]);
      const digest: DigestPayload = { schema: DIGEST_SCHEMA, alerts: sorted.map(webhookAlert) };
      return deliver(JSON.stringify(digest), { [WEBHOOK_HEADERS.idempotencyKey]: digestIdempotencyKey(alerts) });
    },
  };
}
