import { afterEach, describe, expect, it } from 'vitest';
import { createTeamsChannel } from '../../src/alerts/channels/teams.js';
import { renderAlertMessage } from '../../src/alerts/channels/teams-card.js';
import { entraAppUrl, type AlertPayload } from '../../src/alerts/payload.js';
import type { Severity } from '../../src/events.js';
import { isCredwatchError } from '../../src/errors.js';
import { createFetch } from '../../src/graph/http.js';
import { signinCertOutsideAllowlist as rule } from '../../src/rules/signin-cert-outside-allowlist.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { alert, APP_ID, HOSTILE, hugeHostileAlert } from './card-fixtures.js';
import { allTexts, factOf, markdownTexts, MARKDOWN_SYNTAX, richTexts, type Json } from './card-reading.js';
import { richText as richTextOf } from '../../src/alerts/channels/teams-adaptive.js';

const LIMIT = 28_672; // 28 KB: docs/teams.md (Workflows drops larger payloads)

function cardOf(body: string): Json {
  const envelope = JSON.parse(body) as { attachments: Array<{ content: Json }> };
  return envelope.attachments[0]!.content;
}

const card = (a: AlertPayload, maxBytes?: number): Json => renderAlertMessage(a, maxBytes).attachments[0].content as unknown as Json;

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function channelWithReceiver(over: { now?: () => Date; sleep?: (ms: number) => Promise<void> } = {}) {
  receiver = await startReceiver();
  const url = `${receiver.url}?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sig=SECRET-SIGNATURE`;
  const channel = createTeamsChannel({
    name: 'soc-teams',
    minSeverity: 'low',
    url,
    fetch: createFetch({ timeoutInMs: 5_000 }),
    now: over.now ?? (() => new Date()),
    sleep: over.sleep ?? (async () => {}),
  });
  return { channel, receiver, url };
}

describe('Teams channel: the message', () => {
  it('posts an Adaptive Card 1.4 in a Workflows message envelope', async () => {
    const { channel, receiver } = await channelWithReceiver();
    await channel.send(alert());
    expect(receiver.requests).toHaveLength(1);
    const request = receiver.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toMatch(/^application\/json/);
    const envelope = JSON.parse(request.body) as Json;
    expect(envelope).toMatchObject({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null }] });
    expect(cardOf(request.body)).toMatchObject({
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      type: 'AdaptiveCard',
      version: '1.4',
      msteams: { width: 'Full' },
    });
  });

  it('shows what happened, why it matters and what to do, with a button to the app in Entra', async () => {
    const { channel, receiver } = await channelWithReceiver();
    await channel.send(alert());
    const c = cardOf(receiver.requests[0]!.body);
    const texts = allTexts(c);
    expect(texts[0]).toBe('CRITICAL · Vendor certificate used outside its allowed networks');
    expect(texts).toContain('Vendor certificate for "Mimecast Services" used from 203.0.113.7 (NL, AS64512), outside Mimecast\'s allowed ranges');
    expect(factOf(c, 'App')).toBe(`Mimecast Services (${APP_ID})`);
    expect(factOf(c, 'IP addresses')).toBe('203.0.113.7, 203.0.113.8');
    expect(factOf(c, 'Events')).toBe('5 (3 succeeded, 2 failed)');
    expect(factOf(c, 'First seen')).toBe('2026-11-26 10:00 UTC');
    expect(factOf(c, 'Allowed ranges')).toBe('205.139.110.0/24 (Mimecast, file:config/vendors/mimecast-2021.txt)');
    expect(texts).toContain('What to do');
    // Rule text is shown as written: a TextRun is not Markdown, so `full_access_as_app` needs no escape.
    expect(richTexts(c).some((t) => t.startsWith('3. ') && t.includes('full_access_as_app'))).toBe(true);
    expect(JSON.stringify(c)).not.toContain('\\\\_');
    expect(c.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Open in Entra admin center', url: entraAppUrl(APP_ID) },
      { type: 'Action.OpenUrl', title: 'Sign-in logs', url: 'https://entra.microsoft.com/#view/Microsoft_AAD_IAM/SignInLogsList.ReactView' },
    ]);
  });

  it('keeps what happened and where from in the summary line when the app name is long', () => {
    const name = `Contoso ${'Very Long Helpful Name '.repeat(20)}`;
    const summary = `Vendor certificate for "${name}" used from 198.51.100.45 (US, AS64500), outside Mimecast's allowed ranges`;
    const line = richTexts(card(alert({ app: { ...alert().app, displayName: name }, summary })))[2]!;
    expect(line.startsWith('Vendor certificate for "Contoso Very Long')).toBe(true);
    expect(line.endsWith("used from 198.51.100.45 (US, AS64500), outside Mimecast's allowed ranges")).toBe(true);
    expect(Array.from(line).length).toBeLessThan(150);
  });

  it('names the mailbox reach when the summary names a mailbox permission', () => {
    const reach = richTexts(card(alert({ summary: '"Mimecast Services" (full_access_as_app) signed in from a new network' }))).find((t) =>
      t.startsWith('Mailbox reach'),
    );
    expect(reach).toContain('the app holds full_access_as_app.');
    expect(richTexts(card(alert())).some((t) => t.startsWith('Mailbox reach'))).toBe(false);
  });

  it('says a repeat notification is still happening, with the total count', () => {
    expect(allTexts(card(alert({ notification: 42, count: 42 })))[1]).toBe('credwatch · Still happening: 42 events in total · tenant contoso');
  });

  it('heads an escalation "Escalated to CRITICAL" and says what it was before', () => {
    const c = card(alert({ notification: 6, count: 6, escalatedFrom: 'high' }));
    expect(allTexts(c).slice(0, 2)).toEqual([
      'Escalated to CRITICAL · Vendor certificate used outside its allowed networks',
      'credwatch · Escalated from HIGH: 6 events in total · tenant contoso',
    ]);
    expect(c['fallbackText']).toMatch(/^Escalated to CRITICAL · /);
  });

  it('heads an update "Update: CRITICAL" and lists what is new, hostile values shown as text and defanged', () => {
    const update = { ips: ['203.0.113.9'], asns: [64999], resources: ['[x](https://evil.example)'], firstSuccess: true };
    const c = card(alert({ notification: 9, count: 9, update }));
    expect(allTexts(c).slice(0, 2)).toEqual([
      'Update: CRITICAL · Vendor certificate used outside its allowed networks',
      'credwatch · Something new: 9 events in total · tenant contoso',
    ]);
    expect(factOf(c, 'New since last notification')).toBe(
      'first successful sign-in; new IP address 203.0.113.9; new network AS64999; new resource [x](hxxps[:]//evil.example)',
    );
  });

  it('shows no update for an update field that holds nothing new', () => {
    const c = card(alert({ notification: 9, count: 9, update: { ips: [], asns: [], resources: [], firstSuccess: false } }));
    expect(allTexts(c)[0]).toBe('CRITICAL · Vendor certificate used outside its allowed networks');
    expect(factOf(c, 'New since last notification')).toBeUndefined();
  });

  it('ignores an escalatedFrom that is unknown or not lower, as from a payload tampered with in storage', () => {
    for (const escalatedFrom of ['critical', '**bold** [x](https://evil.example)'] as never[]) {
      expect(allTexts(card(alert({ notification: 6, count: 6, escalatedFrom }))).slice(0, 2)).toEqual([
        'CRITICAL · Vendor certificate used outside its allowed networks',
        'credwatch · Still happening: 6 events in total · tenant contoso',
      ]);
    }
  });

  it.each<[Severity, string]>([
    ['critical', 'attention'],
    ['high', 'attention'],
    ['medium', 'warning'],
    ['low', 'accent'],
    ['informational', 'emphasis'],
  ])('styles a %s alert header as %s, its text in the default colour', (severity, style) => {
    const header = (card(alert({ severity })).body as Json[])[0] as { style: string; items: Json[] };
    expect(header.style).toBe(style);
    expect(header.items[0]).toEqual(richTextOf(`${severity.toUpperCase()} · ${rule.title}`, { weight: 'bolder', size: 'large' }));
  });
});

describe('Teams channel: hostile input', () => {
  it('shows attacker-chosen names as text runs, so they cannot become links, HTML, formatting or date functions', async () => {
    const { channel, receiver } = await channelWithReceiver();
    const base = alert();
    await channel.send(
      alert({
        app: { ...base.app, displayName: HOSTILE },
        summary: `Vendor certificate for "${HOSTILE}" used from 203.0.113.7`,
        tenant: HOSTILE,
        ips: ['<script>', '203.0.113.7'],
        resources: [HOSTILE],
      }),
    );
    const c = cardOf(receiver.requests[0]!.body);
    // Only credwatch's fixed words are Markdown; none of them needs an escape.
    for (const text of markdownTexts(c)) {
      expect(text, text).not.toMatch(MARKDOWN_SYNTAX);
      expect(text).not.toContain('\\');
    }
    for (const text of allTexts(c)) {
      expect(text).not.toMatch(/https:\/\/evil|www\.evil/);
      // eslint-disable-next-line no-control-regex -- asserting that none survive.
      expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/);
    }
    // Still readable: the name is shown as it is, not escaped, not dropped (capped at 80 characters).
    expect(factOf(c, 'App')).toContain('<img src=x onerror=alert(1)> [click](hxxps[:]//evil.example/login)');
  });

  it('keeps a huge hostile alert under 28 KB, trimming lists and saying how many were left out', async () => {
    const { channel, receiver } = await channelWithReceiver();
    await channel.send(hugeHostileAlert());
    const body = receiver.requests[0]!.body;
    expect(Buffer.byteLength(body, 'utf8')).toBeLessThan(LIMIT);
    const c = cardOf(body);
    expect(allTexts(c).some((t) => /^And \d+ more steps?/.test(t))).toBe(true);
    for (const text of allTexts(c)) expect(text.length).toBeLessThan(3_000);
  });

  it('trims further for a smaller budget and never exceeds it', () => {
    const message = renderAlertMessage(hugeHostileAlert(), 8_000);
    expect(Buffer.byteLength(JSON.stringify(message), 'utf8')).toBeLessThanOrEqual(8_000);
    expect(factOf(message.attachments[0].content as unknown as Json, 'IP addresses')).toMatch(/ and \d+ more$/);
  });

  it('leaves an ordinary alert untrimmed', () => {
    expect(factOf(card(alert({ ips: Array.from({ length: 20 }, (_, i) => `203.0.113.${i}`) })), 'IP addresses')?.split(', ')).toHaveLength(20);
  });
});

describe('Teams channel: answers', () => {
  it('accepts 202, the answer Workflows gives', async () => {
    const { channel, receiver } = await channelWithReceiver();
    receiver.script.push({ status: 202 });
    await expect(channel.send(alert())).resolves.toBeUndefined();
  });

  it('treats 503 as unavailable, to be retried', async () => {
    const { channel, receiver } = await channelWithReceiver();
    receiver.script.push({ status: 503, body: 'busy' });
    await expect(channel.send(alert())).rejects.toMatchObject({ code: 'CHANNEL_UNAVAILABLE', retryable: true });
  });

  it('passes on a 429 Retry-After in milliseconds', async () => {
    const { channel, receiver } = await channelWithReceiver();
    receiver.script.push({ status: 429, headers: { 'retry-after': '3' } });
    await expect(channel.send(alert())).rejects.toMatchObject({ code: 'CHANNEL_UNAVAILABLE', details: { status: 429, retryAfterInMs: 3000 } });
  });

  it('treats 400 as rejected, with the reason and without the signed URL', async () => {
    const { channel, receiver, url } = await channelWithReceiver();
    receiver.script.push({
      status: 400,
      body: '{"error":{"code":"TriggerInputSchemaMismatch","message":"The input body for trigger manual did not match its schema"}}',
    });
    const error: unknown = await channel.send(alert()).catch((e: unknown) => e);
    expect(isCredwatchError(error, 'CHANNEL_REJECTED')).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('TriggerInputSchemaMismatch');
    expect(message).toContain('soc-teams');
    expect(message).not.toContain(url);
    expect(message).not.toContain('SECRET-SIGNATURE');
  });

  it('treats a receiver that is gone as unavailable, without the signed URL', async () => {
    const { channel, receiver } = await channelWithReceiver();
    await receiver.close();
    const error: unknown = await channel.send(alert()).catch((e: unknown) => e);
    expect(isCredwatchError(error, 'CHANNEL_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).not.toContain('SECRET-SIGNATURE');
  });
});

describe('Teams channel: pacing', () => {
  it('spaces posts at least 250 ms apart with the real clock (4 sends take 750 ms or more)', async () => {
    receiver = await startReceiver();
    const channel = createTeamsChannel({ name: 'soc-teams', minSeverity: 'low', url: receiver.url, fetch: createFetch(), now: () => new Date() });
    const started = performance.now();
    for (let i = 0; i < 4; i += 1) await channel.send(alert({ alertId: `a${i}` }));
    // A timer may fire a millisecond early against the wall clock; allow for that, not more.
    expect(performance.now() - started).toBeGreaterThanOrEqual(745);
    expect(receiver.requests).toHaveLength(4);
  });

  it('sleeps only as long as needed between posts on an injected clock', async () => {
    let t = Date.parse('2026-11-26T10:00:00Z');
    const sleeps: number[] = [];
    const { channel } = await channelWithReceiver({
      now: () => new Date(t),
      sleep: async (ms) => {
        sleeps.push(ms);
        t += ms;
      },
    });
    await channel.send(alert());
    t += 100; // the next alert comes 100 ms later: 150 ms left to wait
    await channel.send(alert());
    await channel.send(alert());
    t += 1_000; // a quiet second: no wait
    await channel.send(alert());
    expect(sleeps).toEqual([150, 250]);
  });

  it('queues concurrent sends behind each other', async () => {
    const sleeps: number[] = [];
    const { channel, receiver } = await channelWithReceiver({
      now: () => new Date('2026-11-26T10:00:00Z'),
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    await Promise.all([channel.send(alert()), channel.send(alert()), channel.send(alert())]);
    expect(sleeps).toEqual([250, 500]);
    expect(receiver.requests).toHaveLength(3);
  });
});
