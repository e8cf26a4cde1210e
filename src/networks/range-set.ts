/**
 * The allowlist matcher: O(log n) per lookup over sorted, disjoint segments held in typed arrays
 * (IPv4 as one uint32, IPv6 as four), with no BigInt and no allocation on the lookup path.
 */
import { CredwatchError } from '../errors.js';
import type { RangeProvenance } from '../events.js';
import { isMappedIPv4, parseIPv4, parseIPv6Into, type ParsedAddress } from './address.js';
import { coversMappedSpace, parseCidr, type ParsedCidr } from './cidr.js';
import { toSegments, type SegmentInput } from './segments.js';

/** One allowed range and where it came from. */
export interface RangeEntry {
  cidr: string;
  provenance: RangeProvenance;
}

const NONE: readonly RangeProvenance[] = Object.freeze([]);
/** Below this many segments a plain binary search is already a handful of steps. */
const INDEX_MIN_SEGMENTS = 512;
const ALL_IPV4 = 0xffffffffn;
// Reused by `match`: lookups are synchronous, so one scratch buffer serves every call.
const scratch = new Uint32Array(4);

/** An immutable set of allowed ranges, each remembering its provenance. */
export class RangeSet {
  private constructor(
    private readonly v4Starts: Uint32Array,
    private readonly v4Ends: Uint32Array,
    private readonly v4Covering: readonly (readonly RangeProvenance[])[],
    /** Four words per segment, big-endian. */
    private readonly v6Starts: Uint32Array,
    private readonly v6Ends: Uint32Array,
    private readonly v6Covering: readonly (readonly RangeProvenance[])[],
    /** Where each value of the top 16 bits starts in the segment arrays (large sets only). */
    private readonly v4Index: Uint32Array | undefined,
    private readonly v6Index: Uint32Array | undefined,
    /** Every range given, deduplicated, in input order. */
    readonly ranges: readonly RangeProvenance[],
  ) {}

  /**
   * Builds a set from CIDR strings (bare addresses and host bits accepted, as in {@link parseCidr}).
   * Every invalid entry is listed in one `CONFIG_INVALID` error; the sources module validates
   * before calling this, so reaching it is a programming error or a direct caller's input.
   */
  static build(entries: readonly RangeEntry[]): RangeSet {
    const problems: string[] = [];
    const parsed: { range: ParsedCidr; provenance: RangeProvenance }[] = [];
    for (const entry of entries) {
      const result = parseCidr(entry.cidr);
      if (result.ok) parsed.push({ range: result.range, provenance: entry.provenance });
      else problems.push(`${JSON.stringify(entry.cidr)} (${entry.provenance.vendor}, ${entry.provenance.source}): ${result.problem}`);
    }
    if (problems.length > 0) {
      throw new CredwatchError('CONFIG_INVALID', `Invalid allowlist entries:\n  - ${problems.join('\n  - ')}`, { details: { problems } });
    }
    return RangeSet.fromParsed(parsed);
  }

  /** Builds a set from ranges already parsed (and validated) by {@link parseCidr}. */
  static fromParsed(entries: readonly { range: ParsedCidr; provenance: RangeProvenance }[]): RangeSet {
    const v4: SegmentInput[] = [];
    const v6: SegmentInput[] = [];
    const seen = new Set<string>();
    const ranges: RangeProvenance[] = [];
    for (const { range, provenance } of entries) {
      // The same range listed twice by one source adds nothing; from two sources, both are kept.
      const key = `${range.cidr}\u0000${provenance.vendor}\u0000${provenance.source}`;
      if (seen.has(key)) continue;
      seen.add(key);
      ranges.push(provenance);
      (range.family === 4 ? v4 : v6).push({ first: range.first, last: range.last, provenance });
      // Mapped addresses are looked up as IPv4, so an IPv6 range spanning ::ffff:0:0/96 must cover IPv4 too.
      if (coversMappedSpace(range)) v4.push({ first: 0n, last: ALL_IPV4, provenance });
    }
    const s4 = toSegments(v4);
    const s6 = toSegments(v6);
    const v4Starts = Uint32Array.from(s4, (s) => Number(s.first));
    const v4Ends = Uint32Array.from(s4, (s) => Number(s.last));
    const v6Starts = new Uint32Array(s6.length * 4);
    const v6Ends = new Uint32Array(s6.length * 4);
    s6.forEach((s, i) => {
      for (let w = 0; w < 4; w += 1) {
        const shift = BigInt(96 - 32 * w);
        v6Starts[i * 4 + w] = Number((s.first >> shift) & 0xffffffffn);
        v6Ends[i * 4 + w] = Number((s.last >> shift) & 0xffffffffn);
      }
    });
    return new RangeSet(
      v4Starts,
      v4Ends,
      s4.map((s) => s.covering),
      v6Starts,
      v6Ends,
      s6.map((s) => s.covering),
      topBitsIndex(v4Starts, 1),
      topBitsIndex(v6Starts, 4),
      Object.freeze(ranges),
    );
  }

  /** How many ranges the set holds (after dropping exact repeats from the same source). */
  get size(): number {
    return this.ranges.length;
  }

  /** How many disjoint segments the lookups search (IPv4 + IPv6). */
  get segmentCount(): number {
    return this.v4Starts.length + this.v6Starts.length / 4;
  }

  /**
   * The provenance of every range containing `ip`, most specific first; undefined when no range
   * does or when `ip` is not an address (empty, garbage). Never throws. The array is frozen and shared.
   */
  match(ip: string): readonly RangeProvenance[] | undefined {
    const v4 = parseIPv4(ip);
    if (v4 >= 0) return this.matchIPv4(v4);
    if (!parseIPv6Into(ip, scratch)) return undefined;
    if (isMappedIPv4(scratch)) return this.matchIPv4(scratch[3] ?? 0);
    return this.matchIPv6(scratch);
  }

  /** {@link match} for an address parsed once with `parseAddress` and tested against several sets. */
  matchParsed(address: ParsedAddress): readonly RangeProvenance[] | undefined {
    return address.family === 4 ? this.matchIPv4(address.value) : this.matchIPv6(address.words);
  }

  /** Whether any range contains `ip`; false for anything that is not an address. */
  contains(ip: string): boolean {
    return this.match(ip) !== undefined;
  }

  private matchIPv4(value: number): readonly RangeProvenance[] | undefined {
    const starts = this.v4Starts;
    const index = this.v4Index;
    const top = value >>> 16;
    // With the index, only segments starting under the same top 16 bits are searched; when none of
    // them starts at or before the address, `hi` ends just before them, on the previous segment.
    let lo = index ? (index[top] ?? 0) : 0;
    let hi = (index ? (index[top + 1] ?? 0) : starts.length) - 1;
    // Finds the last segment starting at or before the address.
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if ((starts[mid] ?? 0) <= value) lo = mid + 1;
      else hi = mid - 1;
    }
    if (hi < 0 || value > (this.v4Ends[hi] ?? -1)) return undefined;
    return this.v4Covering[hi] ?? NONE;
  }

  private matchIPv6(words: Uint32Array): readonly RangeProvenance[] | undefined {
    const starts = this.v6Starts;
    const index = this.v6Index;
    const first = words[0] ?? 0;
    const top = first >>> 16;
    let lo = index ? (index[top] ?? 0) : 0;
    let hi = (index ? (index[top + 1] ?? 0) : starts.length / 4) - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      // Most steps are decided by the first word; only a tie needs the other three.
      const head = starts[mid * 4] ?? 0;
      if (head < first || (head === first && compareWords(starts, mid * 4, words) <= 0)) lo = mid + 1;
      else hi = mid - 1;
    }
    if (hi < 0 || compareWords(this.v6Ends, hi * 4, words) < 0) return undefined;
    return this.v6Covering[hi] ?? NONE;
  }
}

/**
 * For each value `b` of an address's top 16 bits, how many segments start below `b << 16`: a
 * first step that narrows the binary search to one bucket, saving most of its cache misses.
 */
function topBitsIndex(starts: Uint32Array, stride: number): Uint32Array | undefined {
  const count = starts.length / stride;
  if (count < INDEX_MIN_SEGMENTS) return undefined;
  const index = new Uint32Array(65_537);
  let segment = 0;
  for (let bucket = 0; bucket <= 65_536; bucket += 1) {
    while (segment < count && (starts[segment * stride] ?? 0) >>> 16 < bucket) segment += 1;
    index[bucket] = segment;
  }
  return index;
}

/** Compares the four words at `array[offset…]` with `words`: negative, zero or positive. */
function compareWords(array: Uint32Array, offset: number, words: Uint32Array): number {
  for (let w = 0; w < 4; w += 1) {
    const diff = (array[offset + w] ?? 0) - (words[w] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}
