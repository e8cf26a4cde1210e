/**
 * How broad a vendor's allowlist may be before it is refused: each source, and the vendor's sources
 * together. A leaf with no imports, so the configuration schema can take its defaults from here
 * without depending on the matcher.
 *
 * Why a limit at all: a vendor allowlist holding `0.0.0.0/0`, `::/0` or a large part of the
 * address space puts every sign-in "inside", which switches off the vendor's critical alerts
 * without a word. The defaults refuse what no vendor plausibly owns (a prefix shorter than an old
 * class A, or more than 1 % of the internet) while accepting what real vendors publish: Mimecast's
 * 2021 netblocks are about 0.0002 % of IPv4, one Azure region about 0.08 % (docs/allowlists.md).
 *
 * IPv6 needs a limit of its own kind: 1 % of IPv6 is 2^121 addresses, more than every provider
 * holds together, so a share cannot tell a vendor from a regional registry. It is counted in /32s,
 * the smallest block a registry allocates to a provider: every IPv6 prefix Azure publishes, all
 * tags together, is 0.02 of a /32 (docs/allowlists.md).
 */

/** Limits each source of a vendor's `allowedRanges`, and all of them together, must stay within. */
export interface BreadthLimits {
  /** A range with a shorter IPv4 prefix than this (e.g. /7 under /8) is too broad. */
  readonly shortestIPv4Prefix: number;
  /** A range with a shorter IPv6 prefix than this is too broad. */
  readonly shortestIPv6Prefix: number;
  /** Most of the IPv4 space the source may allow in total, overlaps counted once, in percent. */
  readonly maxIPv4Percent: number;
  /** Most of the IPv6 space the source may allow in total, in percent; kept for old configurations (see maxIPv6Slash32s). */
  readonly maxIPv6Percent: number;
  /**
   * Most of the IPv6 space the source may allow in total, in /32s (fractions allowed: 1/16 is a
   * /36). The IPv6 limit that bites: with 1, no single prefix shorter than /32 passes either.
   */
  readonly maxIPv6Slash32s: number;
}

/** The limits when a vendor sets none: /8, /16, 1 %, 1 % and one /32. */
export const DEFAULT_BREADTH_LIMITS: BreadthLimits = Object.freeze({
  shortestIPv4Prefix: 8,
  shortestIPv6Prefix: 16,
  maxIPv4Percent: 1,
  maxIPv6Percent: 1,
  // One provider allocation in all: 50 times every IPv6 prefix Azure publishes, and 1/65,536 of
  // what the old 1 % share let through (2a00::/12, RIPE's block, was within it).
  maxIPv6Slash32s: 1,
});

/** The keys of {@link BreadthLimits}, in the order messages list them. */
export const BREADTH_LIMIT_KEYS = Object.freeze(['shortestIPv4Prefix', 'shortestIPv6Prefix', 'maxIPv4Percent', 'maxIPv6Percent', 'maxIPv6Slash32s'] as const);

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
