/**
 * Networks the scenarios sign in from.
 *
 * MIMECAST_RANGES are real: a handful of Mimecast's published outbound ranges, copied at authoring
 * time from test/fixtures/real/mimecast/mimecast_netblocks_2021_from_msipdelta2.csv (blankcode/
 * msipdelta2, from Mimecast's SPF `_netblocks` records, July 2021). Everything else is fictitious
 * on purpose: RFC 5737 / RFC 3849 documentation prefixes and RFC 5398 documentation AS numbers, so
 * no real company is cast as the attacker or as Contoso.
 */

/** A range sign-ins can come from, with the metadata a sign-in record carries. */
export interface Network {
  /** IPv4 or IPv6 prefix; addresses are made by filling the host part. */
  cidr: string;
  asn: number;
  location: { city: string; state: string; countryOrRegion: string };
}

/** Mimecast ranges (from the CSV above). The AS number is a documentation stand-in (RFC 5398): Mimecast's real AS was not verified. */
export const MIMECAST_RANGES: readonly Network[] = [
  { cidr: '205.139.110.0/24', asn: 64510, location: { city: 'Ashburn', state: 'Virginia', countryOrRegion: 'US' } },
  { cidr: '216.205.24.0/24', asn: 64510, location: { city: 'Ashburn', state: 'Virginia', countryOrRegion: 'US' } },
  { cidr: '170.10.129.0/24', asn: 64510, location: { city: 'Chicago', state: 'Illinois', countryOrRegion: 'US' } },
  { cidr: '195.130.217.0/24', asn: 64510, location: { city: 'London', state: 'England', countryOrRegion: 'GB' } },
  { cidr: '91.220.42.0/24', asn: 64510, location: { city: 'London', state: 'England', countryOrRegion: 'GB' } },
  { cidr: '146.101.78.0/24', asn: 64510, location: { city: 'London', state: 'England', countryOrRegion: 'GB' } },
  { cidr: '51.163.158.0/24', asn: 64510, location: { city: 'Frankfurt am Main', state: 'Hesse', countryOrRegion: 'DE' } },
];

/** The "foreign hosting network" the stolen certificate is used from (documentation prefixes). */
export const FOREIGN_HOSTING: readonly Network[] = [
  { cidr: '198.51.100.0/24', asn: 64500, location: { city: 'Amsterdam', state: 'Noord-Holland', countryOrRegion: 'NL' } },
  { cidr: '2001:db8:bad:1::/64', asn: 64500, location: { city: 'Amsterdam', state: 'Noord-Holland', countryOrRegion: 'NL' } },
];

/** Contoso's (and Fabrikam's) office egress ranges. */
export const CONTOSO_OFFICE: Network = { cidr: '203.0.113.0/24', asn: 64501, location: { city: 'Redmond', state: 'Washington', countryOrRegion: 'US' } };
export const CONTOSO_OFFICE_V6 = '2001:db8:c0de::/48';
export const FABRIKAM_OFFICE: Network = { cidr: '192.0.2.0/24', asn: 64502, location: { city: 'Seattle', state: 'Washington', countryOrRegion: 'US' } };

/** The `host`-th address in a network's prefix (IPv4 /24 or IPv6 /64 and wider). */
export function addressIn(network: Network, host: number): string {
  const [prefix = ''] = network.cidr.split('/');
  if (prefix.includes(':')) return `${prefix.replace(/::$/, '')}::${(host % 0xfffe) + 1}`.replace(/:::/, '::');
  const parts = prefix.split('.');
  return `${parts.slice(0, 3).join('.')}.${(host % 253) + 1}`;
}
