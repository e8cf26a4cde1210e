import { describe, expect, it } from 'vitest';
import { networkKey } from '../../src/rules/network-key.js';

describe('networkKey', () => {
  it('prefers the autonomous system number', () => {
    expect(networkKey('203.0.113.40', 64512)).toBe('AS64512');
  });

  it('groups IPv4 by /24 without an ASN', () => {
    expect(networkKey('203.0.113.40', undefined)).toBe('203.0.113.0/24');
  });

  it('groups IPv6 by /48 in canonical form', () => {
    expect(networkKey('2001:0db8:0005:0001::7', undefined)).toBe('2001:db8:5::/48');
    expect(networkKey('2a01:111:f400:1::25', undefined)).toBe('2a01:111:f400::/48');
  });

  it('keys an IPv4-mapped IPv6 address as its IPv4 /24', () => {
    expect(networkKey('::ffff:205.139.110.77', undefined)).toBe('205.139.110.0/24');
  });

  it('has no key for a missing or unparseable address without an ASN', () => {
    expect(networkKey(undefined, undefined)).toBeUndefined();
    expect(networkKey('203.0.113.x', undefined)).toBeUndefined();
    expect(networkKey('', 0)).toBeUndefined();
  });
});
