import { describe, expect, it } from 'vitest';
import { networkKey, parseCidr, parseCidrList } from '../../src/networks/cidr.js';

describe('reading allowlist entries', () => {
  it('reads IPv4 and IPv6 CIDRs into their first and last address', () => {
    const v4 = parseCidr('205.139.110.0/24');
    expect(v4).toEqual({ ok: true, range: { family: 4, first: 0xcd8b6e00n, last: 0xcd8b6effn, prefix: 24, cidr: '205.139.110.0/24' } });
    const v6 = parseCidr('2001:DB8:C0DE::/48');
    expect(v6.ok && v6.range.cidr).toBe('2001:db8:c0de::/48');
    expect(v6.ok && v6.range.last - v6.range.first).toBe((1n << 80n) - 1n);
  });

  it('takes a bare address as a single host (/32 or /128)', () => {
    expect(parseCidr('198.51.100.7')).toMatchObject({ ok: true, range: { cidr: '198.51.100.7/32', prefix: 32 } });
    expect(parseCidr('2001:db8::1')).toMatchObject({ ok: true, range: { cidr: '2001:db8::1/128', prefix: 128 } });
  });

  it("normalises host bits with a warning, as in Microsoft's own named-location example", () => {
    const result = parseCidr('195.130.217.17/24');
    expect(result).toMatchObject({ ok: true, range: { cidr: '195.130.217.0/24' } });
    expect(result.ok && result.warning).toBe('"195.130.217.17/24" has host bits set; read as 195.130.217.0/24');
    expect(parseCidr('12.34.221.11/22')).toMatchObject({ range: { cidr: '12.34.220.0/22' } });
    expect(parseCidr('2001:db8:c0de:1::/48')).toMatchObject({ range: { cidr: '2001:db8:c0de::/48' }, warning: expect.stringContaining('host bits') });
  });

  it('reads a range of IPv4-mapped IPv6 addresses as the IPv4 range', () => {
    expect(parseCidr('::ffff:203.0.113.0/120')).toMatchObject({ ok: true, range: { family: 4, cidr: '203.0.113.0/24' } });
  });

  it('names what is wrong with each invalid entry', () => {
    expect(parseCidr('10.0.0.300/24')).toEqual({ ok: false, problem: '"10.0.0.300" is not an IPv4 or IPv6 address' });
    expect(parseCidr('10.0.0.0/33')).toEqual({ ok: false, problem: 'an IPv4 prefix length is at most 32, got /33' });
    expect(parseCidr('2001:db8::/129')).toEqual({ ok: false, problem: 'an IPv6 prefix length is at most 128, got /129' });
    expect(parseCidr('10.0.0.0/x')).toEqual({ ok: false, problem: '"/x" is not a prefix length' });
    expect(parseCidr('10.0.0.0/8/8').ok).toBe(false);
    expect(parseCidr('').ok).toBe(false);
    expect(parseCidr('10.1/16').ok).toBe(false);
  });

  it('collects every problem of a list with its label instead of stopping at the first', () => {
    const result = parseCidrList([
      { text: '91.220.42.0/24', label: 'line 1' },
      { text: 'mimecast.com', label: 'line 2' },
      { text: '146.101.78.9/24', label: 'line 3' },
      { text: '1.2.3.4/40', label: 'line 4' },
    ]);
    expect(result.ranges.map((r) => r.cidr)).toEqual(['91.220.42.0/24', '146.101.78.0/24']);
    expect(result.warnings).toEqual(['line 3: "146.101.78.9/24" has host bits set; read as 146.101.78.0/24']);
    expect(result.problems).toEqual([
      'line 2: "mimecast.com" is invalid: "mimecast.com" is not an IPv4 or IPv6 address',
      'line 4: "1.2.3.4/40" is invalid: an IPv4 prefix length is at most 32, got /40',
    ]);
  });
});

describe('the network key used to group sign-ins', () => {
  it('is the AS number when the sign-in carries one', () => {
    expect(networkKey('198.51.100.7', 64500)).toBe('AS64500');
  });

  it('is the IPv4 /24 or IPv6 /48 around the address otherwise', () => {
    expect(networkKey('203.0.113.77')).toBe('203.0.113.0/24');
    expect(networkKey('2001:db8:bad:1::40')).toBe('2001:db8:bad::/48');
    expect(networkKey('2001:db8:0:ffff::1')).toBe('2001:db8::/48');
    expect(networkKey('fe80:ab12:cd34::1')).toBe('fe80:ab12:cd34::/48');
  });

  it('groups an IPv4-mapped address with its IPv4 network, and AS 0 as unknown', () => {
    expect(networkKey('::ffff:203.0.113.77', 0)).toBe('203.0.113.0/24');
  });

  it('is undefined for an address it cannot read', () => {
    expect(networkKey('garbage')).toBeUndefined();
    expect(networkKey(undefined)).toBeUndefined();
  });
});
