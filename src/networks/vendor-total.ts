/**
 * The vendor's allowlist as a whole, screened against the same limits as each source. Screening
 * only per source let a broad list through in pieces: two sources of 0.78 % of IPv4 each, or a
 * /16 per source, each within the limits and together far beyond them.
 *
 * Which sources to refuse when the total is over: the broadest first (the most addresses in the
 * family that is over), and sources equally broad together, until the rest is within the limits.
 * A vendor's own list is usually small and the culprit large, so the vendor's real ranges keep
 * working and its stolen-certificate alerts still fire; refusing equal sources together keeps the
 * decision independent of the order they are listed in, since nothing tells which is the culprit.
 * Refusing the whole allowlist would be simpler, but it would blind the vendor (unknown, no alert
 * on sign-ins) whenever one feed grows, which is the outcome this screen exists to prevent.
 *
 * A source accepted with `acceptBroadRanges` is outside the total: its acceptance says how broad it
 * may be, and counting it would let one accepted lab range refuse the vendor's real list. When the
 * total with it would be over the limits, its report says so, so the exception is never silent.
 */
import { CredwatchError } from '../errors.js';
import { DEFAULT_BREADTH_LIMITS, type BreadthLimits } from '../config/breadth-limits.js';
import { coverageOf, totalExcessesOf, type Coverage, type TotalExcess } from './breadth.js';
import { breadthReport, effectiveLimits, nonEmpty, type AllowlistVendor } from './broad-sources.js';
import type { ParsedCidr } from './cidr.js';
import { failed, type SourceOutcome } from './outcome.js';

const EMPTY: Coverage = coverageOf([]);

/** The coverage of the sources at `indices`, overlaps counted once. */
function unionOf(outcomes: readonly SourceOutcome[], indices: readonly number[]): Coverage {
  const ranges: ParsedCidr[] = [];
  for (const i of indices) ranges.push(...(outcomes[i]?.ranges ?? []));
  return ranges.length === 0 ? EMPTY : coverageOf(ranges);
}

const family = (c: Coverage, f: 4 | 6) => (f === 4 ? c.ipv4 : c.ipv6);
const sourceList = (indices: readonly number[]): string => `source${indices.length === 1 ? '' : 's'} ${indices.map((i) => i + 1).join(', ')}`;

/** The sources among `indices` allowing the most of family `f`, all of them when several allow as much. */
function broadestOf(own: ReadonlyMap<number, Coverage>, indices: readonly number[], f: 4 | 6): number[] {
  const size = (i: number) => family(own.get(i) ?? EMPTY, f).addresses;
  const most = indices.reduce((max, i) => (size(i) > max ? size(i) : max), 0n);
  return indices.filter((i) => size(i) === most);
}

/**
 * Screens the vendor's usable sources together (after each was screened alone) and returns the
 * outcomes with the broadest ones refused when the total is over the vendor's limits. Outcomes
 * that are failed, accepted by `acceptBroadRanges`, or within the limits together pass unchanged
 * (an accepted source gains a warning when it takes the total over).
 */
export function screenVendorTotal(vendor: AllowlistVendor, outcomes: readonly SourceOutcome[]): SourceOutcome[] {
  const result = [...outcomes];
  const acceptance = (i: number) => nonEmpty(vendor.allowedRanges[i]?.acceptBroadRanges?.reason);
  const usable = outcomes.flatMap((o, i) => (o.status === 'failed' ? [] : [i]));
  // One source's total is its own, already screened: nothing adds up with a single source.
  if (usable.length < 2) return result;
  const counted = usable.filter((i) => acceptance(i) === undefined);
  const accepted = usable.filter((i) => acceptance(i) !== undefined);

  const { limits, reason: limitsReason } = effectiveLimits(vendor);
  const own = new Map(counted.map((i) => [i, coverageOf(outcomes[i]?.ranges ?? [])]));
  const refusals: { index: number; over: TotalExcess; tied: number }[] = [];
  let kept = counted;
  let total = unionOf(outcomes, counted);
  for (;;) {
    const over = totalExcessesOf(total, limits)[0];
    if (over === undefined) break;
    const broadest = broadestOf(own, kept, over.family);
    for (const index of broadest) refusals.push({ index, over, tied: broadest.length });
    kept = kept.filter((i) => !broadest.includes(i));
    total = unionOf(outcomes, kept);
  }
  for (const { index, over, tied } of refusals) {
    result[index] = refuse(vendor, index, outcomes[index] as SourceOutcome, own.get(index) ?? EMPTY, { over, tied, counted, kept });
  }

  // Within the vendor's limits but over the defaults: loosened on purpose, still said every time,
  // on the broadest source (one warning, not one per source).
  const overDefaults = totalExcessesOf(total, DEFAULT_BREADTH_LIMITS)[0];
  const [widest] = overDefaults && kept.length > 1 ? broadestOf(own, kept, overDefaults.family) : [];
  const outcome = widest === undefined ? undefined : result[widest];
  if (overDefaults && widest !== undefined && outcome && !outcome.broad) {
    const phrase = `the vendor's ${sourceList(kept)} together allow ${overDefaults.amount} of the IPv${overDefaults.family} address space (default ${overDefaults.limit})`;
    result[widest] = {
      ...outcome,
      broad: { ...breadthReport('accepted', own.get(widest) ?? EMPTY, [phrase], 'vendor'), acceptedBy: 'broadRangeLimits', reason: limitsReason ?? '' },
      warnings: [...outcome.warnings, `broad source in use: ${phrase}; accepted by the vendor's broadRangeLimits: ${JSON.stringify(limitsReason ?? '')}.`],
    };
  }

  if (accepted.length > 0) sayAcceptedOutsideTotal(vendor, result, kept, accepted, limits);
  return result;
}

/** Why a source was refused with others: the total over, how many were as broad, which were counted and which are left. */
interface TotalRefusal {
  readonly over: TotalExcess;
  readonly tied: number;
  readonly counted: readonly number[];
  readonly kept: readonly number[];
}

/** The refusal of source `index` as one of the broadest in a total over the limits. */
function refuse(vendor: AllowlistVendor, index: number, outcome: SourceOutcome, coverage: Coverage, why: TotalRefusal): SourceOutcome {
  const { over, tied, counted, kept } = why;
  const type = vendor.allowedRanges[index]?.type ?? 'unknown';
  const broadest = tied === 1 ? 'it is the broadest' : `it is one of ${tied} as broad, refused together`;
  const phrase =
    `the vendor's ${sourceList(counted)} together allow ${over.amount} of the IPv${over.family} address space (${over.limit}), ` +
    `and ${broadest} (${over.amountOf(family(coverage, over.family))})`;
  const rest = kept.length > 0 ? `${sourceList(kept)} still used` : 'no source of the total is left';
  // Position and type first, as for a source refused alone: an alert keeps 200 characters of this.
  const message =
    `Vendor "${vendor.name}", allowlist source ${index + 1} (${type}) refused: ${phrase}; ${rest}. ` +
    `Narrow it, or set acceptBroadRanges with a reason to allow it. Any host in those networks, a rented cloud VM included, would count as ${vendor.name}'s own and raise no alert.`;
  const error = new CredwatchError('ALLOWLIST_TOO_BROAD', message, {
    retryable: false,
    details: { vendor: vendor.name, source: index + 1, type, refused: 'vendorTotal', sources: counted.map((i) => i + 1), excesses: [phrase] },
  });
  return { ...failed(error, outcome.warnings), broad: breadthReport('refused', coverage, [phrase], 'vendor') };
}

/** Says on each accepted source that the vendor's total is not enforced on it, when with it the total would be over. */
function sayAcceptedOutsideTotal(
  vendor: AllowlistVendor,
  result: SourceOutcome[],
  kept: readonly number[],
  accepted: readonly number[],
  limits: BreadthLimits,
): void {
  const over = totalExcessesOf(unionOf(result, [...kept, ...accepted]), limits)[0];
  if (over === undefined) return;
  const phrase = `with the vendor's other sources it allows ${over.amount} of the IPv${over.family} address space (${over.limit})`;
  for (const i of accepted) {
    const outcome = result[i];
    if (outcome === undefined) continue;
    const reason = nonEmpty(vendor.allowedRanges[i]?.acceptBroadRanges?.reason) ?? '';
    result[i] = {
      ...outcome,
      broad: outcome.broad ?? { ...breadthReport('accepted', coverageOf(outcome.ranges), [phrase], 'vendor'), acceptedBy: 'acceptBroadRanges', reason },
      warnings: [
        ...outcome.warnings,
        `broad source in use: ${phrase}; accepted by acceptBroadRanges: ${JSON.stringify(reason)}, so the vendor's total is not enforced on it.`,
      ],
    };
  }
}
