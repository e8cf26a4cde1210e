/**
 * The hot path: turning a sign-in's IP string into numbers the matcher can binary-search.
 *
 * Hand-written rather than ipaddr.js on purpose (STYLE habit 12 says to say so): ipaddr.js parses
 * through regular expressions and allocates objects, which costs more than the whole lookup we are
 * aiming for (see docs/allowlists.md for the figures). ipaddr.js stays the parser for configuration
 * (cidr.ts), and test/networks/address.test.ts checks this parser agrees with it.
 */

/** A parsed address. IPv4-mapped IPv6 (`::ffff:1.2.3.4`) is returned as IPv4 so it matches IPv4 ranges. */
export type ParsedAddress = { readonly family: 4; readonly value: number } | { readonly family: 6; readonly words: Uint32Array };

/**
 * A strict dotted-quad IPv4 address (no leading zeros, which some parsers read as octal) within
 * `text[start, end)`, as an unsigned 32-bit number; -1 when it is not one.
 */
export function parseIPv4(text: string, start = 0, end = text.length): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < end; i += 1) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      // A leading zero is only allowed as the octet "0" itself.
      if (digits === 1 && octet === 0) return -1;
      octet = octet * 10 + (c - 48);
      digits += 1;
      if (octet > 255) return -1;
    } else if (c === 46 && digits > 0 && dots < 3) {
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots += 1;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || digits === 0) return -1;
  // Multiplication rather than shifts keeps the result unsigned without a `>>> 0`.
  return value * 256 + octet;
}

// Hex digit values by character code (-1 for anything else): one load instead of three range checks.
const HEX = new Int8Array(128).fill(-1);
for (let c = 0; c < 16; c += 1) {
  const digit = c.toString(16);
  HEX[digit.charCodeAt(0)] = c;
  HEX[digit.toUpperCase().charCodeAt(0)] = c;
}

// Reused between calls: parsing is synchronous, and avoiding an allocation per sign-in matters here.
const groups = new Uint16Array(8);

/**
 * Parses an IPv6 address (with `::` compression and an optional dotted IPv4 tail) into four
 * big-endian 32-bit words in `out`. Zone ids (`%eth0`) are rejected: a sign-in never carries one.
 */
export function parseIPv6Into(text: string, out: Uint32Array): boolean {
  const n = text.length;
  if (n < 2) return false;
  let i = 0;
  let count = 0;
  let gap = -1;
  if (text.charCodeAt(0) === 58) {
    if (text.charCodeAt(1) !== 58) return false;
    gap = 0;
    i = 2;
  }
  while (i < n) {
    const start = i;
    let value = 0;
    let c = text.charCodeAt(i);
    let h = c < 128 ? (HEX[c] ?? -1) : -1;
    while (h >= 0) {
      value = (value << 4) | h;
      i += 1;
      if (i - start > 4) return false;
      if (i === n) break;
      c = text.charCodeAt(i);
      h = c < 128 ? (HEX[c] ?? -1) : -1;
    }
    if (c === 46 && i < n) {
      // The dotted IPv4 tail takes the last two groups and must end the address.
      if (count > 6) return false;
      const v4 = parseIPv4(text, start, n);
      if (v4 < 0) return false;
      groups[count++] = v4 >>> 16;
      groups[count++] = v4 & 0xffff;
      break;
    }
    if (i === start || count >= 8) return false;
    groups[count++] = value;
    if (i === n) break;
    if (c !== 58) return false;
    i += 1;
    if (i < n && text.charCodeAt(i) === 58) {
      if (gap >= 0) return false;
      gap = count;
      i += 1;
    } else if (i === n) {
      return false; // a single trailing colon
    }
  }
  if (gap < 0) {
    if (count !== 8) return false;
  } else {
    if (count > 7) return false;
    const missing = 8 - count;
    for (let k = count - 1; k >= gap; k -= 1) groups[k + missing] = groups[k] ?? 0;
    for (let k = gap; k < gap + missing; k += 1) groups[k] = 0;
  }
  // Uint32Array stores the low 32 bits, so the sign of `<<` does not matter.
  out[0] = ((groups[0] ?? 0) << 16) | (groups[1] ?? 0);
  out[1] = ((groups[2] ?? 0) << 16) | (groups[3] ?? 0);
  out[2] = ((groups[4] ?? 0) << 16) | (groups[5] ?? 0);
  out[3] = ((groups[6] ?? 0) << 16) | (groups[7] ?? 0);
  return true;
}

/** Whether four words are an IPv4-mapped IPv6 address (`::ffff:0:0/96`). */
export function isMappedIPv4(words: Uint32Array): boolean {
  return words[0] === 0 && words[1] === 0 && words[2] === 0xffff;
}

/**
 * Parses an IPv4 or IPv6 address; undefined for anything else (empty, garbage, a CIDR, a zone id).
 * Use it to parse once and match against several sets.
 */
export function parseAddress(text: string): ParsedAddress | undefined {
  const v4 = parseIPv4(text);
  if (v4 >= 0) return { family: 4, value: v4 };
  const words = new Uint32Array(4);
  if (!parseIPv6Into(text, words)) return undefined;
  if (isMappedIPv4(words)) return { family: 4, value: words[3] ?? 0 };
  return { family: 6, words };
}
