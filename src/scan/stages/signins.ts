/**
 * The sign-in stage: service-principal sign-ins, read as slices of log time (src/scan/slices.ts,
 * docs/state.md "Covered intervals"). The live edge first, so a fresh attack is seen whatever the
 * backlog; then unread time oldest first, until the run's deadline (`collection.maxRunMinutes`).
 * Each slice is judged and committed whole — its findings, alerts, outbox entries, aggregates,
 * learned networks, the seen ids of what may be read again, and its time as covered — so memory is
 * bounded by a slice's findings and a crash or a deadline repeats at most the slice in flight.
 */
import type { ScanError, SignInEvent } from '../../contract.js';
import type { RuleContext } from '../../rules/types.js';
import { mergeIntervals, type MsInterval } from '../../state/coverage.js';
import { commitBatch, type CommitContext } from '../commit.js';
import { RuleErrors } from '../rules-run.js';
import {
  isGrowing,
  observeDensity,
  readPace,
  recordsIn,
  SLICE_MAX_RECORDS,
  SLICE_TARGET_RECORDS,
  spanFor,
  writePace,
  CEILING_RECORDS_PER_SECOND,
  GROWING_RUNS,
  type Pace,
} from '../pace.js';
import { backlogOf, finalPart, lengthOf, planRead, putBack, runTimes, takeLiveEdge, takeOldest, type RunTimes } from '../slices.js';
import { describeBacklog, type BacklogReport } from '../backlog.js';
import { latest, rewindIfAhead } from '../clock.js';
import { RETENTION_IN_DAYS } from '../window.js';
import { openSeenIds } from './signin-seen.js';
import { readSlice, type SliceRead, type SliceReader } from './signin-slice.js';
import { commitContext, stageFailed, type JudgedReport, type ReadingRun } from './stage.js';

const STREAM = 'signIns';
const DAY = 86_400_000;
/** Findings a slice holds before they are stored ahead of the slice's end (see SliceReader.flushFindings). */
const FLUSH_FINDINGS = 2_000;

export type { BacklogReport } from '../backlog.js';

/** What the sign-in stage read, judged and stored. */
export interface SignInStageResult extends JudgedReport {
  events: { signIns: number; newSignIns: number; quarantined: number };
  /** Undefined when the stage failed before it could plan. */
  backlog: BacklogReport | undefined;
}

/** Progress after each page, for a counter on a terminal. */
export type PageProgress = (p: { stream: string; pages: number; events: number }) => void;

/** How the stage judges when part of what it needs is missing, and its clock. */
export interface SignInStageOptions {
  progress?: PageProgress;
  /**
   * True when no inventory could be read and none is kept from an earlier scan: no sign-in can be
   * attributed to its vendor or its mailbox reach, so every one waits for a scan that can.
   */
  noInventory?: boolean;
  /** The clock the deadline is read on (the scan's injected clock); default: real time elapsed since `run.now`. */
  clock?: () => Date;
}

/** One run of the stage: what it has read so far and how fast. */
interface Progress {
  events: SignInStageResult['events'];
  /** Sign-ins not judged yet, by why (a vendor's unknown allowlist, no inventory). */
  deferred: Map<string, number>;
  /** Slices read whose time stays unread because something in them was deferred. */
  leftOpen: MsInterval[];
  recordsPerHour: number | undefined;
  /** Records and ms spent reading them, this run. */
  readRecords: number;
  readMs: number;
  pages: number;
}

/**
 * Plans, reads, judges and commits the sign-ins of this run. Counts of the slices read before a
 * failure are kept, and so is everything those slices committed.
 */
export async function signInStage(run: ReadingRun, context: RuleContext, options: SignInStageOptions = {}): Promise<SignInStageResult> {
  // Without the scan's clock, real time elapsed since the scan began, counted from its start.
  const startedReal = Date.now();
  const clock = options.clock ?? (() => new Date(run.now.getTime() + Date.now() - startedReal));
  const collection = run.config.collection;
  const t = runTimes(run.now.getTime(), collection, RETENTION_IN_DAYS);
  const commit = commitContext(run);
  const ruleErrors = new RuleErrors();
  const p: Progress = {
    events: { signIns: 0, newSignIns: 0, quarantined: 0 },
    deferred: new Map(),
    leftOpen: [],
    recordsPerHour: undefined,
    readRecords: 0,
    readMs: 0,
    pages: 0,
  };
  const errors: ScanError[] = [];
  let backlog: BacklogReport | undefined;
  let status: { status: 'complete' | 'partial'; errorCode?: string; message?: string } = { status: 'complete' };
  try {
    const recorded = await Promise.all([run.store.getCoverage(run.tenant.name, STREAM), run.store.getWatermark(run.tenant.name, STREAM)]);
    // A clock that ran ahead once recorded time as read before its records existed: moved back first.
    const rewind = await rewindIfAhead(
      run.store,
      run.tenant.name,
      STREAM,
      latest(recorded[0].at(-1)?.to.getTime(), recorded[1]?.getTime()),
      run.now,
      collection,
    );
    errors.push(...rewind.errors);
    const [covered, watermark, pace] = await Promise.all([
      rewind.to ? run.store.getCoverage(run.tenant.name, STREAM) : recorded[0],
      rewind.to ? run.store.getWatermark(run.tenant.name, STREAM) : recorded[1],
      readPace(run.store, run.tenant.name),
    ]);
    p.recordsPerHour = pace.recordsPerHour;
    const plan = planRead(
      covered.map((c) => ({ fromMs: c.from.getTime(), toMs: c.to.getTime() })),
      watermark?.getTime(),
      t,
      collection.backfillInDays,
      collection.overlapInMinutes * 60_000,
    );
    for (const gap of plan.lost) errors.push(lostError(gap));
    if (plan.adopt.length + plan.lost.length > 0) {
      // Recorded first: the backfill's start, an earlier release's watermark, and time the log no
      // longer holds (reported once, above) are not read.
      await commitBatch(commit, run.tenant.name, STREAM, [], { covered: toDates([...plan.adopt, ...plan.lost]), seenExpiresAt: run.seenExpiresAt });
    }
    const reader: SliceReader = {
      tenant: run.tenant.name,
      graph: run.graph,
      context,
      rules: run.rules,
      logger: run.logger,
      ruleErrors,
      seen: await openSeenIds(run.store, run.tenant.name, STREAM, run.now, watermark),
      deferral: deferralOf(context, options.noInventory === true),
      clock,
      deadlineMs: run.now.getTime() + collection.maxRunMinutes * 60_000,
      maxRecords: pace.recordsPerHour === undefined ? SLICE_TARGET_RECORDS : SLICE_MAX_RECORDS,
      flushFindings: FLUSH_FINDINGS,
      flush: (part) => flushPart(run, commit, p, part),
      onPage: (records) => {
        p.pages += 1;
        p.events.signIns += records;
        options.progress?.({ stream: STREAM, pages: p.pages, events: p.events.signIns });
      },
    };
    const unread = plan.unread;
    const stoppedAtDeadline = await readUnread(run, reader, commit, p, unread, t);
    const remaining = mergeIntervals([...unread, ...p.leftOpen]);
    const pending = backlogOf(remaining, t);
    const backlogMs = lengthOf(pending);
    const readPerSecond = p.readMs >= 1_000 && p.readRecords > 0 ? p.readRecords / (p.readMs / 1_000) : pace.readPerSecond;
    const next: Pace = { recordsPerHour: p.recordsPerHour, readPerSecond, backlogMs: [...pace.backlogMs, backlogMs] };
    await writePace(run.store, run.tenant.name, next, run.now);
    backlog = backlogReport(pending, next, stoppedAtDeadline);
    if (backlog.growing) {
      status = { status: 'partial', errorCode: 'SIGNINS_BACKLOG_GROWING', message: growingMessage(backlog) };
      errors.push({ stage: STREAM, code: 'SIGNINS_BACKLOG_GROWING', message: growingMessage(backlog) });
    } else if (stoppedAtDeadline && backlogMs > 0) {
      status = { status: 'partial', errorCode: 'SIGNINS_BACKLOG', message: backlogMessage(backlog, collection.maxRunMinutes) };
      errors.push({ stage: STREAM, code: 'SIGNINS_BACKLOG', message: backlogMessage(backlog, collection.maxRunMinutes) });
    }
  } catch (e: unknown) {
    const failed = stageFailed(run, STREAM, e);
    return {
      sources: failed.sources,
      errors: [...errors, ...failed.errors, ...deferredErrors(p)],
      tally: commit.tally,
      ruleErrors: ruleErrors.list(),
      events: p.events,
      backlog,
    };
  }
  const deferred = [...p.deferred.values()].reduce((a, b) => a + b, 0);
  const judgedAll = p.events.signIns - deferred;
  // Time lost or read again after a bad clock outranks a backlog: collection-failing names it.
  const worst = errors.find((e) => e.code === 'DATA_GAP') ?? errors.find((e) => e.code === 'WATERMARK_IN_FUTURE');
  if (worst) status = { status: 'partial', errorCode: worst.code, message: worst.message };
  const source =
    deferred > 0
      ? { source: STREAM, status: 'partial' as const, items: judgedAll, message: `${deferred} sign-ins left for a later scan; their time stays unread` }
      : { source: STREAM, ...status, items: p.events.signIns };
  return { sources: [source], errors: [...errors, ...deferredErrors(p)], tally: commit.tally, ruleErrors: ruleErrors.list(), events: p.events, backlog };
}

/**
 * The live edge, then unread time oldest first, slice by slice, while the next slice is expected
 * to finish before the deadline. Returns true when it stopped with time left to read.
 */
async function readUnread(run: ReadingRun, reader: SliceReader, commit: CommitContext, p: Progress, unread: MsInterval[], t: RunTimes): Promise<boolean> {
  // The live edge until it is read: a first slice that held too much shows the density, and the
  // edge is taken again, narrower, before anything older.
  for (;;) {
    const live = takeLiveEdge(unread, t.runToMs, spanFor(p.recordsPerHour));
    if (live === undefined) break;
    const outcome = await readAndCommit(run, reader, commit, p, live, t, unread);
    if (outcome === 'deadline') return true;
    if (outcome === 'done') break;
  }
  for (;;) {
    if (unread.length === 0) return false;
    const span = spanFor(p.recordsPerHour);
    const expectedMs = expectedReadMs(p, span);
    if (reader.clock().getTime() + expectedMs > reader.deadlineMs) return true;
    const slice = takeOldest(unread, span);
    if (slice === undefined) return false;
    if ((await readAndCommit(run, reader, commit, p, slice, t, unread)) === 'deadline') return true;
  }
}

/** How long a slice of `spanMs` is expected to take to read, at this run's rate (or Graph's ceiling). */
function expectedReadMs(p: Progress, spanMs: number): number {
  const records = recordsIn(spanMs, p.recordsPerHour) ?? 0;
  const rate = p.readMs >= 1_000 && p.readRecords > 0 ? p.readRecords / (p.readMs / 1_000) : CEILING_RECORDS_PER_SECOND;
  return (records / rate) * 1_000;
}

/**
 * Reads one slice and commits it whole, or puts it back unread when it stopped (deadline, or too
 * many records: then the density it showed shrinks the next slices).
 */
async function readAndCommit(
  run: ReadingRun,
  reader: SliceReader,
  commit: CommitContext,
  p: Progress,
  slice: MsInterval,
  t: RunTimes,
  unread: MsInterval[],
): Promise<'done' | 'deadline' | 'oversize'> {
  const started = reader.clock().getTime();
  const read = await readSlice(reader, slice);
  p.readMs += reader.clock().getTime() - started;
  p.readRecords += read.records;
  // A first slice may hold only the target; once a density is known slices may hold more.
  reader.maxRecords = SLICE_MAX_RECORDS;
  const spanMs = slice.toMs - slice.fromMs;
  if (read.stopped !== undefined) {
    // Nothing of it was stored; what it read counts only as reading done.
    p.events.signIns -= read.records - read.quarantined;
    putBack(unread, slice);
    if (read.stopped === 'oversize') {
      // Graph returns a window newest first, so the records read span `[oldest read, to)`: their
      // density sizes the next slices. In another order the estimate is only lower, and a second
      // stop corrects it again.
      const readSpanMs = Math.max(1, slice.toMs - (read.oldestMs ?? slice.fromMs));
      p.recordsPerHour = Math.max(p.recordsPerHour ?? 0, (read.records / readSpanMs) * 3_600_000);
    }
    return read.stopped;
  }
  p.recordsPerHour = observeDensity(p.recordsPerHour, read.records, spanMs);
  p.events.quarantined += read.quarantined;
  p.events.newSignIns += read.judged.length;
  await commitSlice(run, commit, p, slice, read, t);
  return 'done';
}

/**
 * Commits a slice. Its final part becomes covered — unless something in it was deferred: then its
 * time stays unread, every sign-in judged now keeps its seen id until the log's retention ends,
 * and later scans read it again and judge only what waited. Otherwise only the sign-ins in time
 * that is not final yet keep seen ids: covered time is never read again.
 */
async function commitSlice(run: ReadingRun, commit: CommitContext, p: Progress, slice: MsInterval, read: SliceRead, t: RunTimes): Promise<void> {
  const deferredHere = [...read.deferred.values()].reduce((a, b) => a + b, 0);
  for (const [why, n] of read.deferred) p.deferred.set(why, (p.deferred.get(why) ?? 0) + n);
  const final = deferredHere === 0 ? finalPart(slice, t) : undefined;
  if (deferredHere > 0) p.leftOpen.push(slice);
  const keep = deferredHere > 0 ? read.judged : read.judged.filter((j) => j.createdAtMs >= t.finalBeforeMs);
  await commitBatch(commit, run.tenant.name, STREAM, read.findings, {
    seenIds: keep.map((j) => j.key),
    seenExpiresAt: deferredHere > 0 ? new Date(t.nowMs + (RETENTION_IN_DAYS + 1) * DAY) : run.seenExpiresAt,
    aggregates: read.aggregates,
    learnedNetworks: read.learned,
    ...(final ? { covered: toDates([final]) } : {}),
    ...(slice.toMs === t.runToMs ? { watermark: new Date(slice.toMs) } : {}),
  });
}

/**
 * Stores part of a slice before its end: its findings, alerts, aggregates and learned networks,
 * and the seen ids of every sign-in judged in it (the slice is not covered yet, so it may be read
 * again, and then those are skipped). Kept until the retention ends, like a deferred slice's.
 */
async function flushPart(run: ReadingRun, commit: CommitContext, p: Progress, part: SliceRead): Promise<void> {
  p.events.newSignIns += part.judged.length;
  await commitBatch(commit, run.tenant.name, STREAM, part.findings, {
    seenIds: part.judged.map((j) => j.key),
    seenExpiresAt: new Date(run.now.getTime() + (RETENTION_IN_DAYS + 1) * DAY),
    aggregates: part.aggregates,
    learnedNetworks: part.learned,
  });
}

function toDates(list: readonly MsInterval[]): Array<{ from: Date; to: Date }> {
  return list.map((i) => ({ from: new Date(i.fromMs), to: new Date(i.toMs) }));
}

const NO_INVENTORY = '\u0000no inventory';

/** Why a sign-in cannot be judged now, or undefined when it can. */
function deferralOf(context: RuleContext, noInventory: boolean): (e: SignInEvent) => string | undefined {
  return (e) => {
    if (noInventory) return NO_INVENTORY;
    const view = context.allowlist(context.app(e.appId), e.appId);
    return view.status === 'unknown' ? view.vendor : undefined;
  };
}

/**
 * Said out loud: sign-ins that could not be judged were neither cleared nor flagged; their time
 * stays unread, and the first scan that can judge them does.
 */
function deferredErrors(p: Progress): ScanError[] {
  return [...p.deferred].map(([why, count]) =>
    why === NO_INVENTORY
      ? {
          stage: STREAM,
          code: 'SIGNINS_DEFERRED',
          message: `${count} sign-ins were NOT checked yet: no inventory could be read, so their vendors and mailbox reach are unknown; they are judged by the first scan that reads the inventory`,
        }
      : {
          stage: STREAM,
          code: 'ALLOWLIST_SOURCE_FAILED',
          message: `${count} sign-ins of ${why}'s apps were NOT checked yet: no allowlist source of ${why} could be read; they are judged by the first scan that reads one`,
        },
  );
}

function lostError(gap: MsInterval): ScanError {
  return {
    stage: STREAM,
    code: 'DATA_GAP',
    message: `sign-ins from ${new Date(gap.fromMs).toISOString()} to ${new Date(gap.toMs).toISOString()} were never read and are beyond the log's ${RETENTION_IN_DAYS}-day retention: they could not be checked`,
  };
}

function backlogReport(pending: readonly MsInterval[], pace: Pace, stoppedAtDeadline: boolean): BacklogReport {
  const ms = lengthOf(pending);
  const estimatedRecords = recordsIn(ms, pace.recordsPerHour);
  const rate = pace.readPerSecond ?? CEILING_RECORDS_PER_SECOND;
  return {
    minutes: Math.round(ms / 60_000),
    intervals: pending.length,
    oldest: pending[0] ? new Date(pending[0].fromMs) : undefined,
    estimatedRecords,
    estimatedMinutes: estimatedRecords === undefined ? undefined : Math.ceil(estimatedRecords / rate / 60),
    stoppedAtDeadline,
    growing: isGrowing(pace.backlogMs),
  };
}

function backlogMessage(b: BacklogReport, maxRunMinutes: number): string {
  return `stopped at the ${maxRunMinutes}-minute run deadline after the newest sign-ins: ${describeBacklog(b)}; the next scans continue`;
}

function growingMessage(b: BacklogReport): string {
  return `the sign-in backlog grew in each of the last ${GROWING_RUNS} scans: ${describeBacklog(b)}; the tenant logs sign-ins faster than one app can read them (scan more often, raise maxRunMinutes, or see docs/deploy-azure.md)`;
}
