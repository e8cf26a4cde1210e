import { describe, expect, it } from 'vitest';
import type { Finding } from '../events.js';
import { alertIdFor, findingIdFor, mergeIntoAlert } from './group.js';
import { planNotifications } from './outbox.js';
import { findSuppression } from './suppress.js';
import { toPayload } from './payload.js';
import { renderRounds } from './render.js';
import { decodeRound } from './round.js';
import type { ChannelConfig } from '../config/types.js';

const DAY = 86_400_000;
const finding = (over: Partial<Finding> = {}): Finding => ({
  ruleId: 'signin-cert-outside-allowlist',
  severity: 'high',
  tenant: 'contoso',
  appId: 'app',
  appDisplayName: 'Vendor',
  credentialKeyId: 'k',
  network: 'AS64512',
  occurredAt: new Date('2026-11-26T10:00:00Z'),
  eventIds: ['e1'],
  summary: 's',
  ip: '203.0.113.1',
  country: 'NL',
  asn: 64512,
  resource: 'Office 365 Exchange Online',
  success: false,
  allowlist: [],
  details: {},
  ...over,
});
const channels: ChannelConfig[] = [
  { type: 'stdout', name: 'console', minSeverity: 'informational', digestThreshold: 10 },
  { type: 'jsonl', name: 'file', minSeverity: 'critical', path: '/tmp/x.jsonl', digestThreshold: 10 },
];
const rule = { id: 'signin-cert-outside-allowlist', title: 't', description: 'Detects', mitre: [], runbook: [], falsePositives: [] };
const plan = (alert: ReturnType<typeof mergeIntoAlert>, now: Date, renotifyAfterInMs = DAY) =>
  planNotifications(alert, channels, { now, renotifyAfterInMs, payload: (a, n) => toPayload(a, rule, n) });

describe('alert grouping', () => {
  it('gives the same alert id to findings of one rule, app, credential and network in one window', () => {
    expect(alertIdFor(finding(), DAY)).toBe(alertIdFor(finding({ occurredAt: new Date('2026-11-26T20:00:00Z'), ip: '203.0.113.9' }), DAY));
    expect(alertIdFor(finding(), DAY)).not.toBe(alertIdFor(finding({ network: 'AS1' }), DAY));
    expect(alertIdFor(finding(), DAY)).not.toBe(alertIdFor(finding({ occurredAt: new Date('2026-11-27T10:00:00Z') }), DAY));
  });

  it('keeps one alert per posture state regardless of time', () => {
    const p = finding({ ruleId: 'posture-secret-on-mailbox-app', network: undefined });
    expect(alertIdFor(p, DAY)).toBe(alertIdFor({ ...p, occurredAt: new Date('2027-05-01T00:00:00Z') }, DAY));
  });

  it('counts, spans first/last seen, escalates to the worst severity and caps lists', () => {
    const findings = Array.from({ length: 30 }, (_, i) =>
      finding({
        eventIds: [`e${i}`],
        ip: `203.0.113.${i}`,
        occurredAt: new Date(Date.parse('2026-11-26T10:00:00Z') + i * 60_000),
        success: i === 29,
        severity: i === 29 ? 'critical' : 'high',
      }),
    );
    const alert = mergeIntoAlert('id', undefined, findings);
    expect(alert).toMatchObject({ count: 30, successCount: 1, failureCount: 29, severity: 'critical' });
    expect(alert.firstSeen).toEqual(new Date('2026-11-26T10:00:00Z'));
    expect(alert.lastSeen).toEqual(new Date('2026-11-26T10:29:00Z'));
    expect(alert.ips).toHaveLength(20);
  });

  it('derives a finding id from its events so a re-read window stores it once', () => {
    expect(findingIdFor(finding({ eventIds: ['b', 'a'] }))).toBe(findingIdFor(finding({ eventIds: ['a', 'b'] })));
  });
});

describe('notifications', () => {
  it('queues one entry per channel that takes the severity, once', () => {
    const alert = mergeIntoAlert('id', undefined, [finding()]);
    const first = plan(alert, new Date('2026-11-26T10:05:00Z'));
    expect(first.entries.map((e) => e.id)).toEqual(['id:console:0']);
    expect(plan(first.alert, new Date('2026-11-26T10:20:00Z')).entries).toEqual([]);
  });

  it('repeats an alert that keeps firing after the interval, with updated counts', () => {
    const alert = mergeIntoAlert('id', undefined, [finding()]);
    const first = plan(alert, new Date('2026-11-26T10:05:00Z'));
    const grown = mergeIntoAlert('id', first.alert, [finding({ eventIds: ['e2'] })]);
    expect(plan(grown, new Date('2026-11-26T12:00:00Z')).entries).toEqual([]);
    const repeat = plan(grown, new Date('2026-11-27T10:05:00Z'));
    expect(repeat.entries.map((e) => e.id)).toEqual(['id:console:2']);
    expect(renderRounds(repeat.alert, [decodeRound(repeat.entries[0]!.payload)!])).toMatchObject({ count: 2, notification: 2, rule: { id: rule.id } });
  });

  it('queues nothing for a suppressed alert', () => {
    const alert = { ...mergeIntoAlert('id', undefined, [finding()]), suppressed: { reason: 'r', owner: 'o', expires: new Date('2027-01-01T00:00:00Z') } };
    expect(plan(alert, new Date('2026-11-26T10:05:00Z')).entries).toEqual([]);
  });
});

describe('suppressions', () => {
  const s = {
    rule: 'signin-cert-outside-allowlist',
    network: 'AS64512',
    reason: 'vendor DR site',
    owner: 'secops',
    expires: new Date('2026-12-31T23:59:59.999Z'),
  };
  it('applies while valid and reports itself expired afterwards', () => {
    expect(findSuppression(finding(), [s], new Date('2026-11-26T00:00:00Z'))).toEqual({ active: s, expired: undefined });
    expect(findSuppression(finding(), [s], new Date('2027-01-01T00:00:00Z'))).toEqual({ active: undefined, expired: s });
    expect(findSuppression(finding({ network: 'AS1' }), [s], new Date('2026-11-26T00:00:00Z'))).toEqual({ active: undefined, expired: undefined });
  });
});

describe('audit and inventory-diff variants', () => {
  it('fold into one alert for the same app and credential', () => {
    const audit = finding({ ruleId: 'credential-added', network: undefined, credentialKeyId: 'k9' });
    const diff = finding({ ruleId: 'credential-added-diff', network: undefined, credentialKeyId: 'k9', occurredAt: new Date('2026-11-26T11:00:00Z') });
    expect(alertIdFor(audit, DAY)).toBe(alertIdFor(diff, DAY));
  });
});
