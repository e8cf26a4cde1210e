import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEmailChannel, type SendMailRequest } from '../../src/alerts/channels/email.js';
import { entraAppUrl, type AlertPayload } from '../../src/alerts/payload.js';
import type { Config } from '../../src/config/types.js';
import { isCredwatchError } from '../../src/errors.js';
import type { Severity } from '../../src/events.js';
import type { RetryPolicy } from '../../src/graph/retry.js';
import { CREDWATCH_ROLES, quietScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { captureLogger, connect, simulatorConfig } from '../helpers/tenant.js';

const APP_ID = '3f2c8a61-0d2e-4c55-9c1a-6b1f0e7d9a42';
const FROM = 'credwatch@contoso.com';
const TO = ['soc@contoso.com', 'ciso@contoso.com'];

/** An alert as the outbox stores it; the app name is the part an attacker chooses. */
function alert(displayName = 'Mimecast Archiver', overrides: Partial<AlertPayload> = {}): AlertPayload {
  return {
    schema: 'credwatch.alert/v1',
    alertId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    tenant: 'contoso',
    severity: 'critical',
    rule: {
      id: 'signin-cert-outside-allowlist',
      title: "Vendor certificate used outside the vendor's networks",
      description:
        "Detects a vendor app signing in with its certificate from an address outside the vendor's published ranges, as in the 2021 Mimecast attack.",
      mitre: ['T1550.001'],
      runbook: [
        'Confirm with the vendor whether the address is theirs.',
        'Remove the certificate from the service principal.',
        'Review mailbox access in the unified audit log.',
      ],
      falsePositives: ['The vendor moved to a new network without updating its list.'],
    },
    app: { appId: APP_ID, displayName, entraUrl: entraAppUrl(APP_ID) },
    credentialKeyId: '9b7e1c2d-5f3a-4e8b-a1c0-2d3e4f5a6b7c',
    network: 'AS64500',
    summary: `Vendor certificate for "${displayName}" used from 203.0.113.7 (NL, AS64500), outside Mimecast's allowed ranges`,
    firstSeen: '2026-11-26T10:00:00.000Z',
    lastSeen: '2026-11-26T10:42:00.000Z',
    count: 12,
    successCount: 11,
    failureCount: 1,
    ips: ['203.0.113.7'],
    countries: ['NL'],
    asns: [64500],
    resources: ['Office 365 Exchange Online'],
    allowlist: [
      {
        vendor: 'Mimecast',
        source: 'url:https://feeds.example/ranges.json?token=FEEDTOKEN',
        cidr: '198.51.100.0/24',
        fetchedAt: '2026-11-26T09:00:00.000Z',
        stale: false,
      },
    ],
    notification: 0,
    ...overrides,
  };
}

let sim: RunningSimulator;
let config: Config;

beforeAll(async () => {
  sim = await startSimulator({ scenario: quietScenario(new Date()) });
  config = await simulatorConfig(sim, 'secret');
});
afterAll(async () => {
  await sim.close();
});
afterEach(() => {
  sim.setFaults({});
  sim.setGrantedRoles(CREDWATCH_ROLES);
});

/** A fresh connection each time, so a token reflects the roles granted right now. */
function emailChannel(retry?: Partial<RetryPolicy>) {
  const { graph } = connect(config, captureLogger('silent').logger, retry);
  return createEmailChannel({ name: 'soc-mail', minSeverity: 'high', graph, fromMailbox: FROM, to: TO });
}

/** The last message the simulator accepted, with its text attachment decoded. */
function lastMail(): { mailbox: string; request: SendMailRequest; subject: string; html: string; text: string } {
  const mail = sim.sentMail.at(-1);
  if (!mail) throw new Error('no mail was sent');
  const request = mail.body as SendMailRequest;
  const attachment = request.message.attachments[0];
  const text = attachment
    ? Buffer.from(attachment.contentBytes, 'base64')
        .toString('utf8')
        .replace(/^\ufeff/, '')
    : '';
  return { mailbox: mail.mailbox, request, subject: request.message.subject, html: request.message.body.content, text };
}

/** Every http(s) URL in the HTML, wherever it appears. */
const urlsIn = (html: string) => html.match(/https?:\/\/[^\s"'<>]*/gi) ?? [];

describe('email channel over Graph sendMail', () => {
  it('sends the alert once, from the configured mailbox to every recipient, as HTML with the text attached', async () => {
    const before = sim.sentMail.length;
    await emailChannel().send(alert());
    // sendMail is not idempotent: an empty 202 read as a bad response would be retried and resent.
    expect(sim.sentMail.length).toBe(before + 1);
    const { mailbox, request, subject, html, text } = lastMail();
    expect(mailbox).toBe(FROM);
    expect(request.saveToSentItems).toBe(false);
    expect(request.message.toRecipients).toEqual(TO.map((address) => ({ emailAddress: { address } })));
    expect(subject).toBe("[credwatch] CRITICAL: Vendor certificate used outside the vendor's networks — Mimecast Archiver");
    expect(request.message.body.contentType).toBe('HTML');
    expect(request.message.attachments).toEqual([
      expect.objectContaining({ '@odata.type': '#microsoft.graph.fileAttachment', name: 'alert.txt', contentType: 'text/plain' }),
    ]);
    for (const rendering of [html, text]) {
      expect(rendering).toContain('Mimecast Archiver');
      expect(rendering).toContain('203.0.113.7');
      expect(rendering).toContain('Remove the certificate from the service principal.');
      expect(rendering).toContain('as in the 2021 Mimecast attack');
    }
    expect(text).toContain(`  ${entraAppUrl(APP_ID)}`);
  });

  it('lays the HTML out for Outlook: severity bar, facts, numbered runbook steps and one link, styles inline only', async () => {
    await emailChannel().send(alert());
    const { html } = lastMail();
    expect(html).toMatch(/<td style="background-color:#A4262C;color:#FFFFFF;[^"]*"><div [^>]*>CRITICAL · Vendor certificate/);
    expect(html).toContain('What happened');
    expect(html).toContain('Why it matters');
    expect(html).toMatch(/>1\. Confirm with the vendor/);
    // Fluid up to 680 px; only Outlook desktop (conditional comment) gets a fixed width. No flex or grid.
    expect(html).toContain('width:100%;max-width:680px;');
    expect(html).toContain('<!--[if mso]><table role="presentation" width="680"');
    expect(html).not.toMatch(/display:\s*(?:flex|grid)|word-break:\s*break-all/);
    // IPs and ids are kept whole, never broken mid-token.
    expect(html).toContain('<span style="white-space:nowrap;">203.0.113.7</span>');
    expect(html).toContain(`<a href="${entraAppUrl(APP_ID)}"`);
    expect(html).not.toMatch(/<script|<style|<link|<img|<iframe|\sclass=|\ssrc=|url\(/i);
    expect(urlsIn(html)).toEqual([entraAppUrl(APP_ID)]);
    // A feed URL can carry a token: only its host reaches the email.
    expect(html).toContain('url:feeds.example');
    expect(html).not.toContain('FEEDTOKEN');
  });

  it.each([
    ['an HTML tag', '<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
    ['an attribute break-out', '"><script>alert(1)</script>', '&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['a Markdown link', '[click](https://evil.example)', '[click](hxxps[:]//evil.example)'],
    ['quotes and ampersands', 'Tom & Jerry\'s "App"', 'Tom &amp; Jerry&#39;s &quot;App&quot;'],
  ])('escapes %s in the app name in the subject, HTML and text', async (_what, name, escaped) => {
    await emailChannel().send(alert(name));
    const { subject, html, text } = lastMail();
    expect(html).toContain(escaped);
    expect(html).not.toMatch(/<img|<script/i);
    expect(urlsIn(html)).toEqual([entraAppUrl(APP_ID)]);
    const plain = name.replace('https://', 'hxxps[:]//');
    expect(subject).toBe(`[credwatch] CRITICAL: Vendor certificate used outside the vendor's networks — ${plain}`);
    expect(text).toMatch(new RegExp(`\\n  App: +${plain.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(${APP_ID}\\)\\n`));
  });

  it('makes control and bidi characters visible instead of letting them forge a line or a header', async () => {
    await emailChannel().send(alert('Mimecast\r\nBcc: attacker@evil.example\u202Eexe.fdp\u0000'));
    const { subject, html, text } = lastMail();
    for (const rendering of [subject, html, text]) {
      expect(rendering.includes('\u0000') || rendering.includes('\u202E')).toBe(false);
      expect(rendering).toContain('Mimecast\ufffd\ufffdBcc: attacker@evil.example\ufffdexe.fdp\ufffd');
    }
    expect(subject).not.toMatch(/[\r\n]/);
  });

  it('truncates a 5,000-character app name everywhere', async () => {
    await emailChannel().send(alert('A'.repeat(5000)));
    const { request, subject, html, text } = lastMail();
    const shown = `${'A'.repeat(79)}…`;
    expect(subject.endsWith(`— ${shown}`)).toBe(true);
    expect(subject.length).toBeLessThan(260);
    expect(html).toContain(shown);
    expect(text).toContain(shown);
    for (const rendering of [html, text]) expect(rendering).not.toContain('A'.repeat(400));
    expect(JSON.stringify(request).length).toBeLessThan(40_000);
  });

  it('marks a repeat notification as still happening without changing the subject, so Outlook threads it', async () => {
    await emailChannel().send(alert('Mimecast Archiver', { notification: 40, count: 40 }));
    const { subject, html } = lastMail();
    expect(subject).toBe("[credwatch] CRITICAL: Vendor certificate used outside the vendor's networks — Mimecast Archiver");
    expect(html).toContain('credwatch · Still happening: 40 events in total · tenant contoso');
  });

  it('puts an escalation in the subject and the header, with the severity it rose from', async () => {
    await emailChannel().send(alert('Mimecast Archiver', { notification: 13, count: 13, escalatedFrom: 'high' }));
    const { subject, html, text } = lastMail();
    expect(subject).toBe("[credwatch] Escalated to CRITICAL: Vendor certificate used outside the vendor's networks — Mimecast Archiver");
    expect(html).toContain('Escalated to CRITICAL · Vendor certificate used outside the vendor&#39;s networks</div>');
    expect(text.split('\n')[0]).toBe("Escalated to CRITICAL · Vendor certificate used outside the vendor's networks");
    for (const rendering of [html, text]) {
      expect(rendering).toContain('Escalated from HIGH: 13 events in total');
      expect(rendering).not.toContain('Still happening');
    }
  });

  it('puts an update in the subject and says what is new, with URLs in values defanged', async () => {
    const update = { ips: ['203.0.113.9'], asns: [], resources: ['https://evil.example/x'], firstSuccess: false };
    await emailChannel().send(alert('Mimecast Archiver', { notification: 14, count: 14, update }));
    const { subject, html, text } = lastMail();
    expect(subject).toBe("[credwatch] Update: CRITICAL: Vendor certificate used outside the vendor's networks — Mimecast Archiver");
    expect(text.split('\n')[0]).toBe("Update: CRITICAL · Vendor certificate used outside the vendor's networks");
    expect(text).toMatch(/New since last notification: +new IP address 203\.0\.113\.9; new resource hxxps\[:\]\/\/evil\.example\/x/);
    expect(html).toContain('new IP address <span style="white-space:nowrap;">203.0.113.9</span>; new resource hxxps[:]//evil.example/x');
    for (const rendering of [html, text]) expect(rendering).toContain('Something new: 14 events in total');
  });

  it('sends one digest with a table of the alerts, most severe first', async () => {
    const severities: Severity[] = ['low', 'critical', 'medium', 'high'];
    const before = sim.sentMail.length;
    await emailChannel().sendDigest!(severities.map((severity, i) => alert(`App ${severity}`, { alertId: `alert-${i}`, severity })));
    expect(sim.sentMail.length).toBe(before + 1);
    const { subject, html, text } = lastMail();
    expect(subject).toBe('[credwatch] 4 alerts: 1 CRITICAL, 1 HIGH, 1 MEDIUM, 1 LOW');
    const order = (rendering: string) => ['critical', 'high', 'medium', 'low'].map((s) => rendering.indexOf(`App ${s}`));
    for (const rendering of [html, text]) {
      const at = order(rendering);
      expect(at.every((n) => n >= 0)).toBe(true);
      expect([...at].sort((a, b) => a - b)).toEqual(at);
    }
    expect(urlsIn(html).every((u) => u === entraAppUrl(APP_ID))).toBe(true);
  });

  it("keeps a 500-alert digest of hostile names far under Graph's 4 MB request limit, every alert in the text", async () => {
    const alerts = Array.from({ length: 500 }, (_, i) =>
      alert(`<b>${'x'.repeat(5000)}</b>`, {
        alertId: `alert-${i}`,
        severity: i < 150 ? 'critical' : 'medium',
        ips: Array.from({ length: 1000 }, (_v, j) => `198.51.${i % 250}.${j % 250}`),
      }),
    );
    await emailChannel().sendDigest!(alerts);
    const { request, subject, html, text } = lastMail();
    expect(subject).toBe('[credwatch] 500 alerts: 150 CRITICAL, 350 MEDIUM');
    expect(html.split('>CRITICAL<').length - 1).toBe(100);
    expect(html).toContain('400 more alerts are not shown here');
    expect(html).not.toContain('<b>');
    expect(text.split('\n').filter((l) => / alert-\d+$/.test(l)).length).toBe(500);
    expect(Buffer.byteLength(JSON.stringify(request))).toBeLessThan(1024 * 1024);
  });

  it('fails permanently, naming Mail.Send and RBAC for Applications, when credwatch may not send mail', async () => {
    sim.setGrantedRoles(CREDWATCH_ROLES.filter((r) => r !== 'Mail.Send'));
    const error = await emailChannel()
      .send(alert())
      .catch((e: unknown) => e);
    expect(isCredwatchError(error, 'CHANNEL_REJECTED')).toBe(true);
    if (!isCredwatchError(error)) return;
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('Mail.Send');
    expect(error.message).toContain('Exchange RBAC for Applications');
    expect(isCredwatchError(error.cause, 'GRAPH_PERMISSION_MISSING')).toBe(true);
  });

  it("fails permanently with Graph's reason when the mailbox does not exist", async () => {
    sim.setFaults({ rules: [{ pathIncludes: 'sendMail', kind: 'status', status: 404, times: 1 }] });
    const error = await emailChannel()
      .send(alert())
      .catch((e: unknown) => e);
    expect(isCredwatchError(error, 'CHANNEL_REJECTED')).toBe(true);
    if (!isCredwatchError(error)) return;
    expect(error.message).toContain('404');
    expect(error.message).toContain(`Check that ${FROM} is an existing mailbox`);
    expect(error.details).toMatchObject({ status: 404, graphCode: 'GRAPH_REQUEST_REJECTED' });
  });

  it('stays pending (retryable) when Graph keeps answering 503', async () => {
    sim.setFaults({ rules: [{ pathIncludes: 'sendMail', kind: 'status', status: 503, times: 10 }] });
    const before = sim.sentMail.length;
    const error = await emailChannel({ maxAttempts: 2, baseDelayInMs: 1, maxBackoffInMs: 2 })
      .send(alert())
      .catch((e: unknown) => e);
    expect(isCredwatchError(error, 'CHANNEL_UNAVAILABLE')).toBe(true);
    if (!isCredwatchError(error)) return;
    expect(error.retryable).toBe(true);
    expect(isCredwatchError(error.cause, 'GRAPH_UNAVAILABLE')).toBe(true);
    expect(sim.sentMail.length).toBe(before);
  });
});
