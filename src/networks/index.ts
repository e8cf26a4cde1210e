/**
 * Allowed networks: reading vendors' allowlists (inline, file, URL, Entra named locations) and
 * matching sign-in addresses against them. See docs/allowlists.md.
 */
export { parseAddress, type ParsedAddress } from './address.js';
export { refusedAddress } from './address-policy.js';
export { allowlistHttp, type AllowlistHttp, type AllowlistHttpOptions, type HostLookup, type ResolvedAddress } from './allowlist-http.js';
export { networkKey, parseCidr, parseCidrList, type CidrParseResult, type ParsedCidr } from './cidr.js';
export { DEFAULT_BREADTH_LIMITS, type BreadthLimits } from '../config/breadth-limits.js';
export { coverageOf, type Coverage, type FamilyCoverage } from './breadth.js';
export {
  effectiveLimits,
  type AllowlistSource,
  type AllowlistVendor,
  type BroadRangeAcceptance,
  type BroadSourceReport,
  type VendorBreadthLimits,
} from './broad-sources.js';
export { RangeSet, type RangeEntry } from './range-set.js';
export {
  resolveAllowlists,
  sourceLabel,
  type AllowlistDeps,
  type AllowlistHealth,
  type AllowlistResolution,
  type AllowlistSourceReport,
  type ResolveAllowlistsOptions,
} from './sources.js';
export { cacheKeyOf } from './url-source.js';
export { vendorForApp } from './vendors.js';
