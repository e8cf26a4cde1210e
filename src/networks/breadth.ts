/**
 * How much of the IPv4 and IPv6 address space a set of ranges allows, and which limits it breaks.
 *
 * Counted the way the matcher matches (range-set.ts), so the number is what the allowlist really
 * lets through: a range written in the IPv4-mapped space (`::ffff:0:0/104`) was already read as
 * IPv4 by parseCidr, and an IPv6 range holding all of `::ffff:0:0/96` (`::/0`, `::/80`) lets every
 * IPv4 address match, so it counts as 100 % of IPv4 too. Overlaps are merged before counting, and
 * shares are compared exactly with bigints: 1 % of IPv6 is not a number a double holds exactly.
 * Runs once per source per resolution, so sorting and bigints are fine here.
 */
import type { BreadthLimits } from '../config/breadth-limits.js';
import { coversMappedSpace, type ParsedCidr } from './cidr.js';

/** One range as counted for a family: its bounds, its prefix in that family, and how to name it. */
interface Counted {
  readonly first: bigint;
  readonly last: bigint;
  readonly prefix: number;
  readonly cidr: string;
}

/** What a source allows of one address family. */
export interface FamilyCoverage {
  readonly family: 4 | 6;
  /** Addresses allowed, each counted once however many ranges hold it. */
  readonly addresses: bigint;
  /** The same as a share of the family's space in percent, for display (comparisons use `addresses`). */
  readonly percent: number;
  /** Every range counted, widest (shortest prefix) first. */
  readonly ranges: readonly { readonly prefix: number; readonly cidr: string }[];
}

/** What a source allows of both families. */
export interface Coverage {
  readonly ipv4: FamilyCoverage;
  readonly ipv6: FamilyCoverage;
}

const BITS = { 4: 32, 6: 128 } as const;
const ALL_IPV4 = 0xffffffffn;
/** How many ranges a message names before saying how many there are instead. */
const NAMED_RANGES = 3;

/** The coverage of `ranges`, as the matcher would match them. */
export function coverageOf(ranges: readonly ParsedCidr[]): Coverage {
  const v4: Counted[] = [];
  const v6: Counted[] = [];
  for (const r of ranges) {
    (r.family === 4 ? v4 : v6).push({ first: r.first, last: r.last, prefix: r.prefix, cidr: r.cidr });
    // The matcher adds 0.0.0.0/0 for such a range (mapped addresses are looked up as IPv4): count it.
    if (coversMappedSpace(r)) v4.push({ first: 0n, last: ALL_IPV4, prefix: 0, cidr: `${r.cidr} (holds ::ffff:0:0/96)` });
  }
  return { ipv4: familyCoverage(4, v4), ipv6: familyCoverage(6, v6) };
}

function familyCoverage(family: 4 | 6, counted: Counted[]): FamilyCoverage {
  const sorted = [...counted].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  let addresses = 0n;
  let open: { first: bigint; last: bigint } | undefined;
  for (const { first, last } of sorted) {
    if (open && first <= open.last + 1n) {
      if (last > open.last) open.last = last;
      continue;
    }
    if (open) addresses += open.last - open.first + 1n;
    open = { first, last };
  }
  if (open) addresses += open.last - open.first + 1n;
  const size = 1n << BigInt(BITS[family]);
  return {
    family,
    addresses,
    percent: (Number(addresses) / Number(size)) * 100,
    ranges: [...counted].sort((a, b) => a.prefix - b.prefix).map(({ prefix, cidr }) => ({ prefix, cidr })),
  };
}

/** `num / den` equal to `x` exactly: every finite double is an integer over a power of two. */
function toFraction(x: number): { num: bigint; den: bigint } {
  let value = x;
  let den = 1n;
  while (!Number.isInteger(value)) {
    value *= 2; // exact for a finite double below 2^1023
    den *= 2n;
  }
  return { num: BigInt(value), den };
}

/** Whether `coverage` allows more than `percent` % of its family's space, decided exactly. */
export function exceedsShare(coverage: FamilyCoverage, percent: number): boolean {
  const { num, den } = toFraction(percent);
  return coverage.addresses * 100n * den > num * (1n << BigInt(BITS[coverage.family]));
}

/** A share for people: `100`, `50`, `1.17`, `0.895`, `4.3e-10`; never rounded up to 100 or down to 0. */
export function formatPercent(coverage: FamilyCoverage): string {
  if (coverage.addresses === 0n) return '0';
  if (coverage.addresses === 1n << BigInt(BITS[coverage.family])) return '100';
  const p = coverage.percent;
  if (p < 0.001) return p.toExponential(1);
  const text = String(Number(p.toPrecision(3)));
  return text === '100' ? '99.9' : text;
}

/** `0.0.0.0/1, 128.0.0.0/1`, or `5,922 ranges, widest 13.64.0.0/11` when there are many. */
function nameRanges(ranges: readonly { cidr: string }[]): string {
  if (ranges.length <= NAMED_RANGES) return ranges.map((r) => r.cidr).join(', ');
  return `${ranges.length.toLocaleString('en-US')} ranges, widest ${ranges[0]?.cidr ?? ''}`;
}

/**
 * What in `coverage` breaks `limits`, one phrase per family: the total share when it is too large
 * (it says the most), else the ranges with too short a prefix. Empty when within the limits.
 */
export function excessesOf(coverage: Coverage, limits: BreadthLimits): string[] {
  const phrases: string[] = [];
  const families = [
    { c: coverage.ipv4, maxPercent: limits.maxIPv4Percent, shortest: limits.shortestIPv4Prefix },
    { c: coverage.ipv6, maxPercent: limits.maxIPv6Percent, shortest: limits.shortestIPv6Prefix },
  ];
  for (const { c, maxPercent, shortest } of families) {
    const space = `the IPv${c.family} address space`;
    if (exceedsShare(c, maxPercent)) {
      phrases.push(`allows ${formatPercent(c)} % of ${space} (${nameRanges(c.ranges)}; limit ${maxPercent} %)`);
      continue;
    }
    const short = c.ranges.filter((r) => r.prefix < shortest);
    if (short.length > 0)
      phrases.push(`holds ${short.length === 1 ? 'a prefix' : `${short.length} prefixes`} shorter than /${shortest} (${nameRanges(short)})`);
  }
  return phrases;
}
