import { describe, expect, it } from 'vitest';
import type { Channel } from '../../src/alerts/channels/types.js';
import { deliverDue } from '../../src/alerts/deliver.js';
import { mergeIntoAlert } from '../../src/alerts/group.js';
import { planNotifications } from '../../src/alerts/outbox.js';
import type { AlertPayload } from '../../src/alerts/payload.js';
import type { ChannelConfig } from '../../src/config/types.js';
import type { Finding } from '../../src/events.js';
import { MemoryStateStore } from '../../src/state/index.js';
import type { OutboxEntry, StoredAlert } from '../../src/state/types.js';
import { captureLogger } from '../helpers/tenant.js';

const t = (minutes: number) => new Date(Date.parse('2026-11-26T12:00:00Z') + minutes * 60_000);
const rule = {
  id: 'signin-cert-outside-allowlist',
  title: 'Vendor certificate used outside its allowed networks',
  description: 'Detects',
  mitre: [],
  runbook: [],
  falsePositives: [],
};
const configs: ChannelConfig[] = [{ type: 'stdout', name: 'ch', minSeverity: 'informational', digestThreshold: 3 }];
let events = 0;
const signIn = (alertApp: string, minutes: number, ip: string): Finding => ({
  ruleId: rule.id,
  severity: 'high',
  tenant: 'contoso',
  appId: alertApp,
  appDisplayName: alertApp,
  credentialKeyId: 'k',
  network: 'AS64999',
  occurredAt: t(minutes),
  eventIds: [`d${(events += 1)}`],
  summary: 's',
  ip,
  country: 'NL',
  asn: 64999,
  resource: 'Office 365 Exchange Online',
  success: false,
  allowlist: [],
  details: {},
});

/** A channel that keeps every payload it accepted, one array per message. */
function recordingChannel(): Channel & { sent: AlertPayload[][] } {
  const sent: AlertPayload[][] = [];
  return {
    name: 'ch',
    type: 'test',
    minSeverity: 'informational',
    digestThreshold: 3,
    sent,
    send: async (a) => void sent.push([a]),
    sendDigest: async (alerts) => void sent.push([...alerts]),
  };
}

const store = () => new MemoryStateStore({ now: () => t(0) });
async function commit(s: MemoryStateStore, alerts: StoredAlert[], outbox: OutboxEntry[] = []): Promise<void> {
  await s.commitWindow({
    tenant: 'contoso',
    stream: 'signIns',
    watermark: undefined,
    seenIds: [],
    seenExpiresAt: t(60),
    findings: [],
    alerts,
    outbox,
    aggregates: [],
    learnedNetworks: [],
    snapshot: undefined,
  });
}
const plan = (alert: StoredAlert, now: Date) => planNotifications(alert, configs, { now, renotifyAfterInMs: 86_400_000, rule: () => rule });
const deliver = (s: MemoryStateStore, channel: Channel, now = t(30)) =>
  deliverDue({ store: s, channels: new Map([[channel.name, channel]]), now: () => now, logger: captureLogger('silent').logger });

describe('delivery renders each message from the alert as stored when it is sent', () => {
  it("sends everything the alert gained after its round was queued, under the round's number", async () => {
    const s = store();
    const first = plan(mergeIntoAlert('a1', undefined, [signIn('app', 0, '203.0.113.1')]), t(5));
    await commit(s, [first.alert], first.entries);
    await commit(s, [mergeIntoAlert('a1', first.alert, [signIn('app', 1, '203.0.113.2'), signIn('app', 2, '203.0.113.3')])]);
    const channel = recordingChannel();
    expect(await deliver(s, channel)).toMatchObject({ sent: 1, failed: 0 });
    expect(channel.sent).toEqual([[expect.objectContaining({ alertId: 'a1', notification: 0, count: 3, ips: ['203.0.113.1', '203.0.113.2', '203.0.113.3'] })]]);
  });

  it('sends the rounds of one alert still pending on a channel as one message and marks each of them sent', async () => {
    const s = store();
    const first = plan(mergeIntoAlert('a1', undefined, [signIn('app', 0, '203.0.113.1')]), t(5));
    const update = plan(mergeIntoAlert('a1', first.alert, [signIn('app', 10, '203.0.113.9')]), t(20));
    await commit(s, [update.alert], [...first.entries, ...update.entries]);
    const channel = recordingChannel();
    expect(await deliver(s, channel)).toMatchObject({ sent: 2 });
    expect(channel.sent).toHaveLength(1);
    expect(channel.sent[0]![0]).toMatchObject({ notification: 2, count: 2, update: { ips: ['203.0.113.1', '203.0.113.9'] } });
    expect((await s.listOutbox('contoso', 'sent')).map((e) => e.id)).toEqual(['a1:ch:0', 'a1:ch:2:update']);
    expect(await deliver(s, channel, t(300))).toMatchObject({ sent: 0 });
  });

  it('takes an older round still waiting out a retry along with a newer one that is due, so the receiver gets one message', async () => {
    const s = store();
    const first = plan(mergeIntoAlert('a1', undefined, [signIn('app', 0, '203.0.113.1')]), t(5));
    await commit(s, [first.alert], first.entries);
    // The receiver was down: the first round waits until t(90).
    await s.updateOutbox('a1:ch:0', { attempts: 3, nextAttemptAt: t(90), lastError: 'CHANNEL_UNAVAILABLE: ch answered 503' });
    const update = plan(mergeIntoAlert('a1', first.alert, [signIn('app', 10, '203.0.113.9')]), t(20));
    await commit(s, [update.alert], update.entries);
    const channel = recordingChannel();
    expect(await deliver(s, channel, t(30))).toMatchObject({ sent: 2 });
    expect(channel.sent).toEqual([[expect.objectContaining({ notification: 2, ips: ['203.0.113.1', '203.0.113.9'] })]]);
    expect(await deliver(s, channel, t(120))).toMatchObject({ sent: 0 });
    expect(channel.sent).toHaveLength(1);
  });

  it('renders a digest from its alerts as stored', async () => {
    const s = store();
    const planned = ['a1', 'a2', 'a3', 'a4'].map((id) => plan(mergeIntoAlert(id, undefined, [signIn(id, 0, '203.0.113.1')]), t(5)));
    await commit(
      s,
      planned.map((p) => p.alert),
      planned.flatMap((p) => p.entries),
    );
    await commit(s, [mergeIntoAlert('a3', planned[2]!.alert, [signIn('a3', 1, '203.0.113.7')])]);
    const channel = recordingChannel();
    await deliver(s, channel);
    expect(channel.sent).toHaveLength(1);
    expect(channel.sent[0]!.find((a) => a.alertId === 'a3')).toMatchObject({ count: 2, ips: ['203.0.113.1', '203.0.113.7'] });
  });

  it('marks a round whose alert is not in the store failed, with the reason', async () => {
    const s = store();
    const first = plan(mergeIntoAlert('gone', undefined, [signIn('app', 0, '203.0.113.1')]), t(5));
    await commit(s, [], first.entries);
    expect(await deliver(s, recordingChannel())).toMatchObject({ failed: 1 });
    expect(await s.listOutbox('contoso', 'failed')).toMatchObject([{ id: 'gone:ch:0', lastError: 'alert gone is not in the state store' }]);
  });
});
