/**
 * The generic webhook channel for SIEM and SOAR receivers: the alert JSON exactly as documented
 * (docs/alerts.md), signed with a shared secret so the receiver can tell it came from credwatch,
 * with an idempotency key so it can drop the repeats at-least-once delivery produces.
 */
import { createHash, createHmac } from 'node:crypto';
import { SEVERITY_ORDER, type Severity } from '../../events.js';
import { CredwatchError } from '../../errors.js';
import type { FetchLike } from '../../graph/http.js';
import type { AlertPayload } from '../payload.js';
import { postJson } from './http.js';
import type { Channel } from './types.js';

/** Schema of a digest body; bump on any incompatible change, like `credwatch.alert/v1`. */
export const DIGEST_SCHEMA = 'credwatch.digest/v1';

/** A digest body: many alerts in one request, most severe first. */
export interface DigestPayload {
  schema: typeof DIGEST_SCHEMA;
  alerts: AlertPayload[];
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

/** Replaces every occurrence of the given secrets; the longest first so a URL is not half-masked. */
function redact(text: string, secrets: readonly string[]): string {
  return [...secrets].sort((a, b) => b.length - a.length).reduce((t, s) => (s ? t.split(s).join('[redacted]') : t), text);
}

/**
 * A receiver may echo the request (URL, headers) in its error body, and a fetch error may quote
 * the URL; both would end up in logs and the outbox's lastError. Rebuild the error without them.
 */
function scrub(e: unknown, secrets: readonly string[]): CredwatchError {
  if (!(e instanceof CredwatchError)) return new CredwatchError('CHANNEL_UNAVAILABLE', redact(e instanceof Error ? e.message : String(e), secrets));
  const cause = e.cause instanceof Error ? Object.assign(new Error(redact(e.cause.message, secrets)), { name: e.cause.name }) : undefined;
  return new CredwatchError(e.code, redact(e.message, secrets), { details: e.details, retryable: e.retryable, ...(cause ? { cause } : {}) });
}

/** Parts of the URL worth hiding on their own: the query and userinfo, which carry tokens. */
function urlSecrets(url: string, secret: string): string[] {
  const parts = [url, secret];
  try {
    const u = new URL(url);
    // The path can identify the receiver's endpoint (Workflows URLs carry ids there): hide it too.
    if (u.pathname.length > 1) parts.push(`${u.pathname}${u.search}`, u.pathname);
    if (u.search.length > 1) parts.push(u.search.slice(1));
    if (u.password) parts.push(u.password);
    for (const value of u.searchParams.values()) if (value.length >= 8) parts.push(value);
  } catch {
    // Config validation guarantees a URL; an unparsable one is hidden whole.
  }
  return parts;
}

/** An alert channel that POSTs signed JSON to a SIEM/SOAR receiver. */
export function createWebhookChannel(options: WebhookChannelOptions): Channel {
  if (options.secret.length === 0) throw new CredwatchError('CONFIG_INVALID', `${options.name}: the webhook signing secret is empty.`);
  const secrets = urlSecrets(options.url, options.secret);
  const deliver = async (body: string, headers: Record<string, string>) => {
    const timestamp = String(Math.floor(options.now().getTime() / 1000));
    try {
      await postJson({
        fetch: options.fetch,
        url: options.url,
        body,
        now: options.now,
        channel: options.name,
        headers: { ...headers, [WEBHOOK_HEADERS.timestamp]: timestamp, [WEBHOOK_HEADERS.signature]: webhookSignature(options.secret, timestamp, body) },
      });
    } catch (e: unknown) {
      throw scrub(e, secrets);
    }
  };
  return {
    name: options.name,
    type: 'webhook',
    minSeverity: options.minSeverity,
    ...(options.digestThreshold !== undefined ? { digestThreshold: options.digestThreshold } : {}),
    send: (alert) => deliver(JSON.stringify(alert), { [WEBHOOK_HEADERS.idempotencyKey]: alertIdempotencyKey(alert), [WEBHOOK_HEADERS.alertId]: alert.alertId }),
    sendDigest: (alerts) => {
      const sorted = [...alerts].sort((a, b) => SEVERITY_ORDER[b.severity] - SEVERITY_ORDER[a.severity]);
      const digest: DigestPayload = { schema: DIGEST_SCHEMA, alerts: sorted };
      return deliver(JSON.stringify(digest), { [WEBHOOK_HEADERS.idempotencyKey]: digestIdempotencyKey(alerts) });
    },
  };
}
