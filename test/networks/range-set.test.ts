import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import type { RangeProvenance } from '../../src/events.js';
import { isCredwatchError } from '../../src/errors.js';
import { parseAddress } from '../../src/networks/address.js';
import { RangeSet } from '../../src/networks/range-set.js';

const at = new Date('2026-01-05T00:00:00Z');
const prov = (cidr: string, source = 'cidrs', vendor = 'Mimecast'): RangeProvenance => ({ vendor, source, cidr, fetchedAt: at, stale: false });
const setOf = (...cidrs: (string | [string, string])[]) =>
  RangeSet.build(cidrs.map((c) => (typeof c === 'string' ? { cidr: c, provenance: prov(c) } : { cidr: c[0], provenance: prov(c[0], c[1]) })));
const cidrsOf = (found: readonly RangeProvenance[] | undefined) => found?.map((p) => `${p.source} ${p.cidr}`);

describe('matching an address against allowed ranges', () => {
  const set = setOf('205.139.110.0/24', '170.10.129.0/24', '2001:db8:c0de::/48');

  it('finds the range of an IPv4 address and says where it came from', () => {
    expect(set.match('205.139.110.42')).toEqual([prov('205.139.110.0/24')]);
    expect(set.contains('170.10.129.1')).toBe(true);
  });

  it('includes the first and last address of a range and nothing one step outside', () => {
    expect(set.contains('205.139.110.0')).toBe(true);
    expect(set.contains('205.139.110.255')).toBe(true);
    expect(set.contains('205.139.109.255')).toBe(false);
    expect(set.contains('205.139.111.0')).toBe(false);
    expect(set.contains('2001:db8:c0de::')).toBe(true);
    expect(set.contains('2001:db8:c0de:ffff:ffff:ffff:ffff:ffff')).toBe(true);
    expect(set.contains('2001:db8:c0dd:ffff:ffff:ffff:ffff:ffff')).toBe(false);
    expect(set.contains('2001:db8:c0df::')).toBe(false);
  });

  it('matches IPv6 addresses, and IPv4-mapped IPv6 addresses against IPv4 ranges', () => {
    expect(cidrsOf(set.match('2001:db8:c0de:12::7'))).toEqual(['cidrs 2001:db8:c0de::/48']);
    expect(cidrsOf(set.match('::ffff:205.139.110.42'))).toEqual(['cidrs 205.139.110.0/24']);
    expect(cidrsOf(set.match('::FFFF:cd8b:6e2a'))).toEqual(['cidrs 205.139.110.0/24']);
    expect(set.contains('::ffff:198.51.100.1')).toBe(false);
  });

  it('matches nothing, and does not throw, for an empty or garbage address', () => {
    for (const ip of ['', ' ', 'unknown', '205.139.110', '205.139.110.0/24', '205.139.110.42 ', '::ffff:', '\u0000', 'fe80::1%eth0']) {
      expect(set.match(ip)).toBeUndefined();
      expect(set.contains(ip)).toBe(false);
    }
  });

  it('matches an address parsed once the same way as its text', () => {
    const parsed = parseAddress('::ffff:170.10.129.9');
    expect(parsed && set.matchParsed(parsed)).toEqual(set.match('170.10.129.9'));
  });

  it('matches nothing when it holds no ranges', () => {
    expect(RangeSet.build([]).match('1.2.3.4')).toBeUndefined();
    expect(RangeSet.build([]).size).toBe(0);
  });
});

describe('merging overlapping and adjacent ranges', () => {
  it('shows every range that holds an address, most specific first, from both sources', () => {
    const set = setOf(['10.0.0.0/8', 'file:/etc/a.txt'], ['10.1.0.0/16', 'url:https://vendor.example/ranges'], ['10.1.0.0/16', 'cidrs']);
    expect(cidrsOf(set.match('10.1.2.3'))).toEqual(['cidrs 10.1.0.0/16', 'url:https://vendor.example/ranges 10.1.0.0/16', 'file:/etc/a.txt 10.0.0.0/8']);
    // Outside the /16 only the /8 holds it: the wider merge must not claim the narrower range.
    expect(cidrsOf(set.match('10.2.0.1'))).toEqual(['file:/etc/a.txt 10.0.0.0/8']);
    expect(cidrsOf(set.match('10.0.255.255'))).toEqual(['file:/etc/a.txt 10.0.0.0/8']);
    expect(set.size).toBe(3);
  });

  it('keeps adjacent ranges contiguous, each address naming its own range', () => {
    const set = setOf(['91.220.42.0/25', 'cidrs'], ['91.220.42.128/25', 'namedLocation:Mimecast EU']);
    expect(cidrsOf(set.match('91.220.42.127'))).toEqual(['cidrs 91.220.42.0/25']);
    expect(cidrsOf(set.match('91.220.42.128'))).toEqual(['namedLocation:Mimecast EU 91.220.42.128/25']);
    expect(set.contains('91.220.43.0')).toBe(false);
  });

  it('drops a range repeated by the same source but keeps the same range from another', () => {
    const set = setOf('203.0.113.0/24', '203.0.113.0/24', ['203.0.113.0/24', 'file:/x']);
    expect(set.size).toBe(2);
    expect(set.match('203.0.113.9')).toHaveLength(2);
  });

  it('lets an IPv6 range spanning the mapped space hold IPv4 addresses too', () => {
    expect(setOf('::/0').contains('198.51.100.1')).toBe(true);
    expect(setOf('2000::/3').contains('198.51.100.1')).toBe(false);
  });

  it('answers like a linear scan over thousands of random nested ranges', () => {
    let seed = 11;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const cidrs = Array.from({ length: 3000 }, () => `${10 + next(3)}.${next(4)}.${next(256)}.${next(256)}/${8 + next(25)}`);
    const set = RangeSet.build(cidrs.map((cidr) => ({ cidr, provenance: prov(cidr) })));
    // Host bits are set in most of them: the oracle compares distinct networks, as the set keeps them.
    const networks = new Set(cidrs.map((c) => `${ipaddr.IPv4.networkAddressFromCIDR(c).toString()}/${c.split('/')[1] ?? ''}`));
    const parsed = [...networks].map((c) => ipaddr.IPv4.parseCIDR(c));
    for (let i = 0; i < 3000; i += 1) {
      const ip = `${10 + next(3)}.${next(4)}.${next(256)}.${next(256)}`;
      const expected = parsed.filter((r) => ipaddr.IPv4.parse(ip).match(r)).length;
      expect(set.match(ip)?.length ?? 0, ip).toBe(expected);
    }
  });
});

describe('building from invalid entries', () => {
  it('fails with CONFIG_INVALID naming every invalid entry and its source', () => {
    let error: unknown;
    try {
      RangeSet.build([
        { cidr: '91.220.42.0/24', provenance: prov('91.220.42.0/24') },
        { cidr: 'mimecast.com', provenance: prov('mimecast.com', 'file:/etc/mimecast.txt') },
        { cidr: '1.2.3.0/99', provenance: prov('1.2.3.0/99') },
      ]);
    } catch (e: unknown) {
      error = e;
    }
    expect(isCredwatchError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toContain('"mimecast.com" (Mimecast, file:/etc/mimecast.txt)');
    expect((error as Error).message).toContain('"1.2.3.0/99" (Mimecast, cidrs): an IPv4 prefix length is at most 32, got /99');
  });
});
