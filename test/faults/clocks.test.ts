import { afterEach, describe, expect, it } from 'vitest';
import { mimecastScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { MemoryStateStore } from '../../src/state/index.js';
import { scanConfig, scanOnce } from '../helpers/scan.js';
import { captureLogger } from '../helpers/tenant.js';
import { windowCommit } from '../state/records.js';

/**
 * The monitor's own time against the logs' time, through a whole scan against the simulator.
 * The stage-level cases (a watermark ahead of the clock, a clock that went back) are in
 * test/scan/*.test.ts and src/scan/*.test.ts.
 */

const DAY = 86_400_000;
const now = new Date('2026-11-26T12:00:00Z');
let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

// TODO(lead): "a watermark in the future is reset" — the lead adds that test separately; list it
// in test/faults/cases/clocks.ts once it exists.

describe('a monitor that was down longer than the logs keep', () => {
  it('reports the sign-ins and audits it can no longer read as DATA_GAP naming the lost interval, reads the rest, and says it once', async () => {
    sim = await startSimulator({ scenario: mimecastScenario(now), now: () => now, enforceThrottling: false });
    const { config } = await scanConfig(sim);
    const store = new MemoryStateStore({ now: () => now });
    const { logger } = captureLogger('silent');
    // The last scan before the outage, 40 days ago: sign-ins covered up to then, audits read up to then.
    const lastScan = new Date(now.getTime() - 40 * DAY);
    await store.commitWindow(windowCommit({ tenant: 'contoso', stream: 'signIns', covered: [{ from: new Date(0), to: lastScan }] }));
    await store.commitWindow(windowCommit({ tenant: 'contoso', stream: 'directoryAudits', watermark: lastScan }));

    const summary = await scanOnce(sim, config, store, logger, now);
    const gaps = summary.errors.filter((e) => e.code === 'DATA_GAP');
    expect(gaps.map((e) => e.stage).sort()).toEqual(['directoryAudits', 'signIns']);
    const signInGap = gaps.find((e) => e.stage === 'signIns')!;
    expect(signInGap.message).toContain(`from ${lastScan.toISOString()} to ${new Date(now.getTime() - 30 * DAY).toISOString()}`);
    expect(signInGap.message).toContain('30-day retention');
    expect(gaps.find((e) => e.stage === 'directoryAudits')!.message).toMatch(/beyond the 30-day retention/);
    // What the log still holds is read and judged: the scenario's twelve foreign sign-ins raise the critical.
    expect(summary.events.newSignIns).toBeGreaterThan(0);
    const critical = (await store.listAlerts('contoso', new Date(0), now)).filter((a) => a.ruleId === 'signin-cert-outside-allowlist');
    expect(critical).toHaveLength(1);
    expect(critical[0]!.count).toBe(12);

    // The lost interval is recorded as covered: the next scan does not report it again.
    const next = await scanOnce(sim, config, store, logger, new Date(now.getTime() + 15 * 60_000));
    expect(next.errors.filter((e) => e.code === 'DATA_GAP')).toEqual([]);
  });
});
