import { afterEach, describe, expect, it } from 'vitest';
import { createChannels } from '../../src/alerts/channels/index.js';
import { createFetch } from '../../src/graph/http.js';
import { runScan } from '../../src/scan/index.js';
import { mimecastScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { MemoryStateStore } from '../../src/state/index.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { mimecastWebhookConfig } from '../helpers/webhook-tenant.js';
import { captureLogger, connect } from '../helpers/tenant.js';
import { VENDOR_APP_ID } from '../helpers/scan.js';

const t0 = new Date('2026-11-26T12:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
let sim: RunningSimulator | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await sim?.close();
  await receiver?.close();
});

describe('alert delivery through an outage of several scans', () => {
  it('delivers every alert exactly once after the receiver comes back, and a 400 is failed and visible', async () => {
    // Report throttling is not what this is about; with it each scan past the fifth report read waits ~10 s.
    sim = await startSimulator({ scenario: mimecastScenario(t0), now: () => t0, enforceThrottling: false });
    receiver = await startReceiver();
    const config = await mimecastWebhookConfig(sim, receiver.url);
    const store = new MemoryStateStore({ now: () => t0 });
    const { logger } = captureLogger('silent');
    let clock = t0;
    const { channels } = createChannels(config.channels, { logger, now: () => clock, fetch: createFetch() });
    const scan = (when: Date) => {
      clock = when;
      return runScan(
        { config, store, connect: (t) => connect({ ...config, tenants: [t] }, logger), channels, fetch: createFetch(), logger, now: () => when },
        config.tenants[0]!,
      );
    };

    // Down for three scans: 503, then 429 with Retry-After, then a dropped answer (503 again).
    receiver.fallback = { status: 503 };
    const first = await scan(t0);
    expect(first.delivery).toMatchObject({ sent: 0, failed: 0 });
    expect(first.delivery.retrying).toBeGreaterThan(0);
    receiver.fallback = { status: 429, headers: { 'retry-after': '60' } };
    await scan(at(15));
    receiver.fallback = { status: 503 };
    await scan(at(30));
    const attemptsDuringOutage = receiver.requests.length;
    expect(attemptsDuringOutage).toBeGreaterThanOrEqual(first.delivery.retrying);

    // Back: everything pending goes out once; later scans send nothing more.
    receiver.fallback = { status: 202 };
    const recovered = await scan(at(120));
    await scan(at(135));
    const delivered = receiver.requests.slice(attemptsDuringOutage).map((r) => r.headers['idempotency-key']);
    expect(new Set(delivered).size).toBe(delivered.length);
    expect(delivered.length).toBe(first.delivery.retrying);
    expect(recovered.delivery.sent).toBe(first.delivery.retrying);
    expect((await store.listOutbox('contoso', 'pending')).length).toBe(0);

    // A permanent rejection: failed, with the reason, and no retry storm.
    sim.addSignIns([
      {
        ...(mimecastScenario(t0).signIns as Array<{ appId: string; ipAddress: string }>).find(
          (s) => s.appId === VENDOR_APP_ID && s.ipAddress.startsWith('198.51.100.'),
        )!,
        id: 'new-attack',
        createdDateTime: at(140).toISOString(),
        ipAddress: '203.0.113.250',
        autonomousSystemNumber: 64999,
      } as never,
    ]);
    receiver.fallback = { status: 400, body: 'unknown receiver' };
    const rejected = await scan(at(150));
    expect(rejected.delivery.failed).toBe(1);
    expect(rejected.delivery.errors[0]).toMatchObject({ code: 'CHANNEL_REJECTED' });
    expect(rejected.delivery.errors[0]!.message).toContain('400');
    expect(rejected.delivery.errors[0]!.message).not.toContain(receiver.url);
    const before = receiver.requests.length;
    await scan(at(300));
    expect(receiver.requests.length).toBe(before);
  });
});
