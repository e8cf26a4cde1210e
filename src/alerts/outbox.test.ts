import { describe, expect, it } from 'vitest';
import type { ChannelConfig } from '../config/types.js';
import type { Finding } from '../events.js';
import type { StoredAlert } from '../state/types.js';
import { mergeIntoAlert } from './group.js';
import { planNotifications } from './outbox.js';
import { renderRounds } from './render.js';
import { decodeRound } from './round.js';

const DAY = 86_400_000;
const t = (minutes: number) => new Date(Date.parse('2026-11-26T10:00:00Z') + minutes * 60_000);
let events = 0;
/** A foreign sign-in of the vendor's certificate: failed ones are high, a success is critical. */
const signIn = (minutes: number, success: boolean, over: Partial<Finding> = {}): Finding => ({
  ruleId: 'signin-cert-outside-allowlist',
  severity: success ? 'critical' : 'high',
  tenant: 'contoso',
  appId: 'app',
  appDisplayName: 'Vendor',
  credentialKeyId: 'k',
  network: 'AS64512',
  occurredAt: t(minutes),
  eventIds: [`e${(events += 1)}`],
  summary: 's',
  ip: '203.0.113.1',
  country: 'NL',
  asn: 64512,
  resource: 'Office 365 Exchange Online',
  success,
  allowlist: [],
  details: {},
  ...over,
});
const channels: ChannelConfig[] = [
  { type: 'stdout', name: 'soc', minSeverity: 'high', digestThreshold: 10 },
  { type: 'jsonl', name: 'pager', minSeverity: 'critical', path: '/tmp/pager.jsonl', digestThreshold: 10 },
];
const rule = { id: 'signin-cert-outside-allowlist', title: 't', description: 'Detects', mitre: [], runbook: [], falsePositives: [] };
const plan = (alert: StoredAlert, now: Date, renotifyAfterInMs = DAY) => planNotifications(alert, channels, { now, renotifyAfterInMs, rule: () => rule });
const ids = (planned: ReturnType<typeof plan>) => planned.entries.map((e) => e.id);
/** The message the first planned entry becomes when delivered with the alert as planned. */
const delivered = (planned: ReturnType<typeof plan>) => renderRounds(planned.alert, [decodeRound(planned.entries[0]!.payload)!]);

/** Failed attempts, notified: the alert as the store holds it after the first scan. */
function notifiedAtHigh(renotifyAfterInMs = DAY): StoredAlert {
  const first = plan(mergeIntoAlert('id', undefined, [signIn(0, false), signIn(1, false)]), t(5), renotifyAfterInMs);
  expect(ids(first)).toEqual(['id:soc:0']);
  return first.alert;
}

describe('escalation', () => {
  it('notifies at once when a success escalates the alert to critical, to every channel that takes critical', () => {
    const escalated = mergeIntoAlert('id', notifiedAtHigh(), [signIn(20, true)]);
    const planned = plan(escalated, t(25));
    expect(ids(planned)).toEqual(['id:soc:3:critical', 'id:pager:3:critical']);
    expect(delivered(planned)).toMatchObject({ alertId: 'id', severity: 'critical', escalatedFrom: 'high', notification: 3, count: 3, successCount: 1 });
    expect(planned.entries.every((e) => e.payload === planned.entries[0]!.payload)).toBe(true);
    expect(planned.alert).toMatchObject({ notifiedAt: t(25), notifiedCount: 3, notifiedSeverity: 'critical' });
  });

  it('notifies an escalation even when repeats are disabled', () => {
    const escalated = mergeIntoAlert('id', notifiedAtHigh(0), [signIn(20, true)]);
    expect(ids(plan(escalated, t(25), 0))).toEqual(['id:soc:3:critical', 'id:pager:3:critical']);
  });

  it('plans the same entries when planned again after a crash, and nothing once the round is stored', () => {
    const escalated = mergeIntoAlert('id', notifiedAtHigh(), [signIn(20, true)]);
    const once = plan(escalated, t(25));
    expect(plan(escalated, t(40))).toMatchObject({ entries: once.entries.map((e) => ({ id: e.id, payload: e.payload })) });
    expect(plan(once.alert, t(40)).entries).toEqual([]);
    // More successes keep it critical: back to the repeat interval, not one round per scan.
    expect(plan(mergeIntoAlert('id', once.alert, [signIn(30, true)]), t(45)).entries).toEqual([]);
  });

  it('gives an escalation an id no other round of the alert can have, even at the same count', () => {
    // Not reachable through mergeIntoAlert (an escalation always adds an event), but a hand-edited
    // or restored store must still not make the escalation collide with the round at that count.
    const atSameCount = { ...notifiedAtHigh(), severity: 'critical' as const };
    expect(ids(plan(atSameCount, t(25)))).toEqual(['id:soc:2:critical', 'id:pager:2:critical']);
  });

  it('notifies each step of a climb once: medium, then high, then critical', () => {
    const mediumChannels: ChannelConfig[] = [{ type: 'stdout', name: 'all', minSeverity: 'medium', digestThreshold: 10 }];
    const step = (alert: StoredAlert, now: Date) => planNotifications(alert, mediumChannels, { now, renotifyAfterInMs: DAY, rule: () => rule });
    const medium = step(mergeIntoAlert('id', undefined, [signIn(0, false, { severity: 'medium' })]), t(5));
    const high = step(mergeIntoAlert('id', medium.alert, [signIn(10, false)]), t(15));
    const critical = step(mergeIntoAlert('id', high.alert, [signIn(20, true)]), t(25));
    expect([medium, high, critical].map((p) => p.entries.map((e) => [e.id, renderRounds(p.alert, [decodeRound(e.payload)!]).escalatedFrom]))).toEqual([
      [['id:all:0', undefined]],
      [['id:all:2:high', 'medium']],
      [['id:all:3:critical', 'high']],
    ]);
  });

  it('sends nothing for a suppressed alert that escalates, and the escalation once the suppression is gone', () => {
    const suppressed = { ...mergeIntoAlert('id', notifiedAtHigh(), [signIn(20, true)]), suppressed: { reason: 'r', owner: 'o', expires: t(60) } };
    const quiet = plan(suppressed, t(25));
    expect(quiet.entries).toEqual([]);
    const lifted = mergeIntoAlert('id', { ...quiet.alert, suppressed: undefined }, [signIn(70, true)]);
    expect(ids(plan(lifted, t(75)))).toEqual(['id:soc:4:critical', 'id:pager:4:critical']);
  });

  it('leaves the escalation field out of every other round, so the payload reads as before', () => {
    const first = delivered(plan(mergeIntoAlert('id', undefined, [signIn(0, false)]), t(5)));
    expect(first).not.toHaveProperty('escalatedFrom');
    const repeat = plan(mergeIntoAlert('id', notifiedAtHigh(), [signIn(60, false)]), t(5 + 24 * 60));
    expect(ids(repeat)).toEqual(['id:soc:3']);
    expect(delivered(repeat)).not.toHaveProperty('escalatedFrom');
  });
});

describe('alerts stored before the notified severity was kept', () => {
  const legacy = (): StoredAlert => ({ ...notifiedAtHigh(), notifiedSeverity: undefined });

  it('counts as notified at its stored severity: upgrading re-sends nothing', () => {
    expect(plan(legacy(), t(25)).entries).toEqual([]);
    expect(plan({ ...legacy(), severity: 'critical', notifiedSeverity: undefined }, t(25)).entries).toEqual([]);
  });

  it('still escalates when a later finding raises it above the severity it was stored with', () => {
    const escalated = mergeIntoAlert('id', legacy(), [signIn(20, true)]);
    expect(escalated.notifiedSeverity).toBe('high');
    const planned = plan(escalated, t(25));
    expect(ids(planned)).toEqual(['id:soc:3:critical', 'id:pager:3:critical']);
    expect(delivered(planned)).toMatchObject({ escalatedFrom: 'high' });
  });
});
