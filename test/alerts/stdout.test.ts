import { describe, expect, it } from 'vitest';
import { createStdoutChannel } from '../../src/alerts/channels/stdout.js';
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

/** What the stdout channel writes for `a`. */
async function printed(a: AlertPayload): Promise<string> {
  let out = '';
  await createStdoutChannel({ name: 'out', minSeverity: 'low', write: (t) => (out += t) }).send(a);
  return out;
}

// The same heading, status line and summary as the Teams card and the email (src/present/alert-view.ts).
describe('the stdout channel', () => {
  it('heads an update with what is new, control characters made visible', async () => {
    const text = await printed(alert({ notification: 4, update: { ips: ['203.0.113.9\u001b[31m'], asns: [], resources: [], firstSuccess: true } }));
    expect(text.split('\n').slice(0, 2)).toEqual([
      'Update: HIGH · Vendor certificate used outside its allowed networks',
      'credwatch · Something new: 4 events in total · tenant contoso',
    ]);
    expect(text).toMatch(/New since last notification: +first successful sign-in; new IP address 203\.0\.113\.9\ufffd\[31m\n/);
  });

  it('says a repeat is still happening and a new alert nothing more', async () => {
    expect((await printed(alert({ notification: 4 }))).split('\n')[1]).toBe('credwatch · Still happening: 4 events in total · tenant contoso');
    expect((await printed(alert())).split('\n').slice(0, 3)).toEqual([
      'HIGH · Vendor certificate used outside its allowed networks',
      'credwatch · New alert · tenant contoso',
      's',
    ]);
  });

  it('shows times as every output does, to the minute in UTC', async () => {
    const text = await printed(alert());
    expect(text).toMatch(/First seen: +2026-11-26 10:00 UTC\n/);
    expect(text).toMatch(/Last seen: +2026-11-26 10:29 UTC\n/);
  });
});
