/**
 * The network a sign-in came from, as a grouping key: alerts group by it and `signin-new-network`
 * learns it. An ASN is preferred because a vendor's traffic moves around inside its own AS; without
 * one, a /24 (IPv4) or /48 (IPv6, the usual site allocation) stands in for "the same network".
 */
import ipaddr from 'ipaddr.js';

/**
 * `AS<n>` when the sign-in carries an autonomous system number, else the IPv4 /24 or IPv6 /48 of
 * the address (an IPv4-mapped IPv6 address keys as its IPv4 /24), else undefined.
 */
export function networkKey(ip: string | undefined, asn: number | undefined): string | undefined {
  if (asn !== undefined && Number.isInteger(asn) && asn > 0) return `AS${asn}`;
  if (!ip) return undefined;
  const text = ip.trim();
  // isValid first: parse failures throw, and exceptions on a hot path are slow.
  if (!ipaddr.isValid(text)) return undefined;
  const address = ipaddr.process(text);
  if (address.kind() === 'ipv4') {
    const [a, b, c] = (address as ipaddr.IPv4).octets;
    return `${a}.${b}.${c}.0/24`;
  }
  const [p0 = 0, p1 = 0, p2 = 0] = (address as ipaddr.IPv6).parts;
  return `${new ipaddr.IPv6([p0, p1, p2, 0, 0, 0, 0, 0]).toString()}/48`;
}
