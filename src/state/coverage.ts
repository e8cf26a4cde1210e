/**
 * Covered time of a log stream: the half-open intervals `[fromMs, toMs)` whose records credwatch
 * has read, judged and committed, and will not read again (docs/state.md, "Covered intervals").
 * Every store keeps them as a sorted list of disjoint, non-touching intervals and adds a commit's
 * intervals by union, which is commutative and idempotent: two workers committing at once, or a
 * journal applied twice, end with the same list.
 */
import { CredwatchError } from '../errors.js';
import type { TimeInterval } from './types.js';

/** An interval as the stores keep it: epoch ms, `fromMs < toMs`. */
export interface MsInterval {
  fromMs: number;
  toMs: number;
}

/**
 * More intervals than this means the coverage is fragmented beyond anything slices produce (each
 * run adds touching intervals, which merge); the oldest are merged into one so a stream's row stays
 * small. Merging only ever covers more time, never less: a hole swallowed this way is old enough
 * that its loss was already reported, or it would be read again (see the caller's retention check).
 */
export const MAX_INTERVALS = 500;

/** Sorted, disjoint, touching ones joined; empty intervals dropped. */
export function mergeIntervals(list: readonly MsInterval[]): MsInterval[] {
  const sorted = list.filter((i) => i.toMs > i.fromMs).sort((a, b) => a.fromMs - b.fromMs || a.toMs - b.toMs);
  const out: MsInterval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && i.fromMs <= last.toMs) last.toMs = Math.max(last.toMs, i.toMs);
    else out.push({ fromMs: i.fromMs, toMs: i.toMs });
  }
  return out;
}

/** `stored ∪ added`, bounded to {@link MAX_INTERVALS}. */
export function unionIntervals(stored: readonly MsInterval[], added: readonly MsInterval[]): MsInterval[] {
  const merged = mergeIntervals([...stored, ...added]);
  if (merged.length <= MAX_INTERVALS) return merged;
  const excess = merged.length - MAX_INTERVALS;
  const head = { fromMs: merged[0]!.fromMs, toMs: merged[excess]!.toMs };
  return [head, ...merged.slice(excess + 1)];
}

/** A commit's intervals, validated: finite ms, `from < to`. */
export function encodeIntervals(list: readonly TimeInterval[] | undefined): MsInterval[] {
  return (list ?? []).map((i, n) => {
    const fromMs = i.from instanceof Date ? i.from.getTime() : NaN;
    const toMs = i.to instanceof Date ? i.to.getTime() : NaN;
    if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || fromMs >= toMs) {
      throw new CredwatchError('STATE_INVALID_INPUT', `commit.covered[${n}] is not an interval with from < to`, { details: { index: n } });
    }
    return { fromMs, toMs };
  });
}

/** Stored JSON back to intervals; STATE_CORRUPT when it is not what a store wrote. */
export function parseIntervals(json: string, what: string): MsInterval[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    value = undefined;
  }
  if (!Array.isArray(value) || !value.every((v) => Array.isArray(v) && v.length === 2 && v.every((n) => Number.isSafeInteger(n)))) {
    throw new CredwatchError('STATE_CORRUPT', `${what}: stored covered intervals are not a list of [from, to] pairs`, { details: { what } });
  }
  return (value as Array<[number, number]>).map(([fromMs, toMs]) => ({ fromMs, toMs }));
}

/** Intervals as stored: `[[from, to], …]`. */
export function stringifyIntervals(list: readonly MsInterval[]): string {
  return JSON.stringify(list.map((i) => [i.fromMs, i.toMs]));
}

/** Store intervals as the API's dates. */
export function toTimeIntervals(list: readonly MsInterval[]): TimeInterval[] {
  return list.map((i) => ({ from: new Date(i.fromMs), to: new Date(i.toMs) }));
}

/** The intervals with everything from `toMs` on removed (a stream moved back: `StateStore.rewindStream`). */
export function clipIntervals(list: readonly MsInterval[], toMs: number): MsInterval[] {
  return list.filter((i) => i.fromMs < toMs).map((i) => ({ fromMs: i.fromMs, toMs: Math.min(i.toMs, toMs) }));
}
