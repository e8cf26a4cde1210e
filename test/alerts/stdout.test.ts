import { describe, expect, it } from 'vitest';
import { formatAlertText } from '../../src/alerts/channels/stdout.js';
import { ALERT_SCHEMA, entraAppUrl, type AlertPayload } from '../../src/alerts/payload.js';

const APP_ID = 'bbbbbbbb-0000-4000-8000-0000000000a1';
const alert = (over: Partial<AlertPayload> = {}): AlertPayload => ({
  schema: ALERT_SCHEMA,
  alertId: 'a1',
  tenant: 'contoso',
  severity: 'high',
  rule: {
    id: 'signin-cert-outside-allowlist',
    title: 'Vendor certificate used outside its allowed networks',
    description: 'Detects',
    mitre: [],
    runbook: [],
    falsePositives: [],
  },
  app: { appId: APP_ID, displayName: 'Mimecast Services', entraUrl: entraAppUrl(APP_ID) },
  credentialKeyId: null,
  network: 'AS64999',
  summary: 's',
  firstSeen: '2026-11-26T10:00:00.000Z',
  lastSeen: '2026-11-26T10:29:00.000Z',
  count: 4,
  successCount: 0,
  failureCount: 4,
  ips: ['203.0.113.1', '203.0.113.9'],
  countries: ['NL'],
  asns: [64999],
  resources: ['Office 365 Exchange Online'],
  allowlist: [],
  notification: 0,
  ...over,
});

describe('the stdout channel', () => {
  it('heads an update with what is new, control characters made visible', () => {
    const text = formatAlertText(alert({ notification: 4, update: { ips: ['203.0.113.9\u001b[31m'], asns: [], resources: [], firstSuccess: true } }));
    expect(text.split('\n')[0]).toBe(
      '[HIGH] Vendor certificate used outside its allowed networks — update: first successful sign-in; new IP address 203.0.113.9\ufffd[31m',
    );
  });

  it('says a repeat is still happening and a new alert nothing more', () => {
    expect(formatAlertText(alert({ notification: 4 })).split('\n')[0]).toBe('[HIGH] Vendor certificate used outside its allowed networks — still happening');
    expect(formatAlertText(alert()).split('\n')[0]).toBe('[HIGH] Vendor certificate used outside its allowed networks');
  });
});
