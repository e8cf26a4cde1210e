/**
 * How broad one allowlist source may be before it is refused. A leaf with no imports, so the
 * configuration schema can take its defaults from here without depending on the matcher.
 *
 * Why a limit at all: a vendor allowlist holding `0.0.0.0/0`, `::/0` or a large part of the
 * address space puts every sign-in "inside", which switches off the vendor's critical alerts
 * without a word. The defaults refuse what no vendor plausibly owns (a prefix shorter than an old
 * class A, or more than 1 % of the internet) while accepting what real vendors publish: Mimecast's
 * 2021 netblocks are about 0.0002 % of IPv4, one Azure region about 0.08 % (docs/allowlists.md).
 */

/** Limits one source of a vendor's `allowedRanges` must stay within. */
export interface BreadthLimits {
  /** A range with a shorter IPv4 prefix than this (e.g. /7 under /8) is too broad. */
  readonly shortestIPv4Prefix: number;
  /** A range with a shorter IPv6 prefix than this is too broad. */
  readonly shortestIPv6Prefix: number;
  /** Most of the IPv4 space the source may allow in total, overlaps counted once, in percent. */
  readonly maxIPv4Percent: number;
  /** Most of the IPv6 space the source may allow in total, in percent. */
  readonly maxIPv6Percent: number;
}

/** The limits when a vendor sets none: /8, /16, 1 % and 1 %. */
export const DEFAULT_BREADTH_LIMITS: BreadthLimits = Object.freeze({
  shortestIPv4Prefix: 8,
  shortestIPv6Prefix: 16,
  maxIPv4Percent: 1,
  maxIPv6Percent: 1,
});

/** The keys of {@link BreadthLimits}, in the order messages list them. */
export const BREADTH_LIMIT_KEYS = Object.freeze(['shortestIPv4Prefix', 'shortestIPv6Prefix', 'maxIPv4Percent', 'maxIPv6Percent'] as const);

/**
 * The limits of `limits` that allow more than the defaults (a shorter prefix or a larger share),
 * as `key is value (default d)` phrases; empty when every limit is as strict as the default or stricter.
 */
export function looserThanDefault(limits: BreadthLimits): string[] {
  return BREADTH_LIMIT_KEYS.filter((key) => {
    const value = limits[key];
    const base = DEFAULT_BREADTH_LIMITS[key];
    return key.startsWith('shortest') ? value < base : value > base;
  }).map((key) => `${key} is ${limits[key]} (default ${DEFAULT_BREADTH_LIMITS[key]})`);
}
