/**
 * An attack whose sign-ins fall on three pages of one scan reaches the receiver once, whole; what
 * it adds after delivery goes out once as an update; a scan with nothing new sends nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertPayload } from '../../src/alerts/payload.js';
import { SIGNIN_PAGE_SIZE } from '../../src/collect/signins.js';
import type { SignIn } from '../../src/simulator/scenario.js';
import { mimecastScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { MemoryStateStore } from '../../src/state/index.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { scanOnce, VENDOR_APP_ID } from '../helpers/scan.js';
import { mimecastWebhookConfig } from '../helpers/webhook-tenant.js';
import { captureLogger } from '../helpers/tenant.js';

const t0 = new Date('2026-11-26T12:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
let sim: RunningSimulator | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await sim?.close();
  await receiver?.close();
});

const scenarioSignIns = () => mimecastScenario(t0).signIns as SignIn[];
/** The vendor's certificate from one of the vendor's own addresses: allowed, raises nothing. */
const home = () => scenarioSignIns().find((s) => s.appId === VENDOR_APP_ID && !s.ipAddress.startsWith('198.51.100.') && s.status.errorCode === 0)!;
/** The same certificate from AS64999, which no allowlist names. */
function attack(id: string, when: Date, ip: string, success: boolean): SignIn {
  const template = scenarioSignIns().find((s) => s.appId === VENDOR_APP_ID && s.ipAddress.startsWith('198.51.100.'))!;
  const status = success
    ? { errorCode: 0, failureReason: null, additionalDetails: null }
    : { errorCode: 700027, failureReason: 'Client assertion contains an invalid signature.', additionalDetails: null };
  return { ...template, id, createdDateTime: when.toISOString(), ipAddress: ip, autonomousSystemNumber: 64999, status };
}

/**
 * 2,400 allowed sign-ins, one every 2 s back from 6 minutes before t0 (newer than every scenario
 * sign-in), with five foreign ones among them after the 100th, 600th, 1,200th, 1,700th and
 * 2,300th: read newest first, 1,000 a page, the attack spans pages 1, 2 and 3.
 */
function busyWindowWithAttack(): SignIn[] {
  const base = home();
  const allowed = Array.from({ length: 2_400 }, (_, i) => ({
    ...base,
    id: `home-${i}`,
    createdDateTime: new Date(at(-6).getTime() - i * 2_000).toISOString(),
  }));
  const between = (i: number) => new Date(at(-6).getTime() - i * 2_000 - 1_000);
  const foreign = [
    attack('atk-1', between(100), '203.0.113.77', false),
    attack('atk-2', between(600), '203.0.113.77', false),
    attack('atk-3', between(1_200), '203.0.113.78', false),
    attack('atk-4', between(1_700), '203.0.113.78', false),
    attack('atk-5', between(2_300), '203.0.113.79', true),
  ];
  return [...allowed, ...foreign];
}

describe('an attack whose sign-ins span three pages of one scan', () => {
  it('is delivered once with every finding, then once as an update for a new IP, then not again', async () => {
    // Throttling is not what this is about: three scans of three pages each stay under 30 s.
    sim = await startSimulator({ scenario: mimecastScenario(t0), now: () => t0, enforceThrottling: false });
    receiver = await startReceiver();
    const config = await mimecastWebhookConfig(sim, receiver.url);
    const store = new MemoryStateStore({ now: () => t0 });
    const { logger } = captureLogger('silent');
    const attackMessages = () => receiver!.requests.filter((r) => (JSON.parse(r.body) as AlertPayload).network === 'AS64999');

    sim.addSignIns(busyWindowWithAttack());
    const first = await scanOnce(sim, config, store, logger, t0);
    expect(first.events.signIns).toBeGreaterThan(2 * SIGNIN_PAGE_SIZE);
    const delivered = attackMessages();
    expect(delivered).toHaveLength(1);
    const alert = JSON.parse(delivered[0]!.body) as AlertPayload;
    expect(alert).toMatchObject({ severity: 'critical', notification: 0, count: 5, successCount: 1, failureCount: 4 });
    expect([...alert.ips].sort()).toEqual(['203.0.113.77', '203.0.113.78', '203.0.113.79']);
    expect(alert).not.toHaveProperty('escalatedFrom');
    expect(alert).not.toHaveProperty('update');
    expect(delivered[0]!.headers['idempotency-key']).toBe(`${alert.alertId}:0`);

    // The attacker comes back from a new address: one update, with its own round.
    sim.addSignIns([attack('atk-6', at(5), '203.0.113.80', false)]);
    await scanOnce(sim, config, store, logger, at(15));
    const update = attackMessages().slice(1);
    expect(update).toHaveLength(1);
    const updated = JSON.parse(update[0]!.body) as AlertPayload;
    expect(updated).toMatchObject({
      alertId: alert.alertId,
      notification: 6,
      count: 6,
      update: { ips: ['203.0.113.80'], asns: [], resources: [], firstSuccess: false },
    });
    expect(update[0]!.headers['idempotency-key']).toBe(`${alert.alertId}:6`);

    // Nothing new: nothing sent, nothing left pending.
    const quiet = await scanOnce(sim, config, store, logger, at(30));
    expect(attackMessages()).toHaveLength(2);
    expect(quiet.alerts.notifications).toBe(0);
    expect(await store.listOutbox('contoso', 'pending')).toEqual([]);
  });
});
