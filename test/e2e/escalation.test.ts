import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertPayload } from '../../src/alerts/payload.js';
import { packageRoot } from '../../src/package-root.js';
import type { SignIn } from '../../src/simulator/scenario.js';
import { mimecastScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { MemoryStateStore } from '../../src/state/index.js';
import { startReceiver, type Received, type Receiver } from '../helpers/receiver.js';
import { scanOnce, VENDOR_APP_ID, VENDOR_TENANT_ID } from '../helpers/scan.js';
import { captureLogger, simulatorConfig } from '../helpers/tenant.js';
import { factOf, type Json } from '../alerts/card-reading.js';

const t0 = new Date('2026-11-26T12:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
let sim: RunningSimulator | undefined;
const receivers: Receiver[] = [];
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  for (const r of receivers.splice(0)) await r.close();
});

/** The vendor's certificate used from AS64999, a network no allowlist names: failed, or a success. */
function foreignSignIn(id: string, when: Date, ip: string, success: boolean): SignIn {
  const template = (mimecastScenario(t0).signIns as SignIn[]).find((s) => s.appId === VENDOR_APP_ID && s.ipAddress.startsWith('198.51.100.'))!;
  const status = success
    ? { errorCode: 0, failureReason: null, additionalDetails: null }
    : { errorCode: 700027, failureReason: 'Client assertion contains an invalid signature.', additionalDetails: null };
  return { ...template, id, createdDateTime: when.toISOString(), ipAddress: ip, autonomousSystemNumber: 64999, status };
}

/** The Adaptive Card a Teams post carries. */
const cardOf = (r: Received) => (JSON.parse(r.body) as { attachments: [{ content: Json }] }).attachments[0].content;

describe('an alert that escalates from high to critical', () => {
  it('reaches the critical channel at once when a success follows the failures, with the escalation shown, and only once', async () => {
    // Report throttling is not what this is about; with it each scan past the fifth report read waits ~10 s.
    sim = await startSimulator({ scenario: mimecastScenario(t0), now: () => t0, enforceThrottling: false });
    const soc = await startReceiver();
    const pager = await startReceiver();
    receivers.push(soc, pager);
    const config = await simulatorConfig(sim, 'certificate', {
      extra: {
        vendors: [
          {
            name: 'Mimecast',
            appIds: [VENDOR_APP_ID],
            ownerTenantIds: [VENDOR_TENANT_ID],
            allowedRanges: [{ type: 'file', path: join(packageRoot(), 'config', 'vendors', 'mimecast-2021.txt') }],
          },
        ],
        channels: [
          {
            type: 'webhook',
            name: 'soc',
            urlEnv: 'SOC_URL',
            secretEnv: 'SOC_SECRET',
            allowInsecureTestEndpoint: true,
            minSeverity: 'high',
            digestThreshold: 100,
          },
          { type: 'teams', name: 'pager', urlEnv: 'PAGER_URL', allowInsecureTestEndpoint: true, minSeverity: 'critical' },
        ],
      },
      env: { SOC_URL: soc.url, SOC_SECRET: 'test-signing-key-0123456789', PAGER_URL: pager.url },
    });
    const store = new MemoryStateStore({ now: () => t0 });
    const { logger } = captureLogger('silent');
    const scan = (when: Date) => scanOnce(sim!, config, store, logger, when);
    const socAlerts = () => soc.requests.map((r) => JSON.parse(r.body) as AlertPayload);
    const pagerAlertIds = () => pager.requests.map((r) => factOf(cardOf(r), 'Alert id'));

    // Failed attempts from the foreign network: high, so the SOC hears of it and the pager does not.
    sim.addSignIns([foreignSignIn('try-1', at(-40), '203.0.113.77', false), foreignSignIn('try-2', at(-35), '203.0.113.78', false)]);
    await scan(t0);
    const attempts = socAlerts().filter((a) => a.network === 'AS64999');
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ severity: 'high', failureCount: 2, successCount: 0, notification: 0 });
    expect(attempts[0]).not.toHaveProperty('escalatedFrom');
    const alertId = attempts[0]!.alertId;
    expect(pagerAlertIds()).not.toContain(alertId);
    const [socBefore, pagerBefore] = [soc.requests.length, pager.requests.length];

    // The attacker gets in, minutes later: the same alert, now critical, goes out on the next scan.
    sim.addSignIns([foreignSignIn('in-1', at(5), '203.0.113.77', true)]);
    const escalated = await scan(at(15));
    expect(escalated.alerts).toMatchObject({ new: 0, notifications: 2 });
    const paged = pager.requests.slice(pagerBefore);
    expect(paged).toHaveLength(1);
    const card = cardOf(paged[0]!);
    expect(factOf(card, 'Alert id')).toBe(alertId);
    expect(card['fallbackText']).toMatch(/^Escalated to CRITICAL · /);
    expect(JSON.stringify(card['body'])).toContain('Escalated from HIGH: 3 events in total');
    const resent = soc.requests.slice(socBefore).map((r) => JSON.parse(r.body) as AlertPayload);
    expect(resent).toHaveLength(1);
    expect(resent[0]).toMatchObject({ alertId, severity: 'critical', escalatedFrom: 'high', count: 3, successCount: 1, failureCount: 2, notification: 3 });
    expect(soc.requests.at(-1)!.headers['idempotency-key']).toBe(`${alertId}:3`);
    expect((await store.getAlerts([alertId]))[0]).toMatchObject({ severity: 'critical', notifiedSeverity: 'critical', notifiedCount: 3 });

    // Nothing more on the next scan: escalation is not a loop, and the repeat interval applies again.
    const quiet = await scan(at(30));
    expect(quiet.alerts).toMatchObject({ notifications: 0 });
    expect([soc.requests.length, pager.requests.length]).toEqual([socBefore + 1, pagerBefore + 1]);
    expect(await store.listOutbox('contoso', 'pending')).toEqual([]);
  });
});
