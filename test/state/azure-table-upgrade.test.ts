/**
 * Azure Table state written by the credwatch that froze each notification's payload and kept no
 * notified facts on its alerts: the entries still deliver, and nothing is re-sent as an update
 * (docs/state.md, "Upgrading").
 */
import { describe, expect, it } from 'vitest';
import type { Channel } from '../../src/alerts/channels/types.js';
import { deliverDue } from '../../src/alerts/deliver.js';
import { mergeIntoAlert } from '../../src/alerts/group.js';
import { planNotifications } from '../../src/alerts/outbox.js';
import { toPayload, type AlertPayload } from '../../src/alerts/payload.js';
import type { Finding } from '../../src/events.js';
import { ALERT_ROW, dataColumns, rowOf } from '../../src/state/azure-table-rows.js';
import { keyPart } from '../../src/state/azure-table-keys.js';
import type { AlertRow } from '../../src/state/codec-alerts.js';
import { captureLogger } from '../helpers/tenant.js';
import { freshPrefix, openTableStore, rawTable, useAzurite } from './azure-table-fixture.js';
import { alert, at, outboxEntry, windowCommit } from './records.js';

const azurite = useAzurite();
const rule = {
  id: 'CW-SIGNIN-001',
  title: 'Vendor certificate used outside its allowed networks',
  description: 'Detects',
  mitre: [],
  runbook: [],
  falsePositives: [],
};

/** Rewrites a stored alert's body as the old version wrote it: no `notifiedFacts` key at all. */
async function dropNotifiedFacts(prefix: string, alertId: string): Promise<void> {
  const table = rawTable(azurite(), prefix, 'Alerts');
  const entity = await table.getEntity(keyPart(alertId), ALERT_ROW);
  const row = rowOf<AlertRow>(entity, 'alert');
  const { notifiedFacts: _gone, ...body } = JSON.parse(row.body) as Record<string, unknown>;
  await table.updateEntity({ partitionKey: keyPart(alertId), rowKey: ALERT_ROW, ...dataColumns({ ...row, body: JSON.stringify(body) }, 'alert') }, 'Merge');
}

function recordingChannel(): Channel & { sent: AlertPayload[] } {
  const sent: AlertPayload[] = [];
  return { name: 'teams', type: 'test', minSeverity: 'informational', sent, send: async (a) => void sent.push(a) };
}

const signIn = (ip: string): Finding => ({
  ruleId: rule.id,
  severity: 'medium',
  tenant: 'contoso',
  appId: '11111111-1111-1111-1111-111111111111',
  appDisplayName: 'Vendor Backup',
  credentialKeyId: undefined,
  network: 'AS64500',
  occurredAt: at(40),
  eventIds: [`up-${ip}`],
  summary: 's',
  ip,
  country: 'NL',
  asn: 64500,
  resource: 'Microsoft Graph',
  success: true,
  allowlist: [],
  details: {},
});

describe('azure table state from before rounds and notified facts', () => {
  it('delivers a frozen entry from the alert as stored, under its old round, and reads the alert as told everything it holds', async () => {
    const prefix = freshPrefix();
    const store = await openTableStore(azurite(), prefix);
    const old = alert('alert-1', { suppressed: undefined, notifiedSeverity: 'high' });
    // The old version froze the payload while the alert had one of its two IPs.
    const frozen = toPayload({ ...old, ips: ['203.0.113.7'], count: 1 }, rule, 0);
    await store.commitWindow(windowCommit({ alerts: [old], outbox: [outboxEntry('alert-1:teams:0', { payload: JSON.stringify(frozen) })] }));
    await dropNotifiedFacts(prefix, 'alert-1');

    const [read] = await store.getAlerts(['alert-1']);
    expect(read).not.toHaveProperty('notifiedFacts');
    const channel = recordingChannel();
    const summary = await deliverDue({ store, channels: new Map([[channel.name, channel]]), now: () => at(60), logger: captureLogger('silent').logger });
    expect(summary).toMatchObject({ sent: 1, failed: 0 });
    expect(channel.sent).toEqual([
      expect.objectContaining({
        alertId: 'alert-1',
        notification: 0,
        count: 3,
        ips: ['203.0.113.7', '2001:db8::1'],
        rule: expect.objectContaining({ title: rule.title }),
      }),
    ]);

    const channels = [{ type: 'stdout' as const, name: 'teams', minSeverity: 'informational' as const, digestThreshold: 10 }];
    const plan = (ip: string) =>
      planNotifications(mergeIntoAlert('alert-1', read!, [signIn(ip)]), channels, { now: at(90), renotifyAfterInMs: 86_400_000, rule: () => rule });
    expect(plan('2001:db8::1').entries).toEqual([]);
    expect(plan('203.0.113.99').entries.map((e) => e.id)).toEqual(['alert-1:teams:4:update']);
    await store.close();
  });
});
