import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { parseAddress } from '../../src/networks/address.js';

/** ipaddr.js as the oracle: its reading of an address as (family, 32-bit words). */
function oracle(text: string): { family: 4 | 6; words: number[] } | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text))
    return {
      family: 4,
      words: [
        ipaddr.IPv4.parse(text)
          .toByteArray()
          .reduce((a, b) => a * 256 + b, 0),
      ],
    };
  if (text.includes('%') || !ipaddr.IPv6.isValid(text)) return undefined;
  const address = ipaddr.IPv6.parse(text);
  if (address.isIPv4MappedAddress())
    return {
      family: 4,
      words: [
        address
          .toIPv4Address()
          .toByteArray()
          .reduce((a, b) => a * 256 + b, 0),
      ],
    };
  const parts = address.parts;
  return { family: 6, words: [0, 1, 2, 3].map((w) => ((parts[2 * w] ?? 0) * 65536 + (parts[2 * w + 1] ?? 0)) >>> 0) };
}

function ours(text: string): { family: 4 | 6; words: number[] } | undefined {
  const parsed = parseAddress(text);
  if (!parsed) return undefined;
  return parsed.family === 4 ? { family: 4, words: [parsed.value] } : { family: 6, words: [...parsed.words] };
}

/** Deterministic random IPv6 texts in every shape: full, compressed at each position, upper case, IPv4 tail. */
function ipv6Corpus(count: number): string[] {
  let seed = 7;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const out: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const groups = Array.from({ length: 8 }, () => (next(3) === 0 ? 0 : next(65536)).toString(16));
    const address = ipaddr.IPv6.parse(groups.join(':'));
    const shape = i % 5;
    if (shape === 0) out.push(groups.join(':'));
    else if (shape === 1) out.push(address.toString());
    else if (shape === 2) out.push(address.toNormalizedString().toUpperCase());
    else if (shape === 3) out.push(`${groups.slice(0, 6).join(':')}:${next(256)}.${next(256)}.${next(256)}.${next(256)}`);
    else out.push(`::ffff:${next(256)}.${next(256)}.${next(256)}.${next(256)}`);
  }
  return out;
}

describe('the hot-path address parser', () => {
  it('reads IPv4 and IPv6 addresses exactly as ipaddr.js does', () => {
    const samples = [
      '0.0.0.0',
      '255.255.255.255',
      '203.0.113.7',
      '10.0.0.1',
      '::',
      '::1',
      '1::',
      '2001:db8::',
      '2001:db8:0:0:1:0:0:1',
      'fe80::1:2',
      '1:2:3:4:5:6:7::',
      '::2:3:4:5:6:7:8',
      '2001:DB8::ABCD',
      '::ffff:198.51.100.9',
      '::FFFF:c633:6409',
      '64:ff9b::192.0.2.33',
      ...ipv6Corpus(2000),
    ];
    for (const sample of samples) expect(ours(sample), sample).toEqual(oracle(sample));
  });

  it('departs from ipaddr.js only where ipaddr.js is lenient or not RFC 4291', () => {
    // A leading zero in an IPv4 tail could mean octal; rejected as in plain IPv4.
    expect(parseAddress('::ffff:01.2.3.4')).toBeUndefined();
    // The deprecated IPv4-compatible form is an IPv6 address, not a mapped IPv4 one (ipaddr.js maps it).
    expect(ours('::1.2.3.4')).toEqual({ family: 6, words: [0, 0, 0, 0x01020304] });
  });

  it('reads an IPv4-mapped IPv6 address as the IPv4 address it carries', () => {
    expect(parseAddress('::ffff:195.130.217.40')).toEqual({ family: 4, value: 0xc382d928 });
    expect(parseAddress('::ffff:c382:d928')).toEqual({ family: 4, value: 0xc382d928 });
    expect(parseAddress('195.130.217.40')).toEqual({ family: 4, value: 0xc382d928 });
  });

  it('rejects everything that is not one address, as ipaddr.js does, without throwing', () => {
    const garbage = [
      '',
      ' ',
      'x',
      '1',
      '1.2.3',
      '1.2.3.4.5',
      '256.1.1.1',
      '01.2.3.4',
      '1.2.3.04',
      '1..2.3',
      '1.2.3.',
      '.1.2.3',
      '1.2.3.4 ',
      ' 1.2.3.4',
      '0x1.2.3.4',
      '1.2.3.4/32',
      ':',
      ':::',
      '1:::2',
      '1::2::3',
      ':1::',
      '1:2:3:4:5:6:7:8:9',
      '1:2:3:4:5:6:7',
      '12345::',
      'g::1',
      '::ffff:1.2.3',
      '::ffff:1.2.3.256',
      '1:2:3:4:5:6:7:1.2.3.4',
      'fe80::1%eth0',
      '2001:db8::/32',
      '1:2:3:4:5:6:7:8::',
      '::1.2.3.4:5',
      'not-an-ip',
      'null',
    ];
    for (const sample of garbage) {
      expect(parseAddress(sample), JSON.stringify(sample)).toBeUndefined();
      expect(oracle(sample), JSON.stringify(sample)).toBeUndefined();
    }
  });
});
