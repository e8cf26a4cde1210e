/**
 * How much of the IPv4 and IPv6 address space a set of ranges allows, and which limits it breaks.
 * IPv4 is counted as a share of the space; IPv6 also in /32s, since any share of IPv6 a person
 * would write (1 % is 2^121 addresses) is more than all providers hold.
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
/** Host bits of an IPv6 /32: the unit of the IPv6 total, a provider allocation. */
const SLASH32_BITS = 96;
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
export function nameRanges(ranges: readonly { cidr: string }[]): string {
  if (ranges.length <= NAMED_RANGES) return ranges.map((r) => r.cidr).join(', ');
  return `${ranges.length.toLocaleString('en-US')} ranges, widest ${ranges[0]?.cidr ?? ''}`;
}

/** How many /32s of IPv6 `coverage` amounts to, for display: `1,048,576`, `1.5`, `0.0202`. */
export function formatSlash32s(coverage: FamilyCoverage): string {
  const count = Number(coverage.addresses) / 2 ** SLASH32_BITS;
  if (count >= 1000) return Math.round(count).toLocaleString('en-US');
  return count === 0 ? '0' : String(Number(count.toPrecision(3)));
}

/** Whether IPv6 `coverage` holds more addresses than `slash32s` /32s, decided exactly. */
export function exceedsSlash32s(coverage: FamilyCoverage, slash32s: number): boolean {
  const { num, den } = toFraction(slash32s);
  return coverage.addresses * den > num << BigInt(SLASH32_BITS);
}

/** A family's total over a limit: the amount in the limit's unit and the limit, ready for a sentence. */
export interface TotalExcess {
  readonly family: 4 | 6;
  /** `1.56 %` or `the equivalent of 65,536 /32s`. */
  readonly amount: string;
  /** `limit 1 %` or `limit 1 /32`. */
  readonly limit: string;
  /** The same amount for another coverage of this family (a source inside the total). */
  readonly amountOf: (coverage: FamilyCoverage) => string;
}

const inPercent = (c: FamilyCoverage): string => `${formatPercent(c)} %`;
const inSlash32s = (c: FamilyCoverage): string => {
  const count = formatSlash32s(c);
  return `the equivalent of ${count} /32${count === '1' ? '' : 's'}`;
};

/**
 * The totals in `coverage` over `limits`, at most one per family. For IPv6 the share is said when it
 * is over (it says the most: `100 %`), else the count of /32s, which is the IPv6 limit that bites.
 */
export function totalExcessesOf(coverage: Coverage, limits: BreadthLimits): TotalExcess[] {
  const excesses: TotalExcess[] = [];
  if (exceedsShare(coverage.ipv4, limits.maxIPv4Percent))
    excesses.push({ family: 4, amount: inPercent(coverage.ipv4), limit: `limit ${limits.maxIPv4Percent} %`, amountOf: inPercent });
  if (exceedsShare(coverage.ipv6, limits.maxIPv6Percent))
    excesses.push({ family: 6, amount: inPercent(coverage.ipv6), limit: `limit ${limits.maxIPv6Percent} %`, amountOf: inPercent });
  else if (exceedsSlash32s(coverage.ipv6, limits.maxIPv6Slash32s))
    excesses.push({ family: 6, amount: inSlash32s(coverage.ipv6), limit: `limit ${limits.maxIPv6Slash32s} /32`, amountOf: inSlash32s });
  return excesses;
}

/**
 * What in `coverage` breaks `limits`, one phrase per family: the total when it is too large (it
 * says the most), else the ranges with too short a prefix. Empty when within the limits.
 */
export function excessesOf(coverage: Coverage, limits: BreadthLimits): string[] {
  const totals = totalExcessesOf(coverage, limits);
  const phrases: string[] = [];
  const families = [
    { c: coverage.ipv4, shortest: limits.shortestIPv4Prefix },
    { c: coverage.ipv6, shortest: limits.shortestIPv6Prefix },
  ];
  for (const { c, shortest } of families) {
    const total = totals.find((t) => t.family === c.family);
    if (total) {
      phrases.push(`allows ${total.amount} of the IPv${c.family} address space (${nameRanges(c.ranges)}; ${total.limit})`);
      continue;
    }
    const short = c.ranges.filter((r) => r.prefix < shortest);
    if (short.length > 0)
      phrases.push(`holds ${short.length === 1 ? 'a prefix' : `${short.length} prefixes`} shorter than /${shortest} (${nameRanges(short)})`);
  }
  return phrases;
}
