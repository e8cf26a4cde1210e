/**
 * A clock that ran ahead once (a VM resumed with a wrong time, a bad NTP answer): the scan that ran
 * with it recorded log time as read before its records existed. Before src/scan/clock.ts that time
 * stayed "read" for ever: the sign-ins logged for it were never judged, and a later outage went
 * unreported. Now the next scan with a sound clock moves the streams back and reads them again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createChannels } from '../../src/alerts/channels/index.js';
import { runScan } from '../../src/scan/index.js';
import type { SignIn } from '../../src/simulator/scenario.js';
import { mimecastScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { MemoryStateStore } from '../../src/state/index.js';
import { scanConfig, scanOnce, VENDOR_APP_ID } from '../helpers/scan.js';
import { captureLogger, connect, FAST_RETRY } from '../helpers/tenant.js';
import { windowCommit } from '../state/records.js';

const now = new Date('2026-11-26T12:00:00Z');
const DAY = 86_400_000;
const later = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
let sim: RunningSimulator | undefined;

afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function setUp() {
  const running = await startSimulator({ scenario: mimecastScenario(now), now: () => now, enforceThrottling: false });
  sim = running;
  const { config } = await scanConfig(running);
  const store = new MemoryStateStore({ now: () => now });
  const { logger } = captureLogger('silent');
  const { channels } = createChannels(config.channels, { logger });
  const scan = (at: Date) =>
    runScan({ config, store, connect: () => connect(config, logger, FAST_RETRY), channels, logger, now: () => at }, config.tenants[0]!);
  return { sim: running, store, scan };
}

/** The vendor's certificate used from the scenario's foreign network. */
function foreignSignIn(id: string, at: Date): SignIn {
  const template = (mimecastScenario(now).signIns as SignIn[]).find((s) => s.appId === VENDOR_APP_ID && s.ipAddress.startsWith('198.51.100.'))!;
  return { ...template, id, createdDateTime: at.toISOString(), ipAddress: '198.51.100.77', status: { ...template.status, errorCode: 0, failureReason: '' } };
}

describe('a clock that ran ahead', () => {
  it('moves the streams back after a scan whose clock ran a day ahead, and judges the sign-ins logged meanwhile', async () => {
    const { sim, store, scan } = await setUp();
    await scan(now);
    // The bad clock: the scan believes it is a day later and records that day as read.
    const ahead = await scan(later(24 * 60));
    expect(ahead.errors).toEqual([]);
    // Meanwhile (real time), the stolen certificate is used; the monitor is then down for 5 hours.
    sim.addSignIns([foreignSignIn('after-bad-clock', later(60))]);
    const sound = await scan(later(6 * 60));
    const codes = sound.errors.map((e) => e.code);
    expect(codes.filter((c) => c === 'WATERMARK_IN_FUTURE')).toHaveLength(2);
    expect(sound.errors.find((e) => e.stage === 'signIns' && e.code === 'WATERMARK_IN_FUTURE')?.message).toContain(
      `the last scan with a sound clock (${now.toISOString()})`,
    );
    const finding = (await store.listFindings('contoso', new Date(0), later(48 * 60))).find((f) => f.finding.eventIds.includes('after-bad-clock'));
    expect(finding?.finding).toMatchObject({ ruleId: 'signin-cert-outside-allowlist', severity: 'critical' });
    // Both streams are back in step with the clock, and say why they were read again.
    expect(sound.sources.find((s) => s.source === 'signIns')).toMatchObject({ errorCode: 'WATERMARK_IN_FUTURE' });
    expect(sound.sources.find((s) => s.source === 'directoryAudits')).toMatchObject({ errorCode: 'WATERMARK_IN_FUTURE' });
    expect((await store.getWatermark('contoso', 'directoryAudits'))!.getTime()).toBeLessThanOrEqual(later(6 * 60).getTime());
    const next = await scan(later(6 * 60 + 15));
    expect(next.errors.map((e) => e.code)).not.toContain('WATERMARK_IN_FUTURE');
  });

  it('raises collection-failing when a stream was found ahead of the clock', async () => {
    const { store, scan } = await setUp();
    await scan(now);
    await scan(later(24 * 60));
    await scan(later(60));
    const failing = (await store.listFindings('contoso', new Date(0), later(48 * 60))).filter((f) => f.finding.ruleId === 'collection-failing');
    expect(failing.map((f) => f.finding.severity)).toContain('high');
    expect(failing.map((f) => f.finding.summary).join('\n')).toMatch(/sign-in logs/);
  });
});

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
