/**
 * How the scan timer spreads tenants over time so that one app's scans stay within Graph's reports
 * budget (5 requests per 10 s per tenant, 122 per 10 s per app across tenants), and how it reads the
 * interval between ticks from the NCRONTAB schedule. Pure functions, no storage.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TenantConfig } from '../../src/config/types.js';
import { PLANNED_REPORT_REQUESTS_PER_SCAN, REPORTS_PER_APP, REPORTS_PER_TENANT, SCAN_WAVES, waveBudget } from '../../src/functions/budget.js';
import { parseNcrontab, shortestIntervalInMs, tickOrdinal } from '../../src/functions/ncrontab.js';
import { MAX_DELAY_IN_SECONDS, planScanWaves } from '../../src/functions/waves.js';
import { packageRoot } from '../../src/package-root.js';

const GRAPH = 'https://graph.microsoft.com';
const APP = '11111111-2222-4333-8444-555555555555';
const OTHER_APP = '66666666-7777-4888-9999-000000000000';

function tenants(count: number, clientId: string | null = APP, prefix = 't', graphBaseUrl = GRAPH): TenantConfig[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `${prefix}${String(i).padStart(4, '0')}`,
    tenantId: `${prefix}${i}.onmicrosoft.com`,
    cloud: 'global' as const,
    endpoints: { authorityHost: 'https://login.microsoftonline.com', graphBaseUrl },
    auth: { mode: 'managedIdentity' as const, ...(clientId ? { clientId } : {}) },
  }));
}

const MINUTE = 60_000;
const at = (iso: string): Date => new Date(iso);

/** Delay → tenants starting then. */
function waves(plan: ReturnType<typeof planScanWaves>): Map<number, string[]> {
  const byDelay = new Map<number, string[]>();
  for (const q of plan.queue) byDelay.set(q.delayInSeconds, [...(byDelay.get(q.delayInSeconds) ?? []), q.tenant]);
  return byDelay;
}

describe('the reports budget the fan-out plans with', () => {
  it("is Graph's documented 5 per 10 s per tenant and 122 per 10 s per app, so 24 tenants may read at full speed at once", () => {
    expect(REPORTS_PER_TENANT).toEqual({ requests: 5, perMs: 10_000 });
    expect(REPORTS_PER_APP).toEqual({ requests: 122, perMs: 10_000 });
    expect(SCAN_WAVES.tenantsPerWave).toBe(24);
  });

  it('gives a planned scan one 10-second window, and a busier one a window per 5 requests', () => {
    expect(PLANNED_REPORT_REQUESTS_PER_SCAN).toBe(5);
    expect(SCAN_WAVES.waveInMs).toBe(10_000);
    expect(waveBudget(REPORTS_PER_TENANT, REPORTS_PER_APP, 91).waveInMs).toBe(190_000);
    expect(waveBudget(REPORTS_PER_TENANT, { requests: 120, perMs: 10_000 }).tenantsPerWave).toBe(24);
  });
});

describe('the queue trigger that starts the waves (config/functions/host.json)', () => {
  const queues = (
    JSON.parse(readFileSync(join(packageRoot(), 'config', 'functions', 'host.json'), 'utf8')) as { extensions: { queues: Record<string, unknown> } }
  ).extensions.queues;
  const ms = (span: unknown): number =>
    String(span)
      .split(':')
      .map(Number)
      .reduce((total, part) => total * 60 + part, 0) * 1000;

  it('polls at least twice per wave, so a wave that becomes visible is started before the next one is', () => {
    // With the default 1-minute backoff six 10-second waves could become visible between two polls
    // and start together.
    expect(ms(queues['maxPollingInterval'])).toBeLessThanOrEqual(SCAN_WAVES.waveInMs / 2);
  });

  it('runs at most batchSize + newBatchThreshold scans per instance: 6, a quarter of a wave', () => {
    expect(Number(queues['batchSize']) + Number(queues['newBatchThreshold'])).toBe(6);
  });
});

describe('the interval between timer ticks, read from NCRONTAB', () => {
  const from = at('2026-11-18T12:00:00Z');
  const interval = (expression: string): number | undefined => shortestIntervalInMs(parseNcrontab(expression), from);

  it('is 15 minutes for the default schedule and follows steps, lists and ranges', () => {
    expect(interval('0 */15 * * * *')).toBe(15 * MINUTE);
    expect(interval('*/30 * * * * *')).toBe(30_000);
    expect(interval('0 0 */2 * * *')).toBe(120 * MINUTE);
    expect(interval('0 0 9-17 * * Mon-Fri')).toBe(60 * MINUTE);
  });

  it('is the shortest gap of an irregular schedule, across midnight and across days too', () => {
    expect(interval('0 0,5 * * * *')).toBe(5 * MINUTE);
    expect(interval('0 0 8,12 * * *')).toBe(4 * 60 * MINUTE);
    expect(interval('0 0 23 * * *')).toBe(24 * 60 * MINUTE);
    expect(interval('0 0 8 * * 1')).toBe(7 * 24 * 60 * MINUTE);
    expect(interval('0 30 9 * Jan Mon')).toBe(7 * 24 * 60 * MINUTE);
  });

  it('is unknown for a schedule that never fires, and a malformed one is refused with the field named', () => {
    expect(interval('0 0 0 30 Feb *')).toBeUndefined();
    expect(() => parseNcrontab('*/15 * * * *')).toThrow(/6 fields/);
    expect(() => parseNcrontab('0 */15 * * * 9')).toThrow(/day-of-week "9"/);
    expect(() => parseNcrontab('0 0 17-9 * * *')).toThrow(/runs backwards/);
  });

  it('numbers consecutive ticks consecutively, whatever the gap between them', () => {
    const quarter = parseNcrontab('0 */15 * * * *');
    const noon = tickOrdinal(quarter, at('2026-11-18T12:00:00.020Z'));
    expect(tickOrdinal(quarter, at('2026-11-18T12:15:00.500Z'))).toBe(noon + 1);
    expect(tickOrdinal(quarter, at('2026-11-18T23:45:00Z')) + 1).toBe(tickOrdinal(quarter, at('2026-11-19T00:00:00Z')));
    const uneven = parseNcrontab('0 0 8,12 * * *');
    const eight = tickOrdinal(uneven, at('2026-11-18T08:00:00Z'));
    expect([at('2026-11-18T12:00:00Z'), at('2026-11-19T08:00:00Z'), at('2026-11-19T12:00:00Z')].map((d) => tickOrdinal(uneven, d) - eight)).toEqual([1, 2, 3]);
  });
});

describe('the scan waves of one tick', () => {
  const every15 = { intervalInMs: 15 * MINUTE, ordinal: 0 };

  it('start a handful of tenants at once, with no delay at all', () => {
    const plan = planScanWaves(tenants(24), every15);
    expect(plan.queue.every((q) => q.delayInSeconds === 0)).toBe(true);
    expect(plan.deferred).toEqual([]);
    expect(plan.apps).toEqual([expect.objectContaining({ tenants: 24, waves: 1, rounds: 1 })]);
  });

  it('spread 60 tenants of one app in three even waves over the 15 minutes, none above 24', () => {
    const plan = planScanWaves(tenants(60), every15);
    const byDelay = waves(plan);
    expect([...byDelay.keys()]).toEqual([0, 300, 600]);
    expect([...byDelay.values()].map((w) => w.length)).toEqual([20, 20, 20]);
    expect(plan.queue.map((q) => q.tenant)).toEqual(tenants(60).map((t) => t.name));
  });

  it('give every app registration its own budget, and the same client id in another cloud another one', () => {
    const mixed = [...tenants(30, APP, 'a'), ...tenants(10, OTHER_APP, 'b'), ...tenants(5, APP, 'g', 'https://graph.microsoft.us'), ...tenants(3, null, 's')];
    const plan = planScanWaves(mixed, every15);
    expect(plan.apps.map((a) => [a.app, a.tenants, a.waves])).toEqual([
      [`${APP} at ${GRAPH}`, 30, 2],
      [`${OTHER_APP} at ${GRAPH}`, 10, 1],
      [`${APP} at https://graph.microsoft.us`, 5, 1],
      [`system-assigned identity at ${GRAPH}`, 3, 1],
    ]);
    const delayOf = new Map(plan.queue.map((q) => [q.tenant, q.delayInSeconds]));
    expect(['b0000', 'g0000', 's0000', 'a0000'].map((t) => delayOf.get(t))).toEqual([0, 0, 0, 0]);
    expect(delayOf.get('a0029')).toBe(450);
  });

  it('fit as many tenants as one interval holds — 90 waves of 24 in 15 minutes — without rotating', () => {
    const plan = planScanWaves(tenants(2160), every15);
    const byDelay = waves(plan);
    expect(byDelay.size).toBe(90);
    expect(Math.max(...[...byDelay.values()].map((w) => w.length))).toBe(24);
    expect(Math.max(...byDelay.keys())).toBe(890);
    expect(plan.apps[0]).toMatchObject({ rounds: 1, spacingInSeconds: 10, capacityPerTick: 2160 });
  });

  it('rotate when the tenants do not fit: each tick scans the next slice, every tenant once per round', () => {
    const all = tenants(2500);
    const ticks = [0, 1, 2].map((ordinal) => planScanWaves(all, { intervalInMs: 15 * MINUTE, ordinal }));
    expect(ticks.map((p) => [p.apps[0]!.rounds, p.apps[0]!.round, p.queue.length, p.deferred.length])).toEqual([
      [2, 0, 2160, 340],
      [2, 1, 340, 2160],
      [2, 0, 2160, 340],
    ]);
    const scanned = new Set([...ticks[0]!.queue, ...ticks[1]!.queue].map((q) => q.tenant));
    expect(scanned.size).toBe(2500);
    for (const tick of ticks) {
      expect(Math.max(...[...waves(tick).values()].map((w) => w.length))).toBeLessThanOrEqual(24);
      expect(Math.max(...tick.queue.map((q) => q.delayInSeconds))).toBeLessThan(900);
    }
  });

  it('start one wave per tick when even one wave outlasts the interval, and never delay beyond what a queue allows', () => {
    const short = planScanWaves(tenants(30), { intervalInMs: 5_000, ordinal: 0 });
    expect(short.apps[0]).toMatchObject({ rounds: 2, waves: 1, queued: 24 });
    const weekly = planScanWaves(tenants(30), { intervalInMs: 14 * 24 * 60 * MINUTE, ordinal: 0 });
    expect(Math.max(...weekly.queue.map((q) => q.delayInSeconds))).toBeLessThanOrEqual(MAX_DELAY_IN_SECONDS);
  });
});
