/**
 * Flattening overlapping ranges into sorted, disjoint segments, each listing every range that
 * covers it. That is what lets the matcher binary-search one array and still answer "which
 * allowlist entries contain this address" exactly — a merged /16 must not claim an address for a
 * /24 inside it that does not hold it. Runs once per build, so bigints are fine here.
 */
import type { RangeProvenance } from '../events.js';

/** A range with where it came from. */
export interface SegmentInput {
  readonly first: bigint;
  readonly last: bigint;
  readonly provenance: RangeProvenance;
}

/** A run of addresses covered by the same ranges; `covering` lists the most specific first. */
export interface Segment {
  readonly first: bigint;
  readonly last: bigint;
  readonly covering: readonly RangeProvenance[];
}

/**
 * Sweeps the ranges in order. CIDR blocks are laminar (two blocks are nested or disjoint), so the
 * ranges open at any address form a chain and a stack is enough: no interval tree.
 */
export function toSegments(inputs: readonly SegmentInput[]): Segment[] {
  const sorted = [...inputs].sort((a, b) => (a.first !== b.first ? (a.first < b.first ? -1 : 1) : a.last > b.last ? -1 : a.last < b.last ? 1 : 0));
  const segments: Segment[] = [];
  const open: SegmentInput[] = [];
  let cursor = 0n;

  const emit = (last: bigint): void => {
    if (cursor > last || open.length === 0) return;
    // Innermost first: the most specific range is the most useful one to show in an alert.
    const covering = Object.freeze(open.map((r) => r.provenance).reverse());
    const previous = segments[segments.length - 1];
    if (previous && previous.last + 1n === cursor && sameCovering(previous.covering, covering)) {
      segments[segments.length - 1] = { first: previous.first, last, covering: previous.covering };
    } else {
      segments.push({ first: cursor, last, covering });
    }
    cursor = last + 1n;
  };
  const closeBefore = (address: bigint): void => {
    for (let top = open[open.length - 1]; top && top.last < address; top = open[open.length - 1]) {
      emit(top.last);
      open.pop();
    }
  };

  for (const range of sorted) {
    closeBefore(range.first);
    emit(range.first - 1n);
    if (cursor < range.first) cursor = range.first;
    open.push(range);
  }
  closeBefore(1n << 128n);
  return segments;
}

function sameCovering(a: readonly RangeProvenance[], b: readonly RangeProvenance[]): boolean {
  return a.length === b.length && a.every((p, i) => p === b[i]);
}
