import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAllowlists } from '../../src/networks/sources.js';
import { vendorForApp } from '../../src/networks/vendors.js';
import { captureLogger } from '../helpers/tenant.js';
import { memoryCache, noHttp, vendor } from './helpers.js';

const now = new Date('2026-01-05T10:00:00Z');

async function resolve(vendors: Parameters<typeof resolveAllowlists>[0]) {
  const log = captureLogger('debug');
  const resolution = await resolveAllowlists(vendors, { http: noHttp, cache: memoryCache(), now: () => now, logger: log.logger });
  return { resolution, lines: log.lines };
}

async function tempFile(text: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'credwatch-allowlist-')), 'ranges.txt');
  await writeFile(path, text);
  return path;
}

describe('resolving inline and file allowlists', () => {
  it('builds a matcher from inline CIDRs with their provenance', async () => {
    const { resolution } = await resolve([vendor('Mimecast', [{ type: 'cidrs', cidrs: ['205.139.110.0/24', '2001:db8:c0de::/48'] }])]);
    expect(resolution.byVendor.get('Mimecast')?.match('205.139.110.9')).toEqual([
      { vendor: 'Mimecast', source: 'cidrs', cidr: '205.139.110.0/24', fetchedAt: undefined, stale: false },
    ]);
    expect(resolution.health.get('Mimecast')).toBe('complete');
    expect(resolution.sources).toEqual([{ vendor: 'Mimecast', source: 'cidrs', status: 'ok', ranges: 2, warnings: [] }]);
  });

  it('reads a file with comments and blank lines, normalising host bits with a warning', async () => {
    const path = await tempFile('# Mimecast EU, from the vendor portal\n\n195.130.217.17/24   # London\n91.220.42.0/24\r\n  146.101.78.5\n');
    const { resolution, lines } = await resolve([vendor('Mimecast', [{ type: 'file', path }])]);
    const set = resolution.byVendor.get('Mimecast');
    expect(set?.match('195.130.217.200')?.[0]).toMatchObject({ source: `file:${path}`, cidr: '195.130.217.0/24' });
    expect(set?.contains('146.101.78.5')).toBe(true);
    expect(set?.contains('146.101.78.6')).toBe(false);
    expect(resolution.sources[0]).toMatchObject({
      status: 'ok',
      ranges: 3,
      warnings: ['line 3: "195.130.217.17/24" has host bits set; read as 195.130.217.0/24'],
    });
    expect(lines().find((l) => l['msg'] === 'allowlist source read with warnings')).toMatchObject({ level: 'warn', vendor: 'Mimecast' });
  });

  it('fails a file with invalid entries as a whole, naming the vendor, the file and each entry', async () => {
    const path = await tempFile('91.220.42.0/24\nmimecast.com\n146.101.78.0/33\n');
    const { resolution, lines } = await resolve([vendor('Mimecast', [{ type: 'file', path }])]);
    expect(resolution.byVendor.has('Mimecast')).toBe(false);
    expect(resolution.health.get('Mimecast')).toBe('unknown');
    const report = resolution.sources[0];
    expect(report).toMatchObject({ status: 'failed', ranges: 0, errorCode: 'CONFIG_INVALID' });
    expect(report?.error).toBe(
      `Vendor "Mimecast", allowlist source file:${path}: 2 invalid entries:\n` +
        '  - line 2: "mimecast.com" is invalid: "mimecast.com" is not an IPv4 or IPv6 address\n' +
        '  - line 3: "146.101.78.0/33" is invalid: an IPv4 prefix length is at most 32, got /33',
    );
    expect(lines().find((l) => l['msg'] === 'allowlist source failed')).toMatchObject({ level: 'error', err: { code: 'CONFIG_INVALID' } });
  });

  it('fails a missing or empty file with ALLOWLIST_SOURCE_FAILED', async () => {
    const empty = await tempFile('# nothing yet\n');
    const { resolution } = await resolve([vendor('A', [{ type: 'file', path: '/nonexistent/ranges.txt' }]), vendor('B', [{ type: 'file', path: empty }])]);
    expect(resolution.sources.map((s) => [s.vendor, s.status, s.errorCode])).toEqual([
      ['A', 'failed', 'ALLOWLIST_SOURCE_FAILED'],
      ['B', 'failed', 'ALLOWLIST_SOURCE_FAILED'],
    ]);
    expect(resolution.sources[0]?.error).toContain('could not read allowlist file /nonexistent/ranges.txt (ENOENT)');
  });
});

describe('what a caller can tell about each vendor', () => {
  it('has no matcher for a vendor whose every source failed, so its sign-ins are unknown, not clean or outside', async () => {
    const { resolution, lines } = await resolve([
      vendor('Broken', [
        { type: 'file', path: '/nonexistent' },
        { type: 'namedLocation', displayName: 'Broken EU' },
      ]),
    ]);
    expect(resolution.byVendor.get('Broken')).toBeUndefined();
    expect(resolution.health.get('Broken')).toBe('unknown');
    expect(resolution.sources.map((s) => s.status)).toEqual(['failed', 'failed']);
    expect(resolution.sources[1]?.error).toContain('need a Graph connection');
    expect(lines().some((l) => l['level'] === 'error' && l['vendor'] === 'Broken' && String(l['msg']).includes('unknown'))).toBe(true);
  });

  it('marks a vendor partial when some sources failed, keeping the ranges it could read', async () => {
    const { resolution } = await resolve([
      vendor('Mimecast', [
        { type: 'cidrs', cidrs: ['91.220.42.0/24'] },
        { type: 'file', path: '/nonexistent' },
      ]),
    ]);
    expect(resolution.health.get('Mimecast')).toBe('partial');
    expect(resolution.byVendor.get('Mimecast')?.contains('91.220.42.1')).toBe(true);
  });

  it('tells a vendor without any allowlist apart from one whose allowlist failed', async () => {
    const { resolution } = await resolve([vendor('Learning', [])]);
    expect(resolution.health.get('Learning')).toBe('unconfigured');
    expect(resolution.byVendor.has('Learning')).toBe(false);
  });
});

describe('finding the vendor of an app', () => {
  const vendors = [
    vendor('Mimecast', [], { appIds: ['11111111-AAAA-4000-8000-000000000001'], ownerTenantIds: ['bbbbbbbb-0000-4000-8000-000000000002'] }),
    vendor('Partner', [], { ownerTenantIds: ['EEEEEEEE-0000-4000-8000-000000000005'] }),
  ];

  it('matches the app id or the owner tenant, ignoring the case of the GUIDs', () => {
    expect(vendorForApp(vendors, '11111111-aaaa-4000-8000-000000000001')?.name).toBe('Mimecast');
    expect(vendorForApp(vendors, '99999999-0000-4000-8000-000000000009', 'eeeeeeee-0000-4000-8000-000000000005')?.name).toBe('Partner');
    expect(vendorForApp(vendors, '99999999-0000-4000-8000-000000000009', 'BBBBBBBB-0000-4000-8000-000000000002')?.name).toBe('Mimecast');
  });

  it('prefers the vendor listing the app id over one listing its owner', () => {
    const both = [vendor('ByOwner', [], { ownerTenantIds: ['bbbbbbbb-0000-4000-8000-000000000002'] }), ...vendors];
    expect(vendorForApp(both, '11111111-aaaa-4000-8000-000000000001', 'bbbbbbbb-0000-4000-8000-000000000002')?.name).toBe('Mimecast');
  });

  it('finds no vendor for an unknown app', () => {
    expect(vendorForApp(vendors, '99999999-0000-4000-8000-000000000009', undefined)).toBeUndefined();
  });
});
