import { describe, expect, it } from 'vitest';
import type { Finding } from '../events.js';
import type { StoredAlert } from '../state/types.js';
import { mergeIntoAlert } from './group.js';
import { toPayload, type RuleSummary } from './payload.js';
import { renderRounds } from './render.js';
import { decodeRound, encodeRound, type QueuedRound } from './round.js';

const t = (minutes: number) => new Date(Date.parse('2026-11-26T10:00:00Z') + minutes * 60_000);
const rule: RuleSummary = {
  id: 'signin-cert-outside-allowlist',
  title: 'Vendor certificate used outside its allowed networks',
  description: 'Detects',
  mitre: ['T1550.001'],
  runbook: ['Call the vendor'],
  falsePositives: [],
};
let events = 0;
const signIn = (minutes: number, ip: string, success = false): Finding => ({
  ruleId: rule.id,
  severity: success ? 'critical' : 'high',
  tenant: 'contoso',
  appId: 'app',
  appDisplayName: 'Vendor',
  credentialKeyId: 'k',
  network: 'AS64999',
  occurredAt: t(minutes),
  eventIds: [`r${(events += 1)}`],
  summary: 's',
  ip,
  country: 'NL',
  asn: 64999,
  resource: 'Office 365 Exchange Online',
  success,
  allowlist: [],
  details: {},
});
/** Five sign-ins from two IPs, one of them successful: what the attack amounts to by delivery time. */
const wholeAttack = (): StoredAlert =>
  mergeIntoAlert('id', undefined, [
    signIn(0, '203.0.113.1'),
    signIn(1, '203.0.113.1'),
    signIn(2, '203.0.113.2'),
    signIn(3, '203.0.113.2'),
    signIn(4, '203.0.113.2', true),
  ]);
const round = (over: Partial<QueuedRound>): QueuedRound => decodeRound(encodeRound({ kind: 'first', notification: 0, rule, ...over }))!;
const told = { ips: ['203.0.113.1'], asns: [64999], resources: ['Office 365 Exchange Online'], success: false };

describe('a queued round rendered at delivery', () => {
  it('shows the alert as it stands: every IP and count, with the round number it was queued with', () => {
    expect(renderRounds(wholeAttack(), [round({})])).toMatchObject({
      alertId: 'id',
      notification: 0,
      count: 5,
      successCount: 1,
      failureCount: 4,
      severity: 'critical',
      ips: ['203.0.113.1', '203.0.113.2'],
      rule: { title: rule.title },
    });
  });

  it("keeps an update's number and names what was not told before it", () => {
    const payload = renderRounds(wholeAttack(), [round({ kind: 'update', notification: 3, before: told })]);
    expect(payload).toMatchObject({ notification: 3, count: 5, update: { ips: ['203.0.113.2'], asns: [], resources: [], firstSuccess: true } });
  });
});

describe('the rounds of one alert pending for one channel', () => {
  it("become one message with the newest round's number, so a receiver that stored an older one still takes it", () => {
    const payload = renderRounds(wholeAttack(), [round({}), round({ kind: 'escalation', notification: 4, escalatedFrom: 'high', before: told })]);
    expect(payload).toMatchObject({ notification: 4, severity: 'critical', escalatedFrom: 'high', count: 5 });
    expect(payload).not.toHaveProperty('update');
  });

  it('count everything as new when the first round never went out', () => {
    const payload = renderRounds(wholeAttack(), [round({}), round({ kind: 'update', notification: 3, before: told })]);
    expect(payload.update).toEqual({ ips: ['203.0.113.1', '203.0.113.2'], asns: [64999], resources: ['Office 365 Exchange Online'], firstSuccess: true });
  });

  it('keep the escalation when an update was queued after it', () => {
    const rounds = [
      round({ kind: 'escalation', notification: 2, escalatedFrom: 'high', before: told }),
      round({ kind: 'update', notification: 5, before: { ...told, success: true } }),
    ];
    expect(renderRounds(wholeAttack(), rounds)).toMatchObject({ notification: 5, escalatedFrom: 'high', update: { ips: ['203.0.113.2'], firstSuccess: true } });
  });
});

describe('an entry queued by a credwatch that froze the payload', () => {
  const frozen = (over: object = {}) => JSON.stringify({ ...toPayload(mergeIntoAlert('id', undefined, [signIn(0, '203.0.113.1')]), rule, 0), ...over });

  it('is read as the round it was: first, repeat or escalation, with its rule and the payload kept', () => {
    expect(decodeRound(frozen())).toMatchObject({ kind: 'first', notification: 0, rule: { id: rule.id }, frozen: { count: 1 } });
    expect(decodeRound(frozen({ notification: 7 }))).toMatchObject({ kind: 'repeat', notification: 7 });
    expect(decodeRound(frozen({ notification: 7, severity: 'critical', escalatedFrom: 'high' }))).toMatchObject({ kind: 'escalation', escalatedFrom: 'high' });
  });

  it('renders from the stored alert with its old round number', () => {
    expect(renderRounds(wholeAttack(), [decodeRound(frozen())!])).toMatchObject({ notification: 0, count: 5, ips: ['203.0.113.1', '203.0.113.2'] });
  });
});

describe('an entry payload', () => {
  it('that is not a round or an alert is unreadable', () => {
    for (const payload of ['not json', 'null', '[]', '{"schema":"credwatch.round/v1","kind":"later","notification":0,"rule":{}}', '{"schema":"other"}']) {
      expect(decodeRound(payload)).toBeUndefined();
    }
  });
});
