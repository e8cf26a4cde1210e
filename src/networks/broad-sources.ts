/**
 * Refusing an allowlist source that allows too much of the internet, unless the configuration
 * accepts it with a reason. A source holding `0.0.0.0/0` would put every sign-in "inside" and
 * silence the vendor's critical alerts; worse, a source holding all of a cloud provider does the
 * same for anyone who rents a VM there, which is how a stolen vendor certificate is usually used.
 *
 * A refused source is treated like a source that could not be read: its ranges are not used, and
 * a vendor with nothing else usable is unknown (never clean, never "everything outside"), which
 * the scan raises as `collection-failing`. Accepting one is explicit and never silent: the source
 * is used and every resolution reports it as a warning with the reason given.
 */
import type { RangeSource, VendorConfig } from '../config/types.js';
import { CredwatchError } from '../errors.js';
import { BREADTH_LIMIT_KEYS, DEFAULT_BREADTH_LIMITS, looserThanDefault, type BreadthLimits } from '../config/breadth-limits.js';
import { coverageOf, excessesOf, type Coverage } from './breadth.js';
import type { ParsedCidr } from './cidr.js';
import { failed, type SourceOutcome } from './outcome.js';

/** `acceptBroadRanges` on a source: use it although it is broader than the vendor's limits. */
export interface BroadRangeAcceptance {
  /** Why; required and non-empty, shown with every warning. */
  readonly reason: string;
}

/** `broadRangeLimits` on a vendor: limits for each of its sources and for all of them together; looser than the defaults only with a reason. */
export type VendorBreadthLimits = Partial<BreadthLimits> & { readonly reason?: string };

/** A source as this module reads it: the configured source and its optional acceptance. */
export type AllowlistSource = RangeSource & { readonly acceptBroadRanges?: BroadRangeAcceptance };

/** A vendor as this module reads it: the configured vendor and its optional limits. */
export type AllowlistVendor = Omit<VendorConfig, 'allowedRanges'> & {
  readonly allowedRanges: readonly AllowlistSource[];
  readonly broadRangeLimits?: VendorBreadthLimits;
};

/** How broad a source was, for the report: set only when it broke a limit (refused) or the defaults (accepted). */
export interface BroadSourceReport {
  decision: 'refused' | 'accepted';
  /** Share of each address space the source allows, in percent (overlaps once, mapped IPv6 as IPv4). */
  ipv4Percent: number;
  ipv6Percent: number;
  /** The source's IPv6 in /32s, the unit of the IPv6 limit (`maxIPv6Slash32s`). */
  ipv6Slash32s: number;
  /**
   * `source`: the source alone broke a limit. `vendor`: the vendor's sources together did, and this
   * one was among the broadest (refused), or it is accepted and not held to the vendor's total.
   */
  scope: 'source' | 'vendor';
  /** What was too broad, one phrase per family. */
  excesses: string[];
  /** For an accepted source: the setting that accepted it and the reason it gives. */
  acceptedBy?: 'acceptBroadRanges' | 'broadRangeLimits';
  reason?: string;
}

/** What to do with one source's ranges. */
export type BreadthDecision =
  | { readonly kind: 'within' }
  | { readonly kind: 'accepted'; readonly report: BroadSourceReport; readonly warning: string }
  | { readonly kind: 'refused'; readonly report: BroadSourceReport; readonly error: CredwatchError };

/** Judges the ranges one source yielded. */
export type BreadthScreen = (ranges: readonly ParsedCidr[]) => BreadthDecision;

/** The text trimmed, or undefined when blank: a blank reason accepts nothing. */
export const nonEmpty = (text: string | undefined): string | undefined => (text !== undefined && text.trim() !== '' ? text.trim() : undefined);

/**
 * The limits that apply to a vendor's sources. Looser than the defaults only with a reason: the
 * schema requires one, and this holds for callers that skip the schema too.
 */
export function effectiveLimits(vendor: Pick<AllowlistVendor, 'broadRangeLimits'>): { limits: BreadthLimits; reason: string | undefined } {
  const { reason, ...given } = vendor.broadRangeLimits ?? {};
  const limits: BreadthLimits = { ...DEFAULT_BREADTH_LIMITS, ...given };
  if (nonEmpty(reason) !== undefined || looserThanDefault(limits).length === 0) return { limits, reason: nonEmpty(reason) };
  // Each limit no looser than its default: a prefix limit no shorter, a total no larger.
  const clamped = { ...limits };
  for (const key of BREADTH_LIMIT_KEYS) {
    const base = DEFAULT_BREADTH_LIMITS[key];
    clamped[key] = key.startsWith('shortest') ? Math.max(limits[key], base) : Math.min(limits[key], base);
  }
  return { limits: clamped, reason: undefined };
}

/** The report of a source with `coverage`; `scope` says whether it was judged alone or with the vendor's other sources. */
export function breadthReport(
  decision: BroadSourceReport['decision'],
  coverage: Coverage,
  excesses: string[],
  scope: BroadSourceReport['scope'] = 'source',
): BroadSourceReport {
  return { decision, ipv4Percent: coverage.ipv4.percent, ipv6Percent: coverage.ipv6.percent, ipv6Slash32s: slash32s(coverage), scope, excesses };
}

/** The IPv6 of `coverage` in /32s, as a number for the report. */
const slash32s = (coverage: Coverage): number => Number(coverage.ipv6.addresses) / 2 ** 96;

/** The screen for source `index` (0-based) of `vendor`. */
export function breadthScreen(vendor: AllowlistVendor, index: number): BreadthScreen {
  const source = vendor.allowedRanges[index];
  const { limits, reason: limitsReason } = effectiveLimits(vendor);
  const acceptance = nonEmpty(source?.acceptBroadRanges?.reason);
  // The position and type, not the label: a long file path or URL would push the reason out of
  // the 200 characters an alert keeps of the message.
  const what = `Vendor "${vendor.name}", allowlist source ${index + 1} (${source?.type ?? 'unknown'})`;
  return (ranges) => {
    const coverage = coverageOf(ranges);
    const overLimits = excessesOf(coverage, limits);
    if (overLimits.length > 0) {
      if (acceptance !== undefined) {
        return {
          kind: 'accepted',
          report: { ...breadthReport('accepted', coverage, overLimits), acceptedBy: 'acceptBroadRanges', reason: acceptance },
          warning: `broad source in use: it ${overLimits.join(' and ')}; accepted by acceptBroadRanges: ${JSON.stringify(acceptance)}. Any host in those networks counts as ${vendor.name}'s own.`,
        };
      }
      const message =
        `${what} ${overLimits.join(' and ')}; refused — set acceptBroadRanges with a reason to allow it. ` +
        `Any host in those networks, a rented cloud VM included, would count as ${vendor.name}'s own and raise no alert.`;
      return {
        kind: 'refused',
        report: breadthReport('refused', coverage, overLimits),
        error: new CredwatchError('ALLOWLIST_TOO_BROAD', message, {
          retryable: false,
          details: { vendor: vendor.name, source: index + 1, type: source?.type ?? null, refused: 'broadRanges', excesses: overLimits, limits: { ...limits } },
        }),
      };
    }
    // Within the vendor's limits but beyond the defaults: loosened on purpose, still said every time.
    const overDefaults = excessesOf(coverage, DEFAULT_BREADTH_LIMITS);
    if (overDefaults.length === 0) return { kind: 'within' };
    return {
      kind: 'accepted',
      report: { ...breadthReport('accepted', coverage, overDefaults), acceptedBy: 'broadRangeLimits', reason: limitsReason ?? '' },
      warning: `broad source in use: it ${overDefaults.join(' and ')}; accepted by the vendor's broadRangeLimits: ${JSON.stringify(limitsReason ?? '')}. Any host in those networks counts as ${vendor.name}'s own.`,
    };
  };
}

/**
 * Applies a screen to a usable outcome: a refused one becomes a failed outcome (its ranges are
 * dropped, its warnings kept), an accepted one gains the warning. Failed outcomes pass unchanged.
 */
export function applyBreadth(outcome: SourceOutcome, screen: BreadthScreen): SourceOutcome {
  if (outcome.status === 'failed') return outcome;
  const decision = screen(outcome.ranges);
  switch (decision.kind) {
    case 'within':
      return outcome;
    case 'accepted':
      return { ...outcome, broad: decision.report, warnings: [...outcome.warnings, decision.warning] };
    case 'refused':
      return { ...failed(decision.error, outcome.warnings), broad: decision.report };
  }
}
