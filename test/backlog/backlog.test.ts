/**
 * Issue "Large tenants": a multi-million-record backlog worked through in deadline-bounded runs at
 * Graph's ceiling, on a virtual clock (test/backlog/virtual-time.ts), in both stores that persist:
 * SQLite and Azure Table Storage (Azurite). Every record is judged exactly once, the live edge is
 * read in every run (an attack placed just before each run is found by that run), nothing is
 * notified twice, the simulator never sees more than five report requests in ten seconds, and the
 * backlog is gone after about records ÷ 500 seconds of simulated reading.
 *
 * CREDWATCH_BACKLOG_RECORDS sets the backlog's size (default 5,000,000).
 */
import { appendFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanSummary } from '../../src/scan/index.js';
import { SqliteStateStore } from '../../src/state/sqlite.js';
import type { StateStore } from '../../src/state/types.js';
import { startAzurite, type Azurite } from '../helpers/azurite.js';
import { openTableStore } from '../state/azure-table-fixture.js';
import { captureLogger } from '../helpers/tenant.js';
import { backlogTenant, deliveredIds, GraphBudgets, indexAt, MINUTES, recordsBefore, scanAt, VirtualClock, type BacklogSpec } from './virtual-time.js';

const RECORDS = Number(process.env.CREDWATCH_BACKLOG_RECORDS ?? 5_000_000);
const T0 = new Date('2026-12-01T00:00:00Z');
/** The backlog fills the two days before the first run (an outage of a busy tenant); then one sign-in a second. */
const BACKLOG_MS = 2 * 86_400_000;
const LIVE_STEP_MS = 1_000;
const INTERVAL = 15 * MINUTES;
const COLLECTION = { overlapInMinutes: 5, settleInMinutes: 5, backfillInDays: 2, maxRunMinutes: 10 };
/** Graph's report ceiling: 5 pages of 1,000 per 10 s. */
const CEILING_PER_SECOND = 500;

let azurite: Azurite | undefined;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(async () => {
  await azurite?.stop();
});

interface Outcome {
  runs: ScanSummary[];
  spec: BacklogSpec;
  liveAttacks: Array<{ run: number; eventId: string }>;
  foundLive: boolean[];
  judgedBefore: number;
  aggregateTotal: number;
  delivered: string[];
  reportTimes: number[];
}

async function workThrough(openStore: (clock: VirtualClock) => Promise<StateStore>): Promise<Outcome> {
  const stepMs = BACKLOG_MS / RECORDS;
  const start = new Date(T0.getTime() - BACKLOG_MS);
  // Attacks: ten spread through the backlog, and one placed 2 minutes before each run's newest readable time.
  const attacks = new Set<number>(Array.from({ length: 10 }, (_, k) => Math.floor(((k + 0.5) * RECORDS) / 10)));
  const maxRuns = 60;
  const runAt = (k: number) => new Date(T0.getTime() + k * INTERVAL);
  const liveAttacks: Outcome['liveAttacks'] = [];
  const spec: BacklogSpec = { start, stepMs, backlog: RECORDS, liveFrom: T0, liveStepMs: LIVE_STEP_MS, attacks };
  for (let k = 0; k < maxRuns; k++) {
    const i = indexAt(spec, new Date(runAt(k).getTime() - (COLLECTION.settleInMinutes + 2) * MINUTES));
    attacks.add(i);
    liveAttacks.push({ run: k, eventId: `5a5a5a5a-0000-4000-8000-${i.toString(16).padStart(12, '0')}` });
  }
  const clock = new VirtualClock(T0);
  const { sim, config, alertsFile } = await backlogTenant(spec, clock, COLLECTION);
  const store = await openStore(clock);
  const { logger } = captureLogger('silent');
  const budgets = new GraphBudgets();
  const runs: ScanSummary[] = [];
  const foundLive: boolean[] = [];
  try {
    for (let k = 0; k < maxRuns; k++) {
      clock.advanceTo(runAt(k));
      const summary = await scanAt(sim, config, store, logger, clock, budgets);
      runs.push(summary);
      const findings = await store.listFindings('contoso', new Date(runAt(k).getTime() - 30 * MINUTES), runAt(k));
      foundLive.push(findings.some((f) => f.finding.eventIds.includes(liveAttacks[k]!.eventId)));
      const backlog = summary.backlog.signIns;
      if (backlog !== undefined && backlog.minutes === 0 && !backlog.stoppedAtDeadline) break;
    }
    const last = runs[runs.length - 1]!;
    const lastRunTo = new Date(last.startedAt.getTime() - COLLECTION.settleInMinutes * MINUTES);
    const aggregates = await store.listAggregates('contoso', '2026-01-01', '2027-12-31');
    const reportTimes = sim.requests.filter((r) => r.path === '/beta/auditLogs/signIns' && r.status === 200).map((r) => r.at.getTime());
    return {
      runs,
      spec,
      liveAttacks: liveAttacks.slice(0, runs.length),
      foundLive,
      judgedBefore: recordsBefore(spec, lastRunTo),
      aggregateTotal: aggregates.reduce((sum, a) => sum + a.count, 0),
      delivered: await deliveredIds(alertsFile),
      reportTimes,
    };
  } finally {
    await store.close();
    await sim.close();
  }
}

function expectWorkedThrough(o: Outcome): void {
  // Figures for the closing note: CREDWATCH_BACKLOG_FIGURES=<file> appends each run's numbers.
  const figures = process.env.CREDWATCH_BACKLOG_FIGURES;
  if (figures)
    appendFileSync(
      figures,
      `${JSON.stringify(o.runs.map((r, i) => ({ run: i, live: o.foundLive[i], seconds: (r.finishedAt.getTime() - r.startedAt.getTime()) / 1000, judged: r.events.newSignIns, backlog: r.backlog.signIns })))}\n`,
    );
  const judged = o.runs.reduce((sum, r) => sum + r.events.newSignIns, 0);
  // Exactly once: more would be a record judged twice, fewer one skipped.
  expect(judged).toBe(o.judgedBefore);
  expect(o.aggregateTotal).toBe(o.judgedBefore);
  expect(o.judgedBefore).toBeGreaterThanOrEqual(RECORDS);
  // The live edge in every run, whatever the backlog.
  expect(o.foundLive.every(Boolean)).toBe(true);
  // Several deadline-bounded runs, each stopped at or just after 10 minutes of simulated time.
  expect(o.runs.length).toBeGreaterThanOrEqual(Math.floor(RECORDS / CEILING_PER_SECOND / (COLLECTION.maxRunMinutes * 60)));
  for (const r of o.runs) expect(r.finishedAt.getTime() - r.startedAt.getTime()).toBeLessThanOrEqual(11 * MINUTES);
  expect(o.runs.slice(0, -1).every((r) => r.errors.some((e) => e.code === 'SIGNINS_BACKLOG'))).toBe(true);
  const last = o.runs[o.runs.length - 1]!;
  expect(last.backlog.signIns).toMatchObject({ minutes: 0, stoppedAtDeadline: false });
  expect(last.sources.find((s) => s.source === 'signIns')).toMatchObject({ status: 'complete' });
  // The backlog shrank from run to run (estimates improve as the pace is learned).
  const minutes = o.runs.map((r) => r.backlog.signIns?.minutes ?? 0);
  for (let i = 1; i < minutes.length; i++) expect(minutes[i]!).toBeLessThan(minutes[i - 1]!);
  // At Graph's ceiling: about records ÷ 500 s of simulated reading, all runs together.
  const readingSeconds = o.runs.reduce((sum, r) => sum + (r.finishedAt.getTime() - r.startedAt.getTime()) / 1000, 0);
  const floor = o.judgedBefore / CEILING_PER_SECOND;
  expect(readingSeconds).toBeGreaterThanOrEqual(floor * 0.95);
  expect(readingSeconds).toBeLessThanOrEqual(floor * 1.25 + o.runs.length * 60);
  // Never more than five report requests in any ten seconds, at the receiver.
  for (let i = 5; i < o.reportTimes.length; i++) expect(o.reportTimes[i]! - o.reportTimes[i - 5]!).toBeGreaterThanOrEqual(10_000);
  // Every alert notified once: ten backlog attacks and one per run, each from its own network.
  expect(new Set(o.delivered).size).toBe(o.delivered.length);
  expect(o.delivered.length).toBeGreaterThanOrEqual(10 + o.runs.length);
}

describe(`a backlog of ${RECORDS.toLocaleString('en-US')} sign-ins on a virtual clock`, () => {
  it('is worked through in the SQLite store', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'credwatch-backlog-'));
    try {
      expectWorkedThrough(await workThrough(async (clock) => SqliteStateStore.open(join(dir, 'state.db'), { now: clock.now })));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 1_800_000);

  it('is worked through in the Azure Table store', async () => {
    expectWorkedThrough(await workThrough(async (clock) => openTableStore(azurite!, `backlog${Date.now()}`, { now: clock.now })));
  }, 1_800_000);
});
