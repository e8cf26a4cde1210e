/**
 * Reading allowlist entries (configuration, files, vendor lists, named locations). Addresses go
 * through the same parser as sign-in IPs (address.ts), so a range and an address can never be
 * read two different ways; it accepts what src/config/cidr.ts accepts (strict dotted quads, no
 * zone ids) plus bare addresses, which files and vendor lists often use for single hosts.
 * ipaddr.js formats IPv6 (RFC 5952). Bigints are fine here: this runs once per resolution.
 */
import ipaddr from 'ipaddr.js';
import { parseAddress, parseIPv4, parseIPv6Into } from './address.js';

/** One allowed range, normalised: `first`..`last` inclusive, as integers of its family. */
export interface ParsedCidr {
  readonly family: 4 | 6;
  readonly first: bigint;
  readonly last: bigint;
  readonly prefix: number;
  /** Canonical text: network address (host bits cleared) and prefix length, RFC 5952 for IPv6. */
  readonly cidr: string;
}

/** The outcome of reading one entry. */
export type CidrParseResult = { readonly ok: true; readonly range: ParsedCidr; readonly warning?: string } | { readonly ok: false; readonly problem: string };

const BITS = { 4: 32, 6: 128 } as const;
const MAPPED_PREFIX = 0xffffn << 32n;

/** Text of an address held as a bigint. */
export function formatAddress(family: 4 | 6, value: bigint): string {
  if (family === 4) {
    const v = Number(value);
    return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
  }
  const parts: number[] = [];
  for (let i = 7; i >= 0; i -= 1) parts.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  return new ipaddr.IPv6(parts).toString();
}

/** The address in `text` as a family and a bigint, or undefined. */
function readAddress(text: string): { family: 4 | 6; value: bigint } | undefined {
  const v4 = parseIPv4(text);
  if (v4 >= 0) return { family: 4, value: BigInt(v4) };
  const words = new Uint32Array(4);
  if (!parseIPv6Into(text, words)) return undefined;
  return { family: 6, value: words.reduce((acc, w) => (acc << 32n) | BigInt(w), 0n) };
}

function rangeOf(family: 4 | 6, address: bigint, prefix: number): ParsedCidr {
  const bits = BigInt(BITS[family]);
  const hostMask = (1n << (bits - BigInt(prefix))) - 1n;
  const first = address & ~hostMask & ((1n << bits) - 1n);
  // A range inside ::ffff:0:0/96 holds only IPv4-mapped addresses, which match as IPv4.
  if (family === 6 && prefix >= 96 && first >> 32n === 0xffffn) return rangeOf(4, first & 0xffffffffn, prefix - 96);
  return { family, first, last: first | hostMask, prefix, cidr: `${formatAddress(family, first)}/${prefix}` };
}

/**
 * Parses `a.b.c.d/n`, an IPv6 CIDR, or a bare address (taken as /32 or /128). Host bits are
 * cleared with a warning, as Entra's own example (`12.34.221.11/22`) has them set.
 */
export function parseCidr(entry: string): CidrParseResult {
  const text = entry.trim();
  const parts = text.split('/');
  const [address, prefixText] = parts;
  if (parts.length > 2 || address === undefined || address === '') {
    return { ok: false, problem: 'expected an address or address/prefix-length, such as 205.139.110.0/24 or 2001:db8::/32' };
  }
  // Strict dotted quads only: "10.1" or "0x0a.0.0.1" (which ipaddr.js would read) are not what a vendor means.
  const read = readAddress(address);
  if (read === undefined) return { ok: false, problem: `"${address}" is not an IPv4 or IPv6 address` };
  const { family, value } = read;
  let prefix: number = BITS[family];
  if (prefixText !== undefined) {
    if (!/^\d{1,3}$/.test(prefixText)) return { ok: false, problem: `"/${prefixText}" is not a prefix length` };
    prefix = Number(prefixText);
    if (prefix > BITS[family]) return { ok: false, problem: `an IPv${family} prefix length is at most ${BITS[family]}, got /${prefix}` };
  }
  const range = rangeOf(family, value, prefix);
  const hostBitsSet = range.family === family ? value !== range.first : (value & 0xffffffffn) !== range.first;
  return hostBitsSet ? { ok: true, range, warning: `"${text}" has host bits set; read as ${range.cidr}` } : { ok: true, range };
}

/** Whether an IPv6 range covers all of `::ffff:0:0/96`, so every IPv4 address is inside it too. */
export function coversMappedSpace(range: ParsedCidr): boolean {
  return range.family === 6 && range.first <= MAPPED_PREFIX && range.last >= (MAPPED_PREFIX | 0xffffffffn);
}

/** Entries read from one source: the good ones, the normalisation warnings and the problems. */
export interface CidrListResult {
  ranges: ParsedCidr[];
  warnings: string[];
  /** One line per invalid entry, naming it (and its line when the caller gave labels). */
  problems: string[];
}

/** Parses many entries, keeping every problem rather than stopping at the first. */
export function parseCidrList(entries: readonly { text: string; label?: string }[]): CidrListResult {
  const result: CidrListResult = { ranges: [], warnings: [], problems: [] };
  for (const { text, label } of entries) {
    const where = label ? `${label}: ` : '';
    const parsed = parseCidr(text);
    if (!parsed.ok) {
      // JSON.stringify quotes and escapes the entry: it may be text from a vendor's server.
      result.problems.push(`${where}${JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text)} is invalid: ${parsed.problem}`);
      continue;
    }
    result.ranges.push(parsed.range);
    if (parsed.warning) result.warnings.push(`${where}${parsed.warning}`);
  }
  return result;
}

/**
 * The network a sign-in is grouped under: `AS<n>` when the autonomous system is known, otherwise
 * the IPv4 /24 or IPv6 /48 around the address (mapped addresses as IPv4); undefined when the
 * address cannot be read. AS 0 is reserved and means "unknown" in log data, so it falls back too.
 */
export function networkKey(ip: string | undefined, asn?: number): string | undefined {
  if (asn !== undefined && Number.isInteger(asn) && asn > 0) return `AS${asn}`;
  const parsed = ip === undefined ? undefined : parseAddress(ip);
  if (!parsed) return undefined;
  if (parsed.family === 4) return `${formatAddress(4, BigInt(parsed.value) & 0xffffff00n)}/24`;
  const top = (BigInt(parsed.words[0] ?? 0) << 96n) | (BigInt((parsed.words[1] ?? 0) >>> 16) << 80n);
  return `${formatAddress(6, top)}/48`;
}
