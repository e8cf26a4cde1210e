import { describe, expect, it } from 'vitest';
import { refusedAddress } from '../../src/networks/address-policy.js';

describe('addresses an allowlist URL may connect to', () => {
  it('allows global unicast IPv4 and IPv6, also through NAT64', () => {
    for (const address of ['13.69.71.200', '195.130.217.9', '2603:1020:206:402::180', '64:ff9b::808:808']) {
      expect(refusedAddress(address), address).toBeUndefined();
    }
  });

  it('names why an internal, special or metadata address is refused', () => {
    const cases: Record<string, string> = {
      '127.0.0.1': 'loopback',
      '::1': 'loopback',
      '10.1.2.3': 'private (RFC 1918)',
      '172.16.0.1': 'private (RFC 1918)',
      '192.168.1.1': 'private (RFC 1918)',
      'fc00::1': 'private (unique local, fc00::/7)',
      '169.254.1.1': 'link-local',
      'fe80::1': 'link-local',
      '100.64.0.1': 'carrier-grade NAT (100.64.0.0/10)',
      '0.0.0.0': 'unspecified',
      '::': 'unspecified',
      '224.0.0.1': 'multicast',
      'ff02::1': 'multicast',
      '255.255.255.255': 'broadcast',
      '203.0.113.5': 'reserved (documentation, benchmarking or future use)',
      '169.254.169.254': 'cloud instance metadata',
      'fd00:ec2::254': 'cloud instance metadata',
      '::ffff:10.0.0.1': 'private (RFC 1918)',
      '64:ff9b::a9fe:a9fe': 'cloud instance metadata',
      'not-an-ip': 'not an IP address',
    };
    expect(Object.fromEntries(Object.keys(cases).map((a) => [a, refusedAddress(a)]))).toEqual(cases);
  });
});
