import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createChannels } from '../../src/alerts/channels/index.js';
import { createFetch } from '../../src/graph/http.js';
import { packageRoot } from '../../src/package-root.js';
import { runScan } from '../../src/scan/index.js';
import { mimecastScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { MemoryStateStore } from '../../src/state/index.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { VENDOR_APP_ID, VENDOR_TENANT_ID } from '../helpers/scan.js';
import { captureLogger, connect, simulatorConfig } from '../helpers/tenant.js';

let sim: RunningSimulator | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await sim?.close();
  await receiver?.close();
});

describe('secrets in logs', () => {
  it('never writes the client secret, tokens, the webhook URL signature or the signing key, even at trace level and on failures', async () => {
    const now = new Date('2026-11-26T12:00:00Z');
    sim = await startSimulator({ scenario: mimecastScenario(now), now: () => now });
    receiver = await startReceiver();
    receiver.script = [
      { status: 500, body: 'upstream error' },
      { status: 400, body: 'bad request' },
    ];
    const hookUrl = `${receiver.url}?sig=CANARY-URL-SIGNATURE-7f3a`;
    const config = await simulatorConfig(sim, 'secret', {
      extra: {
        vendors: [
          {
            name: 'Mimecast',
            appIds: [VENDOR_APP_ID],
            ownerTenantIds: [VENDOR_TENANT_ID],
            allowedRanges: [{ type: 'file', path: join(packageRoot(), 'config', 'vendors', 'mimecast-2021.txt') }],
          },
        ],
        channels: [{ type: 'webhook', name: 'siem', urlEnv: 'HOOK_URL', secretEnv: 'HOOK_SECRET', allowInsecureTestEndpoint: true, digestThreshold: 1000 }],
      },
      env: { HOOK_URL: hookUrl, HOOK_SECRET: 'CANARY-HMAC-KEY-91c2' },
    });
    const capture = captureLogger('trace');
    const { channels } = createChannels(config.channels, { logger: capture.logger, now: () => now, fetch: createFetch() });
    const summary = await runScan(
      {
        config,
        store: new MemoryStateStore({ now: () => now }),
        connect: (t) => connect({ ...config, tenants: [t] }, capture.logger),
        channels,
        fetch: createFetch(),
        logger: capture.logger,
        now: () => now,
      },
      config.tenants[0]!,
    );
    expect(summary.delivery.errors.length).toBeGreaterThan(0);
    const everything = `${capture.text()}\n${JSON.stringify(summary)}\n${JSON.stringify(config)}`;
    // Something to scan: trace-level lines from the token source, Graph requests and delivery.
    expect(capture.lines().length).toBeGreaterThan(10);
    expect(capture.lines().some((l) => l['msg'] === 'graph request')).toBe(true);
    for (const secret of [sim.credwatchApp.clientSecret, 'CANARY-URL-SIGNATURE-7f3a', 'CANARY-HMAC-KEY-91c2']) expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./);
  });
});
