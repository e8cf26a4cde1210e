import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhookChannel, digestIdempotencyKey, type DigestPayload, type WebhookAlert } from '../../src/alerts/channels/webhook.js';
import { entraAppUrl, type AlertPayload } from '../../src/alerts/payload.js';
import { isCredwatchError } from '../../src/errors.js';
import type { Severity } from '../../src/events.js';
import { createFetch } from '../../src/graph/http.js';

const SECRET = 'CANARY-webhook-secret-7f3a9c';
const URL_TOKEN = 'SECRET-url-token-51d2e8';
const T0 = new Date('2026-11-26T12:00:00Z');

function alert(overrides: Partial<AlertPayload> = {}): AlertPayload {
  const appId = '3f2c8a61-0d2e-4c55-9c1a-6b1f0e7d9a42';
  return {
    schema: 'credwatch.alert/v1',
    alertId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    tenant: 'contoso',
    severity: 'critical',
    rule: {
      id: 'signin-cert-outside-allowlist',
      title: "Vendor certificate used outside the vendor's networks",
      description: 'Detects …',
      mitre: ['T1550.001'],
      runbook: ['Remove the certificate.'],
      falsePositives: [],
    },
    app: { appId, displayName: 'Mimecast Archiver', entraUrl: entraAppUrl(appId) },
    credentialKeyId: null,
    network: 'AS64500',
    summary: 'Vendor certificate used from 203.0.113.7',
    firstSeen: '2026-11-26T10:00:00.000Z',
    lastSeen: '2026-11-26T10:42:00.000Z',
    count: 12,
    successCount: 12,
    failureCount: 0,
    ips: ['203.0.113.7'],
    countries: ['NL'],
    asns: [64500],
    resources: [],
    allowlist: [],
    notification: 0,
    ...overrides,
  };
}

/**
 * What a receiver should do, as docs/alerts.md shows it: recompute the HMAC over the timestamp
 * and the raw body, compare in constant time, and refuse anything older than five minutes.
 */
function verify(secret: string, headers: IncomingHttpHeaders, rawBody: string, nowInSeconds: number): boolean {
  const timestamp = String(headers['x-credwatch-timestamp'] ?? '');
  const signature = String(headers['x-credwatch-signature'] ?? '');
  if (!/^\d+$/.test(timestamp) || Math.abs(nowInSeconds - Number(timestamp)) > 300) return false;
  const expected = Buffer.from(`v1=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  url: string;
}
type Reply = { status: number; headers?: Record<string, string>; body?: string };

const servers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((close) => close()));
});

/** A real HTTP receiver on 127.0.0.1 that verifies every request, then answers as the test says. */
async function receiver(answer: (r: Received) => Reply = () => ({ status: 204 }), clockInSeconds = () => Math.floor(T0.getTime() / 1000)) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), url: req.url ?? '' };
      received.push(r);
      const reply = verify(SECRET, r.headers, r.body, clockInSeconds()) ? answer(r) : { status: 401, body: 'bad signature' };
      res.writeHead(reply.status, reply.headers).end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  servers.push(close);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/credwatch?sig=${URL_TOKEN}`;
  return { url, received, close };
}

function webhook(url: string, now = () => T0) {
  return createWebhookChannel({ name: 'siem', minSeverity: 'high', url, secret: SECRET, fetch: createFetch({ timeoutInMs: 5_000 }), now });
}

/** Everything about an error that could reach a log line or the outbox's lastError. */
function everythingIn(e: unknown): string {
  if (!isCredwatchError(e)) return String(e);
  const cause = e.cause instanceof Error ? `${e.cause.name}: ${e.cause.message}` : String(e.cause);
  return `${e.message} ${cause} ${JSON.stringify(e.details)}`;
}

describe('webhook channel', () => {
  it('posts the alert JSON exactly, plus what people read as display, signed so the receiver can verify it with the shared secret', async () => {
    const r = await receiver();
    const a = alert();
    await webhook(r.url).send(a);
    const [req] = r.received;
    // Every documented field unchanged (docs/alerts.md); `display` is the one field added within v1.
    const { display, ...payload } = JSON.parse(req!.body) as WebhookAlert;
    expect(payload).toEqual(a);
    expect(display.heading).toBe(`${a.severity.toUpperCase()} · ${a.rule.title}`);
    expect(display.status).toBe('New alert');
    expect(display.facts.find((f) => f.label === 'First seen')?.value).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    expect(req!.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(req!.headers['x-credwatch-alert-id']).toBe(a.alertId);
    expect(req!.headers['x-credwatch-timestamp']).toBe(String(T0.getTime() / 1000));
    expect(req!.headers['x-credwatch-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
  });

  it('lets the receiver reject a tampered body, a wrong secret and a replay older than five minutes', async () => {
    const r = await receiver();
    await webhook(r.url).send(alert());
    const original = r.received[0]!;
    const replay = (body: string) =>
      fetch(r.url, {
        method: 'POST',
        body,
        headers: {
          'x-credwatch-timestamp': String(original.headers['x-credwatch-timestamp']),
          'x-credwatch-signature': String(original.headers['x-credwatch-signature']),
        },
      });
    expect((await replay(original.body)).status).toBe(204);
    expect((await replay(original.body.replace('"critical"', '"low"'))).status).toBe(401);
    expect(verify('another-secret', original.headers, original.body, T0.getTime() / 1000)).toBe(false);
    // A request signed ten minutes ago is refused even though its signature is genuine.
    const stale = await webhook(r.url, () => new Date(T0.getTime() - 600_000))
      .send(alert())
      .catch((e: unknown) => e);
    expect(isCredwatchError(stale, 'CHANNEL_REJECTED')).toBe(true);
  });

  it('keeps the idempotency key across a resend of the same notification and changes it for the next round', async () => {
    const seen = new Set<string>();
    let processed = 0;
    const r = await receiver((req) => {
      const key = String(req.headers['idempotency-key']);
      if (!seen.has(key)) processed += 1;
      seen.add(key);
      return { status: 204 };
    });
    const channel = webhook(r.url);
    await channel.send(alert());
    await channel.send(alert()); // a crash between "accepted" and "marked sent" resends it
    await channel.send(alert({ notification: 40, count: 40 }));
    expect(r.received.map((q) => q.headers['idempotency-key'])).toEqual([
      'a1b2c3d4e5f60718293a4b5c6d7e8f90:0',
      'a1b2c3d4e5f60718293a4b5c6d7e8f90:0',
      'a1b2c3d4e5f60718293a4b5c6d7e8f90:40',
    ]);
    expect(processed).toBe(2);
  });

  it('sends a digest as credwatch.digest/v1, most severe first, keyed by the alert rounds it holds', async () => {
    const r = await receiver();
    const severities: Severity[] = ['low', 'critical', 'medium'];
    const alerts = severities.map((severity, i) => alert({ alertId: `alert-${i}`, severity }));
    await webhook(r.url).sendDigest!(alerts);
    const body = JSON.parse(r.received[0]!.body) as DigestPayload;
    expect(body.schema).toBe('credwatch.digest/v1');
    expect(body.alerts.map((a) => a.severity)).toEqual(['critical', 'medium', 'low']);
    expect(r.received[0]!.headers['idempotency-key']).toBe(digestIdempotencyKey([...alerts].reverse()));
    expect(r.received[0]!.headers['x-credwatch-alert-id']).toBeUndefined();
  });

  it('carries hostile names losslessly: the parsed JSON equals the original strings exactly', async () => {
    const r = await receiver();
    const names = [
      '<img src=x onerror=alert(1)>',
      '"><script>alert(1)</script>',
      '[click](https://evil.example)',
      'tab\there\r\nBcc: x\u0000\u202Eexe.fdp',
      '😈'.repeat(2500),
      '\ud800 lone',
    ];
    for (const displayName of names) await webhook(r.url).send(alert({ app: { ...alert().app, displayName } }));
    const parsed = r.received.map((q) => (JSON.parse(q.body) as AlertPayload).app.displayName);
    // A lone surrogate cannot be encoded as UTF-8; JSON.stringify escapes it, so it survives too.
    expect(parsed).toEqual(names);
  });

  it('keeps an alert pending on 503', async () => {
    const r = await receiver(() => ({ status: 503, body: 'maintenance' }));
    const error = await webhook(r.url)
      .send(alert())
      .catch((e: unknown) => e);
    expect(isCredwatchError(error, 'CHANNEL_UNAVAILABLE')).toBe(true);
    expect(isCredwatchError(error) && error.retryable).toBe(true);
  });

  it('honours a 429 Retry-After given as an HTTP-date', async () => {
    const r = await receiver(() => ({ status: 429, headers: { 'retry-after': new Date(T0.getTime() + 120_000).toUTCString() } }));
    const error = await webhook(r.url)
      .send(alert())
      .catch((e: unknown) => e);
    expect(isCredwatchError(error, 'CHANNEL_UNAVAILABLE')).toBe(true);
    expect(isCredwatchError(error) && error.details).toMatchObject({ status: 429, retryAfterInMs: 120_000 });
  });

  it.each([400, 404])("fails permanently on %i with the receiver's reason", async (status) => {
    const r = await receiver(() => ({ status, body: `{"error":"unknown tenant contoso (${status})"}` }));
    const error = await webhook(r.url)
      .send(alert())
      .catch((e: unknown) => e);
    expect(isCredwatchError(error, 'CHANNEL_REJECTED')).toBe(true);
    if (!isCredwatchError(error)) return;
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(`siem answered ${status}`);
    expect(error.message).toContain(`unknown tenant contoso (${status})`);
    expect(error.details).toMatchObject({ status });
  });

  it('never puts the URL, its token or the secret in an error, even when the receiver echoes them', async () => {
    const r = await receiver((req) => ({ status: 400, body: `bad request to ${req.url} (host ${String(req.headers.host)}); key ${SECRET}` }));
    const echoed = await webhook(r.url)
      .send(alert())
      .catch((e: unknown) => e);
    expect(isCredwatchError(echoed, 'CHANNEL_REJECTED')).toBe(true);
    await r.close();
    const refused = await webhook(r.url)
      .send(alert())
      .catch((e: unknown) => e);
    expect(isCredwatchError(refused, 'CHANNEL_UNAVAILABLE')).toBe(true);
    const invalid = await webhook(`http://[::1/hooks?sig=${URL_TOKEN}`)
      .send(alert())
      .catch((e: unknown) => e);
    expect(isCredwatchError(invalid, 'CHANNEL_UNAVAILABLE')).toBe(true);
    for (const e of [echoed, refused, invalid]) {
      const text = everythingIn(e);
      expect(text).not.toContain(URL_TOKEN);
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('/hooks/credwatch');
    }
  });
});
