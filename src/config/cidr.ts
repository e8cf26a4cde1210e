/**
 * Checking CIDR notation while the config loads, so a bad allowlist entry is a config error naming
 * the vendor and the entry rather than a range silently missing at match time. Host bits are allowed
 * here (`12.34.221.11/22`): the networks module normalises them and warns.
 */
import ipaddr from 'ipaddr.js';

/** What is wrong with `value` as an IPv4 or IPv6 CIDR, or undefined when it is valid. */
export function cidrProblem(value: string): string | undefined {
  const parts = value.trim().split('/');
  const [address, prefix] = parts;
  if (parts.length !== 2 || address === undefined || prefix === undefined || !/^\d{1,3}$/.test(prefix)) {
    return 'expected address/prefix-length, such as 205.139.110.0/24 or 2001:db8::/32 (add /32 or /128 for one address)';
  }
  const bits = Number(prefix);
  // Four-part decimal only: ipaddr.js would also read "10.1" or "0x0a.0.0.1", which no vendor means.
  if (ipaddr.IPv4.isValidFourPartDecimal(address)) {
    return bits <= 32 ? undefined : `an IPv4 prefix length is at most 32, got /${bits}`;
  }
  if (!address.includes('%') && ipaddr.IPv6.isValid(address)) {
    return bits <= 128 ? undefined : `an IPv6 prefix length is at most 128, got /${bits}`;
  }
  return `"${address}" is not an IPv4 or IPv6 address`;
}
