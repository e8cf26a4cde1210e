/**
 * Alerts and the cards credwatch builds from them, shared by the card tests: the Teams channel's
 * behaviour (teams.test.ts), the schema check (cards-schema.test.ts) and the rendering in Chromium
 * (cards-render.test.ts).
 */
import { renderAlertMessage } from '../../src/alerts/channels/teams-card.js';
import { renderDigestMessage } from '../../src/alerts/channels/teams-digest.js';
import { ALERT_SCHEMA, entraAppUrl, type AlertPayload } from '../../src/alerts/payload.js';
import type { Severity } from '../../src/events.js';
import { renderTeamsSummary } from '../../src/report/teams-summary.js';
import { signinCertOutsideAllowlist as rule } from '../../src/rules/signin-cert-outside-allowlist.js';
import { hostileReport, HOSTILE_NAMES, realisticReport } from '../report/html-fixtures.js';
import type { Json } from './card-reading.js';

export const APP_ID = 'bbbbbbbb-0000-4000-8000-0000000000a1';

/** The 2021 Mimecast case: a vendor certificate used from outside the vendor's ranges, succeeding. */
export function alert(over: Partial<AlertPayload> = {}): AlertPayload {
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
export const HOSTILE = [
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

/** Every field as long and hostile as it gets: the card must still fit 28 KB. */
export function hugeHostileAlert(): AlertPayload {
  const base = alert();
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

/** A long but ordinary app name (vendors do this), with the IP at the end of the summary. */
export function longNameAlert(severity: Severity = 'medium'): AlertPayload {
  const name = 'Contoso Enterprise Mail Archiving and eDiscovery Connector for Exchange Online (Production, EU West)';
  return alert({
    severity,
    app: { ...alert().app, displayName: name },
    summary: `Vendor certificate for "${name}" used from 198.51.100.45 (US, AS64500), outside Mimecast's allowed ranges`,
    ips: ['198.51.100.45', '2001:db8:85a3:0000:0000:8a2e:0370:7334'],
  });
}

const cardIn = (message: { attachments: [{ content: unknown }] }): Json => message.attachments[0].content as Json;

/** Every kind of card credwatch sends, by name: alerts of each severity and round, digests, the weekly summary. */
export function everyCard(): Array<{ name: string; card: Json }> {
  const severities: Severity[] = ['critical', 'high', 'medium', 'low', 'informational'];
  const digest = Array.from({ length: 25 }, (_, i) =>
    alert({ alertId: `alert-${i}`, severity: severities[i % 5]!, app: { ...alert().app, displayName: i % 2 === 0 ? HOSTILE : 'Mimecast Services' } }),
  );
  return [
    ...severities.map((severity) => ({ name: `alert-${severity}`, card: cardIn(renderAlertMessage(longNameAlert(severity))) })),
    { name: 'alert-escalation', card: cardIn(renderAlertMessage(alert({ notification: 6, count: 6, escalatedFrom: 'high' }))) },
    {
      name: 'alert-update',
      card: cardIn(
        renderAlertMessage(alert({ notification: 9, count: 9, update: { ips: ['203.0.113.9'], asns: [64999], resources: [], firstSuccess: true } })),
      ),
    },
    {
      name: 'alert-mailbox-reach',
      card: cardIn(renderAlertMessage(alert({ summary: '"Mimecast Services" (full_access_as_app) signed in from 203.0.113.7, a new network' }))),
    },
    {
      name: 'alert-hostile',
      card: cardIn(renderAlertMessage(alert({ app: { ...alert().app, displayName: HOSTILE }, tenant: HOSTILE, resources: [HOSTILE] }))),
    },
    { name: 'alert-huge-trimmed', card: cardIn(renderAlertMessage(hugeHostileAlert())) },
    { name: 'alert-no-runbook', card: cardIn(renderAlertMessage(alert({ rule: { ...alert().rule, runbook: [] } }))) },
    { name: 'digest', card: cardIn(renderDigestMessage(digest)) },
    { name: 'weekly-summary', card: cardIn(renderTeamsSummary(realisticReport())) },
    { name: 'weekly-summary-hostile', card: cardIn(renderTeamsSummary(hostileReport(HOSTILE_NAMES.join(' ')))) },
  ];
}
