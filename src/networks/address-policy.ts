/**
 * Which addresses an allowlist URL may connect to. A vendor feed lives on the public internet; a
 * URL (or a redirect, or a DNS answer) that leads to loopback, a private network or the cloud
 * metadata service is server-side request forgery, not a range list. Deny by default: only what
 * ipaddr.js calls global `unicast` is allowed, so the special ranges it knows (RFC 6890 and the
 * IPv6 registry) are all refused without being listed here.
 */
import ipaddr from 'ipaddr.js';

/** Why a range is refused, by ipaddr.js's range name; anything else that is not `unicast` is "reserved". */
const REASONS: Readonly<Record<string, string>> = {
  loopback: 'loopback',
  private: 'private (RFC 1918)',
  uniqueLocal: 'private (unique local, fc00::/7)',
  linkLocal: 'link-local',
  carrierGradeNat: 'carrier-grade NAT (100.64.0.0/10)',
  unspecified: 'unspecified',
  multicast: 'multicast',
  broadcast: 'broadcast',
  deprecatedSiteLocal: 'site-local',
  reserved: 'reserved (documentation, benchmarking or future use)',
};

// The instance metadata services of Azure, AWS and GCP (learn.microsoft.com/azure/virtual-machines/instance-metadata-service);
// inside the ranges above too, named so the error says what the URL was reaching for.
const METADATA = new Set(['169.254.169.254', 'fd00:ec2::254']);

// NAT64 (RFC 6052): on an IPv6-only host DNS64 answers public names with 64:ff9b::/96, and the
// gateway forwards to the IPv4 address in the last 32 bits, so that address is what is judged.
const NAT64 = ipaddr.parseCIDR('64:ff9b::/96');

/**
 * Why `address` must not be connected to, or undefined for a global unicast address.
 * IPv4-mapped IPv6 (`::ffff:127.0.0.1`) is judged as the IPv4 address it is.
 */
export function refusedAddress(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  let parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv6' && parsed.match(NAT64)) {
    const bytes = parsed.toByteArray().slice(12);
    parsed = ipaddr.fromByteArray(bytes);
  }
  if (METADATA.has(parsed.toString())) return 'cloud instance metadata';
  const range = parsed.range();
  if (range === 'unicast') return undefined;
  return REASONS[range] ?? `reserved (${range})`;
}
