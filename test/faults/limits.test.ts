import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createChannels } from '../../src/alerts/channels/index.js';
import type { Config } from '../../src/config/types.js';
import { connectTenant } from '../../src/graph/connect.js';
import type { GraphLimits } from '../../src/graph/limits.js';
import { runScan, type ScanSummary } from '../../src/scan/index.js';
import { mimecastScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { MemoryStateStore } from '../../src/state/memory.js';
import { scanConfig } from '../helpers/scan.js';
import { captureLogger, FAST_RETRY } from '../helpers/tenant.js';

/**
 * Graph answers no collector should trust: a page of hundreds of megabytes, a chain of nextLinks
 * that never ends, a redirect, a tenant so slow the scan would outlive its Function. Each must stop
 * at a cap (src/graph/limits.ts, src/graph/deadline.ts) with its own error code, the stage reported
 * as not collected, and the scan must still finish and report — never exhaust memory, never hang.
 */
const MiB = 1024 * 1024;
const now = new Date();
let sim: RunningSimulator;
let config: Config;

beforeAll(async () => {
  sim = await startSimulator({ scenario: mimecastScenario(now), enforceThrottling: false });
  ({ config } = await scanConfig(sim));
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.setFaults({});
});

async function scan(options: { limits?: Partial<GraphLimits>; clock?: () => Date } = {}): Promise<{ summary: ScanSummary; logs: string }> {
  const { logger, text } = captureLogger('warn');
  const { channels } = createChannels(config.channels, { logger });
  const summary = await runScan(
    {
      config,
      store: new MemoryStateStore(),
      connect: (t) => connectTenant(t, { logger, retry: FAST_RETRY, ...(options.limits ? { limits: options.limits } : {}) }),
      channels,
      logger,
      now: options.clock ?? (() => now),
    },
    config.tenants[0]!,
  );
  return { summary, logs: text() };
}

const codes = (s: ScanSummary): string[] => s.errors.map((e) => e.code);
const inventorySource = (s: ScanSummary) => s.sources.find((x) => x.source.startsWith('inventory'));
const requestsTo = (path: string, from = 0): number => sim.requests.slice(from).filter((r) => r.path === path).length;

describe('Graph caps', () => {
  it('stops reading a 200 MB Graph page at the 64 MiB cap and reports the inventory as not collected', async () => {
    sim.setFaults({ rules: [{ pathIncludes: '/servicePrincipals?', kind: 'hugeBody', bytes: 200 * MiB, times: Infinity }] });
    const { summary } = await scan();
    expect(codes(summary)).toContain('GRAPH_RESPONSE_TOO_LARGE');
    expect(inventorySource(summary)?.status).toBe('failed');
    // Once: the cap is final, the page is not asked for again. 64 MiB read plus what sat in the
    // socket buffers when the client hung up; far from the 200 MB offered.
    expect(sim.faultBytesWritten()).toBeLessThan(64 * MiB + 16 * MiB);
    expect(sim.faultBytesWritten()).toBeGreaterThanOrEqual(64 * MiB);
  });

  it('refuses a Graph page whose Content-Length is over the cap before reading its body', async () => {
    sim.setFaults({ rules: [{ pathIncludes: '/servicePrincipals?', kind: 'hugeBody', bytes: 200 * MiB, declareLength: true, times: Infinity }] });
    const { summary } = await scan();
    expect(summary.errors.find((e) => e.code === 'GRAPH_RESPONSE_TOO_LARGE')?.message).toMatch(/declares \d+ bytes/);
    expect(sim.faultBytesWritten()).toBeLessThan(16 * MiB);
  });

  it('stops an endless chain of fresh nextLinks at the page limit and reports the inventory as not collected', async () => {
    const from = sim.requests.length;
    sim.setFaults({ rules: [{ pathIncludes: '/servicePrincipals?', kind: 'endlessLinks', times: Infinity }] });
    const { summary } = await scan({ limits: { maxPages: 25 } });
    expect(codes(summary)).toContain('GRAPH_TOO_MANY_PAGES');
    expect(inventorySource(summary)?.status).toBe('failed');
    expect(requestsTo('/v1.0/servicePrincipals', from)).toBe(25);
  });

  it('never follows a redirect from Graph: the bearer token goes nowhere else', async () => {
    const from = sim.requests.length;
    sim.setFaults({ rules: [{ pathIncludes: '/servicePrincipals?', kind: 'redirect', location: `${sim.url}/redirected/servicePrincipals`, times: Infinity }] });
    const { summary } = await scan();
    expect(requestsTo('/redirected/servicePrincipals', from)).toBe(0);
    expect(inventorySource(summary)?.status).toBe('failed');
    expect(summary.errors.find((e) => e.stage === 'inventory')?.message).toMatch(/307/);
  });
});

describe('the scan deadline', () => {
  it('stops reading Graph at the hard deadline, reports the stages not read, and still finishes the scan', async () => {
    // Every request the simulator sees moves the scan's clock 5 minutes: past maxRunMinutes (20)
    // plus the 2-minute grace within a few requests.
    const from = sim.requests.length;
    const clock = () => new Date(now.getTime() + (sim.requests.length - from) * 5 * 60_000);
    const { summary } = await scan({ clock });
    expect(codes(summary)).toContain('SCAN_DEADLINE');
    expect(summary.sources.filter((s) => s.status === 'failed').length).toBeGreaterThan(0);
    // Nothing past the deadline: a handful of requests, not the whole tenant.
    expect(sim.requests.length - from).toBeLessThan(20);
    expect(summary.finishedAt).toBeDefined();
  });
});
