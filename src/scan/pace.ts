/**
 * How fast a tenant's sign-in log fills and how fast credwatch reads it: what sizes the slices and
 * estimates how long a backlog takes. Kept per tenant in the store's cache (`pace:signIns:<tenant>`)
 * after each run. It is advice, not state: lost or stale, slices are merely sized worse, and
 * nothing is read twice or skipped because of it.
 */
import type { StateStore } from '../state/types.js';

/** Records a slice aims at: 20 pages, about 40 s at Graph's report ceiling, and the most a crash re-reads. */
export const SLICE_TARGET_RECORDS = 20_000;
/**
 * A slice that grows past this many records is given up and read again in smaller slices, sized
 * by the density its records showed. While a tenant's density is unknown its first slice spans all
 * unread time (a quiet tenant's whole backfill is one read) and may only hold the target.
 */
export const SLICE_MAX_RECORDS = 5 * SLICE_TARGET_RECORDS;
const MIN_SPAN_MS = 60_000;
/** The log's retention and a day: a quiet tenant reads all it has in one slice. */
const MAX_SPAN_MS = 31 * 86_400_000;
const FIRST_SPAN_MS = MAX_SPAN_MS;
/**
 * Records per second when nothing was measured yet: Graph's ceiling for reports, 5 requests per
 * 10 s per app per tenant (https://learn.microsoft.com/graph/throttling-limits#identity-and-access-reports-service-limits)
 * of 1,000 sign-ins each.
 */
export const CEILING_RECORDS_PER_SECOND = 500;
/** Runs in a row whose backlog grew before credwatch calls the sign-in source failing. */
export const GROWING_RUNS = 3;
const HISTORY = 10;

export interface Pace {
  /** Sign-ins per hour of log time, from the slices read last. */
  recordsPerHour: number | undefined;
  /** Sign-ins read per second of run time, last run. */
  readPerSecond: number | undefined;
  /** The backlog (ms of log time) left by each of the last runs, oldest first. */
  backlogMs: number[];
}

const EMPTY: Pace = { recordsPerHour: undefined, readPerSecond: undefined, backlogMs: [] };

function cacheKey(tenant: string): string {
  return `pace:signIns:${tenant}`;
}

function positive(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
}

/** The kept pace, or an empty one when none is kept or it cannot be read as one. */
export async function readPace(store: Pick<StateStore, 'getCache'>, tenant: string): Promise<Pace> {
  const kept = await store.getCache(cacheKey(tenant));
  if (!kept) return { ...EMPTY, backlogMs: [] };
  try {
    const v = JSON.parse(kept.body) as Partial<Record<keyof Pace, unknown>>;
    const history = Array.isArray(v.backlogMs) ? v.backlogMs.filter((n): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0) : [];
    return { recordsPerHour: positive(v.recordsPerHour), readPerSecond: positive(v.readPerSecond), backlogMs: history.slice(-HISTORY) };
  } catch {
    return { ...EMPTY, backlogMs: [] };
  }
}

export async function writePace(store: Pick<StateStore, 'putCache'>, tenant: string, pace: Pace, now: Date): Promise<void> {
  await store.putCache(cacheKey(tenant), { body: JSON.stringify({ ...pace, backlogMs: pace.backlogMs.slice(-HISTORY) }), fetchedAt: now });
}

/** The span of log time expected to hold {@link SLICE_TARGET_RECORDS}. */
export function spanFor(recordsPerHour: number | undefined): number {
  if (recordsPerHour === undefined) return FIRST_SPAN_MS;
  const span = (SLICE_TARGET_RECORDS / recordsPerHour) * 3_600_000;
  return Math.round(Math.min(MAX_SPAN_MS, Math.max(MIN_SPAN_MS, span)));
}

/** Records expected in `ms` of log time (undefined while the pace is unknown). */
export function recordsIn(ms: number, recordsPerHour: number | undefined): number | undefined {
  return recordsPerHour === undefined ? undefined : Math.round((ms / 3_600_000) * recordsPerHour);
}

/** Blends a slice's observed density into the estimate, leaning on the newest slice. */
export function observeDensity(recordsPerHour: number | undefined, records: number, spanMs: number): number | undefined {
  if (spanMs <= 0) return recordsPerHour;
  // A slice that held nothing still says the log is thin there; a floor keeps spans finite.
  const seen = Math.max(1, records) / (spanMs / 3_600_000);
  return recordsPerHour === undefined ? seen : 0.5 * recordsPerHour + 0.5 * seen;
}

/** True when the backlog grew at each of the last {@link GROWING_RUNS} runs. */
export function isGrowing(backlogMs: readonly number[]): boolean {
  if (backlogMs.length < GROWING_RUNS + 1) return false;
  const tail = backlogMs.slice(-(GROWING_RUNS + 1));
  return tail.every((v, i) => i === 0 || v > tail[i - 1]!);
}
