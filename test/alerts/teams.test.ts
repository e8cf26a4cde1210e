import { afterEach, describe, expect, it } from 'vitest';
import { createTeamsChannel } from '../../src/alerts/channels/teams.js';
import { renderAlertMessage } from '../../src/alerts/channels/teams-card.js';
import { ALERT_SCHEMA, entraAppUrl, type AlertPayload } from '../../src/alerts/payload.js';
import type { Severity } from '../../src/events.js';
import { isCredwatchError } from '../../src/errors.js';
import { createFetch } from '../../src/graph/http.js';
import { signinCertOutsideAllowlist as rule } from '../../src/rules/signin-cert-outside-allowlist.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';

const APP_ID = 'bbbbbbbb-0000-4000-8000-0000000000a1';
const LIMIT = 28_672; // 28 KB: docs/teams.md (Workflows drops larger payloads)

function alert(over: Partial<AlertPayload> = {}): AlertPayload {
  return {
    schema: ALERT_SCHEMA,
    alertId: 'alert-7f3a',
    tenant: 'contoso',
    severity: 'critical',
    rule: { id: rule.id, title: rule.title, description: rule.description, mitre: rule.mitre, runbook: rule.runbook, falsePositives: rule.falsePositives },
    app: { appId: APP_ID, displayName: 'Mimecast Services', entraUrl: entraAppUrl(APP_ID) },
    credentialKeyId: 'c0ffee00-0000-4000-8000-000000000001',
    network: 'AS64512',
    summary: 'Vendor certificate for "Mimecast Services" used from 203.0.113.7 (NL, AS64512), outside Mimecast\'s allowed ranges',
    firstSeen: '2026-11-26T10:00:00.000Z',
    lastSeen: '2026-11-26T10:29:00.000Z',
    count: 5,
    successCount: 3,
    failureCount: 2,
    ips: ['203.0.113.7', '203.0.113.8'],
    countries: ['NL'],
    asns: [64512],
    resources: ['Office 365 Exchange Online'],
    allowlist: [{ vendor: 'Mimecast', source: 'file:config/vendors/mimecast-2021.txt', cidr: '205.139.110.0/24', fetchedAt: null, stale: false }],
    notification: 0,
    ...over,
  };
}

// What a malicious multi-tenant app can call itself.
const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '[click](https://evil.example/login)',
  '![pixel](https://evil.example/p.png)',
  '**URGENT** _approve_ `now` ~~ignore~~ # heading',
  '{{DATE(2017-02-14T06:00:00Z, SHORT)}}',
  'line one\nline two\r\u0007\u001b[31m\u202eesrever\u200b',
  '<https://evil.example>',
  'www.evil.example',
  '&lt;b&gt; | a | b |',
].join(' ');

function hugeHostileAlert(): AlertPayload {
  const base = alert();
  // Every character of the filler needs an escape, so the escaped card is about three times the raw text.
  const name = `${HOSTILE} ${'*_[]()<>'.repeat(1_250)}`.slice(0, 10_000);
  return alert({
    app: { ...base.app, displayName: name },
    tenant: name,
    summary: `Vendor certificate for "${name}" used from many places`,
    credentialKeyId: name,
    network: name,
    ips: Array.from({ length: 20 }, (_, i) => `2001:db8:${i.toString(16)}:ffff:ffff:ffff:ffff:${i}`),
    countries: Array.from({ length: 20 }, () => name),
    resources: Array.from({ length: 20 }, () => name),
    allowlist: Array.from({ length: 20 }, (_, i) => ({ vendor: name, source: 'cidrs', cidr: `10.${i}.0.0/16`, fetchedAt: null, stale: true })),
    rule: { ...base.rule, title: name, description: name, runbook: Array.from({ length: 30 }, () => name) },
  });
}

// ---- A validator for the Adaptive Card 1.4 required fields (microsoft/AdaptiveCards schemas/1.4.0). ----

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const COLORS = ['default', 'dark', 'light', 'accent', 'good', 'warning', 'attention'];
const CONTAINER_STYLES = ['default', 'emphasis', 'good', 'attention', 'warning', 'accent'];

function validateCard14(card: unknown): string[] {
  const problems: string[] = [];
  const element = (e: unknown, path: string): void => {
    if (!isObject(e) || typeof e.type !== 'string') return void problems.push(`${path}: every element needs a type`);
    if (e.type === 'TextBlock') {
      if (typeof e.text !== 'string') problems.push(`${path}: TextBlock needs text`);
      if (e.color !== undefined && !COLORS.includes(String(e.color))) problems.push(`${path}: unknown color ${String(e.color)}`);
    } else if (e.type === 'FactSet') {
      if (!Array.isArray(e.facts)) return void problems.push(`${path}: FactSet needs facts`);
      e.facts.forEach((f: unknown, i) => {
        if (!isObject(f) || typeof f.title !== 'string' || typeof f.value !== 'string') problems.push(`${path}.facts[${i}]: Fact needs title and value`);
      });
    } else if (e.type === 'Container') {
      if (e.style !== undefined && !CONTAINER_STYLES.includes(String(e.style))) problems.push(`${path}: unknown style ${String(e.style)}`);
      if (!Array.isArray(e.items)) return void problems.push(`${path}: Container needs items`);
      e.items.forEach((item: unknown, i) => element(item, `${path}.items[${i}]`));
    } else problems.push(`${path}: ${e.type} is not an element this card should use`);
  };
  if (!isObject(card)) return ['the card is not an object'];
  if (card.type !== 'AdaptiveCard') problems.push('type must be AdaptiveCard');
  if (card.version !== '1.4') problems.push('version must be 1.4');
  if (!Array.isArray(card.body) || card.body.length === 0) problems.push('body must be a non-empty array');
  else card.body.forEach((e: unknown, i) => element(e, `body[${i}]`));
  if (card.actions !== undefined) {
    if (!Array.isArray(card.actions)) problems.push('actions must be an array');
    else
      card.actions.forEach((a: unknown, i) => {
        if (!isObject(a) || typeof a.type !== 'string') problems.push(`actions[${i}]: every action needs a type`);
        else if (a.type !== 'Action.OpenUrl') problems.push(`actions[${i}]: unexpected ${a.type}`);
        else if (typeof a.url !== 'string' || a.url === '' || typeof a.title !== 'string' || a.title === '')
          problems.push(`actions[${i}]: Action.OpenUrl needs url and title`);
      });
  }
  return problems;
}

/** The value of the card's fact titled `title`, if it has one. */
function factOf(card: Json, title: string): string | undefined {
  const texts = renderedTexts(card);
  const i = texts.indexOf(title);
  return i < 0 ? undefined : texts[i + 1];
}

/** Every string Teams renders as Markdown: TextBlock text, Fact titles and values, the fallback text. */
function renderedTexts(card: Json): string[] {
  const out = typeof card.fallbackText === 'string' ? [card.fallbackText] : [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!isObject(node)) return;
    if (node.type === 'TextBlock' && typeof node.text === 'string') out.push(node.text);
    if (node.type === 'FactSet' && Array.isArray(node.facts)) for (const f of node.facts as Json[]) out.push(String(f.title), String(f.value));
    walk(node.items);
  };
  walk(card.body);
  return out;
}

/** Markdown-significant characters not preceded by a backslash escape. */
function unescapedMarkup(text: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if ('*_[]<>`~{}|#&!'.includes(text[i]!)) found.push(text[i]!);
  }
  return found;
}

function cardOf(body: string): Json {
  const envelope = JSON.parse(body) as { attachments: Array<{ content: Json }> };
  return envelope.attachments[0]!.content;
}

const factValue = (card: Json, title: string): string | undefined => {
  const sets = (card.body as Json[]).filter((e) => e.type === 'FactSet') as Array<{ facts: Array<{ title: string; value: string }> }>;
  return sets.flatMap((s) => s.facts).find((f) => f.title === title)?.value;
};

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
    const card = cardOf(request.body);
    expect(card).toMatchObject({
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      type: 'AdaptiveCard',
      version: '1.4',
      msteams: { width: 'Full' },
    });
    expect(validateCard14(card)).toEqual([]);
  });

  it('shows what happened, why it matters and what to do, with a button to the app in Entra', async () => {
    const { channel, receiver } = await channelWithReceiver();
    await channel.send(alert());
    const card = cardOf(receiver.requests[0]!.body);
    const texts = renderedTexts(card);
    expect(texts[1]).toBe('CRITICAL · Vendor certificate used outside its allowed networks');
    expect(factValue(card, 'App')).toBe(`Mimecast Services (${APP_ID})`);
    expect(factValue(card, 'IP addresses')).toBe('203.0.113.7, 203.0.113.8');
    expect(factValue(card, 'Count')).toBe('5 (3 succeeded, 2 failed)');
    expect(factValue(card, 'First seen')).toBe('2026-11-26 10:00:00 UTC');
    expect(factValue(card, 'Vendor / allowlist')).toBe('Mimecast · 1 allowed range');
    expect(texts).toContain('What to do');
    // The runbook's underscores are escaped, so `full_access_as_app` is not italicised.
    expect(texts.some((t) => t.startsWith('3. ') && t.includes('full\\_access\\_as\\_app'))).toBe(true);
    expect(card.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Open in Entra admin center', url: entraAppUrl(APP_ID) },
      { type: 'Action.OpenUrl', title: 'Sign-in logs', url: 'https://entra.microsoft.com/#view/Microsoft_AAD_IAM/SignInLogsList.ReactView' },
    ]);
  });

  it('names the mailbox reach when the summary names a mailbox permission', () => {
    const card = renderAlertMessage(alert({ summary: '"Mimecast Services" (full_access_as_app) signed in from a new network' })).attachments[0].content;
    expect(renderedTexts(card as unknown as Json).find((t) => t.startsWith('Mailbox reach'))).toContain('full\\_access\\_as\\_app');
    const plain = renderAlertMessage(alert()).attachments[0].content;
    expect(renderedTexts(plain as unknown as Json).some((t) => t.startsWith('Mailbox reach'))).toBe(false);
  });

  it('says a repeat notification is still happening, with the total count', () => {
    const card = renderAlertMessage(alert({ notification: 42, count: 42 })).attachments[0].content as unknown as Json;
    expect(renderedTexts(card)[2]).toBe('credwatch · still happening: 42 in total · tenant contoso');
  });

  it('heads an escalation "Escalated to CRITICAL" and says what it was before', () => {
    const card = renderAlertMessage(alert({ notification: 6, count: 6, escalatedFrom: 'high' })).attachments[0].content as unknown as Json;
    const texts = renderedTexts(card);
    expect(texts[1]).toBe('Escalated to CRITICAL · Vendor certificate used outside its allowed networks');
    expect(texts[2]).toBe('credwatch · escalated from HIGH: 6 in total · tenant contoso');
    expect(card['fallbackText']).toMatch(/^Escalated to CRITICAL · /);
  });

  it('heads an update "Update: CRITICAL" and lists what is new, with hostile values escaped', () => {
    const update = { ips: ['203.0.113.9'], asns: [64999], resources: ['[x](https://evil.example)'], firstSuccess: true };
    const card = renderAlertMessage(alert({ notification: 9, count: 9, update })).attachments[0].content as unknown as Json;
    const texts = renderedTexts(card);
    expect(texts[1]).toBe('Update: CRITICAL · Vendor certificate used outside its allowed networks');
    expect(texts[2]).toBe('credwatch · update, something new: 9 in total · tenant contoso');
    expect(factOf(card, 'New since last notification')).toBe(
      'first successful sign-in; new IP address 203.0.113.9; new network AS64999; new resource \\[x\\]\\(hxxps://evil.example\\)',
    );
  });

  it('shows no update for an update field that holds nothing new', () => {
    const card = renderAlertMessage(alert({ notification: 9, count: 9, update: { ips: [], asns: [], resources: [], firstSuccess: false } })).attachments[0]
      .content as unknown as Json;
    expect(renderedTexts(card)[1]).toBe('CRITICAL · Vendor certificate used outside its allowed networks');
    expect(factOf(card, 'New since last notification')).toBeUndefined();
  });

  it('ignores an escalatedFrom that is unknown or not lower, as from a payload tampered with in storage', () => {
    for (const escalatedFrom of ['critical', '**bold** [x](https://evil.example)'] as never[]) {
      const card = renderAlertMessage(alert({ notification: 6, count: 6, escalatedFrom })).attachments[0].content as unknown as Json;
      expect(renderedTexts(card).slice(1, 3)).toEqual([
        'CRITICAL · Vendor certificate used outside its allowed networks',
        'credwatch · still happening: 6 in total · tenant contoso',
      ]);
    }
  });

  it.each<[Severity, string, string]>([
    ['critical', 'attention', 'attention'],
    ['high', 'attention', 'attention'],
    ['medium', 'warning', 'warning'],
    ['low', 'accent', 'accent'],
    ['informational', 'default', 'default'],
  ])('styles a %s alert header as %s with %s text', (severity, style, color) => {
    const header = renderAlertMessage(alert({ severity })).attachments[0].content.body[0] as unknown as { style: string; items: Json[] };
    expect(header.style).toBe(style);
    expect(header.items[0]).toMatchObject({ color, weight: 'bolder', text: `${severity.toUpperCase()} · ${rule.title}` });
  });
});

describe('Teams channel: hostile input', () => {
  it('escapes attacker-chosen names so they cannot become links, HTML, formatting or date functions', async () => {
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
    const card = cardOf(receiver.requests[0]!.body);
    expect(validateCard14(card)).toEqual([]);
    for (const text of renderedTexts(card)) {
      expect(unescapedMarkup(text), text).toEqual([]);
      expect(text).not.toContain('](');
      expect(text).not.toContain('**');
      expect(text).not.toMatch(/(^|[^\\])<img/);
      expect(text).not.toContain('{{');
      expect(text).not.toMatch(/https:\/\/evil|www\.evil/);
      // eslint-disable-next-line no-control-regex -- asserting that none survive.
      expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/);
    }
    // Still readable: the name is shown, escaped, not dropped.
    expect(factValue(card, 'App')).toContain('\\<img src=x onerror=alert\\(1\\)\\>');
    expect(factValue(card, 'App')).toContain('\\[click\\]\\(hxxps://evil.example/login\\)');
  });

  it('keeps a huge hostile alert under 28 KB, trimming lists and saying how many were left out', async () => {
    const { channel, receiver } = await channelWithReceiver();
    await channel.send(hugeHostileAlert());
    const body = receiver.requests[0]!.body;
    expect(Buffer.byteLength(body, 'utf8')).toBeLessThan(LIMIT);
    const card = cardOf(body);
    expect(validateCard14(card)).toEqual([]);
    expect(factValue(card, 'IP addresses')).toMatch(/… and \d+ more$/);
    expect(renderedTexts(card).some((t) => /^… and \d+ more steps?/.test(t))).toBe(true);
    for (const text of renderedTexts(card)) {
      expect(unescapedMarkup(text)).toEqual([]);
      expect(text.length).toBeLessThan(3_000);
    }
  });

  it('trims further for a smaller budget and never exceeds it', () => {
    const message = renderAlertMessage(hugeHostileAlert(), 8_000);
    expect(Buffer.byteLength(JSON.stringify(message), 'utf8')).toBeLessThanOrEqual(8_000);
    expect(validateCard14(message.attachments[0].content)).toEqual([]);
  });

  it('leaves an ordinary alert untrimmed', () => {
    const card = renderAlertMessage(alert({ ips: Array.from({ length: 20 }, (_, i) => `203.0.113.${i}`) })).attachments[0].content as unknown as Json;
    expect(factValue(card, 'IP addresses')?.split(', ')).toHaveLength(20);
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
