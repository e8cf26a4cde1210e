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
/** A failed foreign sign-in of the vendor's certificate (high); `over` changes where it came from. */
const signIn = (minutes: number, over: Partial<Finding> = {}): Finding => ({
  ruleId: 'signin-cert-outside-allowlist',
  severity: 'high',
  tenant: 'contoso',
  appId: 'app',
  appDisplayName: 'Vendor',
  credentialKeyId: 'k',
  network: 'AS64512',
  occurredAt: t(minutes),
  eventIds: [`u${(events += 1)}`],
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
  { type: 'stdout', name: 'soc', minSeverity: 'high', digestThreshold: 10 },
  { type: 'jsonl', name: 'pager', minSeverity: 'critical', path: '/tmp/pager.jsonl', digestThreshold: 10 },
];
const rule = { id: 'signin-cert-outside-allowlist', title: 't', description: 'Detects', mitre: [], runbook: [], falsePositives: [] };
const plan = (alert: StoredAlert, now: Date, renotifyAfterInMs = DAY) => planNotifications(alert, channels, { now, renotifyAfterInMs, rule: () => rule });
const ids = (planned: ReturnType<typeof plan>) => planned.entries.map((e) => e.id);
const delivered = (planned: ReturnType<typeof plan>) => renderRounds(planned.alert, [decodeRound(planned.entries[0]!.payload)!]);

/** The alert as stored after a scan at t(5) queued its first notification. */
function notified(): StoredAlert {
  const first = plan(mergeIntoAlert('id', undefined, [signIn(0)]), t(5));
  expect(ids(first)).toEqual(['id:soc:0']);
  return first.alert;
}

describe('updates after a notification', () => {
  it('sends one update at the next scan when the alert gains a new IP, saying what is new', () => {
    const grown = mergeIntoAlert('id', notified(), [signIn(10, { ip: '203.0.113.9' }), signIn(11)]);
    const update = plan(grown, t(20));
    expect(ids(update)).toEqual(['id:soc:3:update']);
    expect(delivered(update)).toMatchObject({
      notification: 3,
      count: 3,
      ips: ['203.0.113.1', '203.0.113.9'],
      update: { ips: ['203.0.113.9'], asns: [], resources: [], firstSuccess: false },
    });
    expect(delivered(update)).not.toHaveProperty('escalatedFrom');
  });

  it('sends nothing for more sign-ins from what was already told, until the repeat interval', () => {
    const more = mergeIntoAlert('id', notified(), [signIn(10), signIn(11)]);
    expect(plan(more, t(20)).entries).toEqual([]);
    const repeat = plan(more, t(5 + 24 * 60));
    expect(ids(repeat)).toEqual(['id:soc:3']);
    expect(delivered(repeat)).not.toHaveProperty('update');
  });

  it.each<[string, Partial<Finding>, object]>([
    ['a new network', { asn: 64999, ip: '203.0.113.1' }, { asns: [64999] }],
    ['a new resource', { resource: 'Microsoft Graph' }, { resources: ['Microsoft Graph'] }],
    ['the first success that leaves the severity as it was', { success: true }, { firstSuccess: true }],
  ])('sends an update for %s', (_what, over, expected) => {
    const planned = plan(mergeIntoAlert('id', notified(), [signIn(10, over)]), t(20));
    expect(ids(planned)).toEqual(['id:soc:2:update']);
    expect(delivered(planned).update).toMatchObject(expected);
  });

  it('sends updates even when repeats are disabled, and the same entries when planned again after a crash', () => {
    const grown = mergeIntoAlert('id', notified(), [signIn(10, { ip: '203.0.113.9' })]);
    const once = plan(grown, t(20), 0);
    expect(ids(once)).toEqual(['id:soc:2:update']);
    expect(plan(grown, t(20), 0).entries).toEqual(once.entries);
    expect(plan(once.alert, t(40), 0).entries).toEqual([]);
  });

  it('lets an escalation speak for the news it brings instead of sending an update too', () => {
    const planned = plan(mergeIntoAlert('id', notified(), [signIn(10, { ip: '203.0.113.9', success: true, severity: 'critical' })]), t(20));
    expect(ids(planned)).toEqual(['id:soc:2:critical', 'id:pager:2:critical']);
    expect(plan(planned.alert, t(40)).entries).toEqual([]);
  });
});

describe('a blast radius settled after delivery', () => {
  const radius = (alert: StoredAlert, status: 'pending' | 'unknown'): StoredAlert => ({
    ...alert,
    blastRadius:
      status === 'pending'
        ? { ips: alert.ips, from: t(-15), to: t(90), intentId: 'q1', at: t(100), status }
        : { ips: alert.ips, from: t(-15), to: t(90), intentId: 'q1', at: t(100), status, code: 'BLAST_RADIUS_TIMED_OUT', reason: 'still running' },
  });

  it('is sent once as an update to every channel that got the alert, under a number no earlier round had', () => {
    // The alert grew and was updated at count 2; no sign-in since, then its blast radius settles.
    const grown = plan(mergeIntoAlert('id', notified(), [signIn(10, { ip: '203.0.113.9' })]), t(20));
    expect(ids(grown)).toEqual(['id:soc:2:update']);
    expect(plan(radius(grown.alert, 'pending'), t(40)).entries).toEqual([]);
    const settled = plan(radius(grown.alert, 'unknown'), t(60));
    expect(ids(settled)).toEqual(['id:soc:3:update']);
    expect(delivered(settled)).toMatchObject({
      notification: 3,
      count: 2,
      update: { ips: [], asns: [], resources: [], firstSuccess: false, blastRadius: 'unknown' },
      blastRadius: { status: 'unknown', code: 'BLAST_RADIUS_TIMED_OUT' },
    });
    expect(plan(settled.alert, t(80)).entries).toEqual([]);
    // The next round after it still takes a higher number, with the count.
    expect(ids(plan(mergeIntoAlert('id', settled.alert, [signIn(70, { ip: '203.0.113.10' }), signIn(71)]), t(90)))).toEqual(['id:soc:4:update']);
  });

  it('sends no update for a blast radius unknown for a standing reason (no permission, national cloud, daily cap)', () => {
    for (const code of ['BLAST_RADIUS_NO_PERMISSION', 'BLAST_RADIUS_UNAVAILABLE', 'BLAST_RADIUS_DAILY_CAP']) {
      const standing: StoredAlert = {
        ...notified(),
        blastRadius: { ips: [], from: t(-15), to: t(90), intentId: undefined, at: t(100), status: 'unknown', code, reason: 'standing' },
      };
      expect(plan(standing, t(40)).entries).toEqual([]);
    }
  });

  it('goes out in the pending first message when it settles in the scan that queued it', () => {
    const first = plan(mergeIntoAlert('id', undefined, [signIn(0)]), t(5));
    const same = plan(radius(first.alert, 'unknown'), t(5));
    expect(same.entries).toEqual([]);
    expect(renderRounds(same.alert, [decodeRound(first.entries[0]!.payload)!])).toMatchObject({ notification: 0, blastRadius: { status: 'unknown' } });
    expect(plan(same.alert, t(20)).entries).toEqual([]);
  });
});

describe('one message per alert per scan', () => {
  it('queues nothing more when later pages of the same scan add IPs, and the next scan counts them as told', () => {
    const page1 = plan(mergeIntoAlert('id', undefined, [signIn(0)]), t(5));
    const page2 = plan(mergeIntoAlert('id', page1.alert, [signIn(1, { ip: '203.0.113.2' })]), t(5));
    const page3 = plan(mergeIntoAlert('id', page2.alert, [signIn(2, { ip: '203.0.113.3', asn: 64999 })]), t(5));
    expect([ids(page1), ids(page2), ids(page3)]).toEqual([['id:soc:0'], [], []]);
    // The pending round renders the alert as the last page left it.
    expect(renderRounds(page3.alert, [decodeRound(page1.entries[0]!.payload)!])).toMatchObject({
      notification: 0,
      count: 3,
      ips: ['203.0.113.1', '203.0.113.2', '203.0.113.3'],
    });
    expect(page3.alert).toMatchObject({ notifiedCount: 3, notifiedFacts: { ips: ['203.0.113.1', '203.0.113.2', '203.0.113.3'], asns: [64512, 64999] } });
    expect(plan(mergeIntoAlert('id', page3.alert, [signIn(30)]), t(20)).entries).toEqual([]);
  });

  it('queues a second update in the same scan never, but the next scan sends the next one', () => {
    const update = plan(mergeIntoAlert('id', notified(), [signIn(10, { ip: '203.0.113.9' })]), t(20));
    const samePage2 = plan(mergeIntoAlert('id', update.alert, [signIn(11, { ip: '203.0.113.10' })]), t(20));
    expect(samePage2.entries).toEqual([]);
    expect(ids(plan(mergeIntoAlert('id', samePage2.alert, [signIn(12, { ip: '203.0.113.11' })]), t(35)))).toEqual(['id:soc:4:update']);
  });

  it('sends an escalation within the scan only to channels without a round pending from it', () => {
    const page1 = plan(mergeIntoAlert('id', undefined, [signIn(0)]), t(5));
    const page2 = plan(mergeIntoAlert('id', page1.alert, [signIn(1, { success: true, severity: 'critical' })]), t(5));
    expect(ids(page2)).toEqual(['id:pager:2:critical']);
    // The SOC's first message, still pending, goes out critical.
    expect(renderRounds(page2.alert, [decodeRound(page1.entries[0]!.payload)!])).toMatchObject({ severity: 'critical', notification: 0, successCount: 1 });
    expect(renderRounds(page2.alert, [decodeRound(page2.entries[0]!.payload)!])).toMatchObject({ severity: 'critical', escalatedFrom: 'high' });
  });
});

describe('alerts stored before the notified facts were kept', () => {
  const legacy = (): StoredAlert => {
    const { notifiedFacts: _dropped, ...rest } = mergeIntoAlert('id', notified(), [signIn(3, { ip: '203.0.113.5' })]);
    return { ...rest, notifiedCount: 2 };
  };

  it('count everything they held as told: upgrading sends no update', () => {
    expect(plan(legacy(), t(20)).entries).toEqual([]);
    expect(plan(mergeIntoAlert('id', legacy(), [signIn(10)]), t(20)).entries).toEqual([]);
  });

  it('send an update naming only what arrives after the upgrade', () => {
    const planned = plan(mergeIntoAlert('id', legacy(), [signIn(10, { ip: '203.0.113.9' })]), t(20));
    expect(ids(planned)).toEqual(['id:soc:3:update']);
    expect(delivered(planned).update).toEqual({ ips: ['203.0.113.9'], asns: [], resources: [], firstSuccess: false });
  });
});
