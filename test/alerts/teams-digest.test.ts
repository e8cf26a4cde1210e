import { afterEach, describe, expect, it } from 'vitest';
import { createTeamsChannel } from '../../src/alerts/channels/teams.js';
import { renderDigestMessage } from '../../src/alerts/channels/teams-digest.js';
import { ALERT_SCHEMA, entraAppUrl, type AlertPayload } from '../../src/alerts/payload.js';
import type { Severity } from '../../src/events.js';
import { createFetch } from '../../src/graph/http.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { markdownTexts, MARKDOWN_SYNTAX } from './card-reading.js';

type Json = Record<string, unknown>;

function alert(i: number, severity: Severity, over: Partial<AlertPayload> = {}): AlertPayload {
  const appId = `bbbbbbbb-0000-4000-8000-${String(i).padStart(12, '0')}`;
  return {
    schema: ALERT_SCHEMA,
    alertId: `alert-${i}`,
    tenant: 'contoso',
    severity,
    rule: { id: 'posture-credential-expiring', title: `Rule ${i}`, description: 'Detects', mitre: [], runbook: ['Rotate it.'], falsePositives: [] },
    app: { appId, displayName: `App ${i}`, entraUrl: entraAppUrl(appId) },
    credentialKeyId: null,
    network: null,
    summary: `summary ${i}`,
    firstSeen: '2026-11-26T10:00:00.000Z',
    lastSeen: `2026-11-26T10:${String(i).padStart(2, '0')}:00.000Z`,
    count: i + 1,
    successCount: 0,
    failureCount: 0,
    ips: [],
    countries: [],
    asns: [],
    resources: [],
    allowlist: [],
    notification: 0,
    ...over,
  };
}

const SEVERITIES: Severity[] = ['low', 'medium', 'critical', 'high', 'informational'];
const mixed = (n: number, over: (i: number) => Partial<AlertPayload> = () => ({})) =>
  Array.from({ length: n }, (_, i) => alert(i, SEVERITIES[i % SEVERITIES.length]!, over(i)));

function cardOf(body: string): { body: Json[]; actions: Json[] } {
  return (JSON.parse(body) as { attachments: Array<{ content: { body: Json[]; actions: Json[] } }> }).attachments[0]!.content;
}

/** The first line of each listed alert (the containers after the header). */
function listedTitles(card: { body: Json[] }): string[] {
  return card.body
    .slice(1)
    .filter((e) => e.type === 'Container')
    .map((c) => String((((c.items as Json[])[0] as Json).inlines as Json[])[0]!.text));
}

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

describe('Teams channel: digest', () => {
  it('sends one card listing 20 alerts, most severe first, and counts the rest', async () => {
    receiver = await startReceiver();
    const channel = createTeamsChannel({
      name: 'soc-teams',
      minSeverity: 'informational',
      url: receiver.url,
      fetch: createFetch(),
      now: () => new Date(),
      sleep: async () => {},
      digestThreshold: 5,
    });
    expect(channel.digestThreshold).toBe(5);
    await channel.sendDigest!(mixed(25));
    expect(receiver.requests).toHaveLength(1);
    const body = receiver.requests[0]!.body;
    expect(Buffer.byteLength(body, 'utf8')).toBeLessThan(28_672);
    const card = cardOf(body);
    const titles = listedTitles(card);
    expect(titles).toHaveLength(20);
    const severities = titles.map((t) => t.split(' · ')[0]);
    expect(severities.slice(0, 5)).toEqual(['CRITICAL', 'CRITICAL', 'CRITICAL', 'CRITICAL', 'CRITICAL']);
    expect(severities.slice(5, 10)).toEqual(['HIGH', 'HIGH', 'HIGH', 'HIGH', 'HIGH']);
    // Within a severity, the most recent first: alert 22 (10:22) before alert 17.
    expect(titles[0]).toBe('CRITICAL · Rule 22');
    expect(card.body.at(-1)).toMatchObject({ type: 'TextBlock', text: 'And 5 more alerts not listed here.' });
    expect((card.body[0] as { style: string }).style).toBe('attention');
    expect(card.actions[0]).toMatchObject({ type: 'Action.OpenUrl', url: entraAppUrl('bbbbbbbb-0000-4000-8000-000000000022') });
  });

  it('sends nothing for an empty digest', async () => {
    receiver = await startReceiver();
    const channel = createTeamsChannel({ name: 'soc-teams', minSeverity: 'informational', url: receiver.url, fetch: createFetch(), now: () => new Date() });
    await channel.sendDigest!([]);
    expect(receiver.requests).toHaveLength(0);
  });

  it('stays under 28 KB with 25 alerts carrying 10,000-character hostile names', () => {
    const name = '[x](https://evil.example) **b** <img src=x> '.repeat(250);
    const message = renderDigestMessage(
      mixed(25, () => ({
        tenant: name,
        app: { appId: name, displayName: name, entraUrl: 'javascript:alert(1)' },
        rule: { id: 'r', title: name, description: '', mitre: [], runbook: [], falsePositives: [] },
      })),
    );
    const size = Buffer.byteLength(JSON.stringify(message), 'utf8');
    expect(size).toBeLessThan(28_672);
    const card = message.attachments[0].content;
    // Names are text runs, never Markdown, and their URLs are defanged.
    for (const text of markdownTexts(card as unknown as Json)) expect(text).not.toMatch(MARKDOWN_SYNTAX);
    expect(JSON.stringify(card.body)).not.toContain('https://evil');
    // A non-https link from a payload never becomes a button.
    expect(card.actions.map((a) => a.url)).toEqual(['https://entra.microsoft.com/#view/Microsoft_AAD_IAM/SignInLogsList.ReactView']);
    expect(JSON.stringify(card.body.at(-1))).toMatch(/And \d+ more alerts/);
  });
});
