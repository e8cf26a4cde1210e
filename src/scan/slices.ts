/**
 * What a sign-in scan reads, as time (docs/state.md, "Covered intervals"). The store keeps the log
 * time already read for good; everything else in the log's retention up to `now − settle` is still
 * to read. A run reads the live edge first — the newest slice, so a fresh attack is seen within one
 * scan interval whatever the backlog — then the rest oldest first (the oldest is the first the
 * log's retention takes), one slice at a time, each sized to hold about the same number of records.
 *
 * Time is read as half-open intervals `[from, to)` in epoch ms. A read of time is *final* once
 * `to <= runTo − overlap`: by then records had settle + overlap to arrive late. Later time is read
 * but stays uncovered, so the next runs read it again until it is final (the overlap re-read);
 * the seen ids of what was judged there make the repeats harmless.
 *
 * Everything here is pure.
 */
import type { MsInterval } from '../state/coverage.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** The times one run works with, in epoch ms. */
export interface RunTimes {
  nowMs: number;
  /** `now − settle`: the newest time this run reads. */
  runToMs: number;
  /** `runTo − overlap`: time before this is final when read now. */
  finalBeforeMs: number;
  /** `now − retention`: older records are gone from the log. */
  retentionStartMs: number;
}

/** The run's times from the clock and the collection settings. */
export function runTimes(nowMs: number, c: { settleInMinutes: number; overlapInMinutes: number }, retentionInDays: number): RunTimes {
  const runToMs = nowMs - c.settleInMinutes * MINUTE;
  return { nowMs, runToMs, finalBeforeMs: runToMs - c.overlapInMinutes * MINUTE, retentionStartMs: nowMs - retentionInDays * DAY };
}

/** What to read, and what to record before reading. */
export interface ReadPlan {
  /**
   * Time to record as covered without reading it: before the first scan's backfill start (never
   * wanted), or everything a watermark of an earlier release already read for good.
   */
  adopt: MsInterval[];
  /** Uncovered time older than the log's retention: lost, reported as DATA_GAP, then recorded as covered. */
  lost: MsInterval[];
  /** Uncovered time left to read, oldest first, within `[retentionStart, runTo)`. */
  unread: MsInterval[];
}

/** `range` minus `covered` (sorted, disjoint). */
export function subtract(range: MsInterval, covered: readonly MsInterval[]): MsInterval[] {
  const out: MsInterval[] = [];
  let cursor = range.fromMs;
  for (const c of covered) {
    if (c.toMs <= cursor) continue;
    if (c.fromMs >= range.toMs) break;
    if (c.fromMs > cursor) out.push({ fromMs: cursor, toMs: c.fromMs });
    cursor = Math.max(cursor, c.toMs);
  }
  if (cursor < range.toMs) out.push({ fromMs: cursor, toMs: range.toMs });
  return out;
}

/**
 * The plan for a stream with `covered` time. A stream never read starts at its backfill; a stream
 * an earlier release read up to `watermark` (one window, no intervals) counts as covered up to
 * `watermark − overlap`, which that release re-read itself and kept seen ids for.
 */
export function planRead(covered: readonly MsInterval[], watermarkMs: number | undefined, t: RunTimes, backfillInDays: number, overlapMs: number): ReadPlan {
  const adopt: MsInterval[] = [];
  let known = [...covered];
  if (known.length === 0) {
    const end = watermarkMs === undefined ? Math.max(t.retentionStartMs, t.nowMs - backfillInDays * DAY) : watermarkMs - overlapMs;
    if (end > 0) adopt.push({ fromMs: 0, toMs: end });
    known = adopt;
  }
  const lost = subtract({ fromMs: known[0]?.fromMs ?? 0, toMs: t.retentionStartMs }, known);
  const unread = t.runToMs > t.retentionStartMs ? subtract({ fromMs: t.retentionStartMs, toMs: t.runToMs }, known) : [];
  return { adopt, lost, unread };
}

/**
 * Takes the live edge out of `unread`: the newest unread time ending at `runTo`, at most `spanMs`
 * long. Undefined when the newest time is already covered (a clock that went back).
 */
export function takeLiveEdge(unread: MsInterval[], runToMs: number, spanMs: number): MsInterval | undefined {
  const last = unread[unread.length - 1];
  if (last === undefined || last.toMs !== runToMs) return undefined;
  const slice = { fromMs: Math.max(last.fromMs, runToMs - spanMs), toMs: runToMs };
  if (slice.fromMs === last.fromMs) unread.pop();
  else last.toMs = slice.fromMs;
  return slice;
}

/** Takes the oldest slice, at most `spanMs` long, out of `unread`. */
export function takeOldest(unread: MsInterval[], spanMs: number): MsInterval | undefined {
  const first = unread[0];
  if (first === undefined) return undefined;
  const slice = { fromMs: first.fromMs, toMs: Math.min(first.toMs, first.fromMs + Math.max(1, spanMs)) };
  if (slice.toMs === first.toMs) unread.shift();
  else first.fromMs = slice.toMs;
  return slice;
}

/** Puts a slice that was not finished back, in time order. */
export function putBack(unread: MsInterval[], slice: MsInterval): void {
  unread.push(slice);
  unread.sort((a, b) => a.fromMs - b.fromMs);
  for (let i = unread.length - 1; i > 0; i--) {
    const prev = unread[i - 1]!;
    const cur = unread[i]!;
    if (cur.fromMs <= prev.toMs) {
      prev.toMs = Math.max(prev.toMs, cur.toMs);
      unread.splice(i, 1);
    }
  }
}

/** The part of a read slice that becomes covered: what is final now. */
export function finalPart(slice: MsInterval, t: RunTimes): MsInterval | undefined {
  const toMs = Math.min(slice.toMs, t.finalBeforeMs);
  return toMs > slice.fromMs ? { fromMs: slice.fromMs, toMs } : undefined;
}

/** Unread time that should be final by now: the backlog (the overlap still to re-read is not). */
export function backlogOf(unread: readonly MsInterval[], t: RunTimes): MsInterval[] {
  return unread.flatMap((u) => (u.fromMs < t.finalBeforeMs ? [{ fromMs: u.fromMs, toMs: Math.min(u.toMs, t.finalBeforeMs) }] : []));
}

/** Total length of the intervals, ms. */
export function lengthOf(list: readonly MsInterval[]): number {
  return list.reduce((sum, i) => sum + (i.toMs - i.fromMs), 0);
}
