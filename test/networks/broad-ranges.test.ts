import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { AllowlistHttp } from '../../src/networks/allowlist-http.js';
import type { AllowlistSource, AllowlistVendor, VendorBreadthLimits } from '../../src/networks/broad-sources.js';
import { resolveAllowlists } from '../../src/networks/sources.js';
import { packageRoot } from '../../src/package-root.js';
import { captureLogger } from '../helpers/tenant.js';
import { cannedHttp, memoryCache, noHttp } from './helpers.js';

const MIMECAST_FILE = `${packageRoot()}/config/vendors/mimecast-2021.txt`;
const AZURE_WEST_EUROPE = new URL('./fixtures/azure-servicetags-westeurope-change240.json', import.meta.url);

function vendor(allowedRanges: AllowlistSource[], broadRangeLimits?: VendorBreadthLimits): AllowlistVendor {
  return { name: 'Mimecast', appIds: [], ownerTenantIds: [], allowedRanges, ...(broadRangeLimits ? { broadRangeLimits } : {}) };
}

async function resolve(v: AllowlistVendor, http: AllowlistHttp = noHttp) {
  const log = captureLogger('debug');
  const resolution = await resolveAllowlists([v], { http, cache: memoryCache(), now: () => new Date('2026-11-26T12:00:00Z'), logger: log.logger });
  return { resolution, report: resolution.sources[0], set: resolution.byVendor.get('Mimecast'), health: resolution.health.get('Mimecast'), lines: log.lines };
}

const inline = (...cidrs: string[]): AllowlistSource => ({ type: 'cidrs', cidrs });

/** The Azure West Europe service tag, served as the vendor's JSON feed. */
async function azureFeed(): Promise<{ source: AllowlistSource; http: AllowlistHttp }> {
  const body = await readFile(AZURE_WEST_EUROPE, 'utf8');
  return {
    source: {
      type: 'url',
      url: 'https://vendor.example/ServiceTags_Public.json',
      format: 'json',
      jsonPath: 'values[].properties.addressPrefixes',
      timeoutInMs: 2_000,
      staleAfterInDays: 7,
    },
    http: cannedHttp(() => new Response(body, { status: 200 })),
  };
}

describe('an allowlist source that allows (nearly) everything is refused', () => {
  it('refuses 0.0.0.0/0, so the vendor is unknown rather than every sign-in being inside', async () => {
    const { report, set, health, lines } = await resolve(vendor([inline('0.0.0.0/0')]));
    expect(set).toBeUndefined();
    expect(health).toBe('unknown');
    expect(report).toMatchObject({
      status: 'failed',
      ranges: 0,
      errorCode: 'ALLOWLIST_TOO_BROAD',
      broad: { decision: 'refused', ipv4Percent: 100, ipv6Percent: 0 },
    });
    expect(report?.error).toBe(
      'Vendor "Mimecast", allowlist source 1 (cidrs) allows 100 % of the IPv4 address space (0.0.0.0/0; limit 1 %); refused — set acceptBroadRanges with a reason to allow it. ' +
        "Any host in those networks, a rented cloud VM included, would count as Mimecast's own and raise no alert.",
    );
    expect(lines().find((l) => l['msg'] === 'allowlist source failed')).toMatchObject({ level: 'error', err: { code: 'ALLOWLIST_TOO_BROAD' } });
  });

  it('refuses ::/0, which also holds every IPv4-mapped address and so all of IPv4', async () => {
    const { report, health } = await resolve(vendor([inline('::/0')]));
    expect(health).toBe('unknown');
    expect(report?.broad?.excesses).toEqual([
      'allows 100 % of the IPv4 address space (::/0 (holds ::ffff:0:0/96); limit 1 %)',
      'allows 100 % of the IPv6 address space (::/0; limit 1 %)',
    ]);
  });

  it('refuses the two halves 0.0.0.0/1 and 128.0.0.0/1 by their total share, even with the prefix limit lifted', async () => {
    const { report, health } = await resolve(
      vendor([inline('0.0.0.0/1', '128.0.0.0/1')], { shortestIPv4Prefix: 0, reason: 'test: only the share may refuse' }),
    );
    expect(health).toBe('unknown');
    expect(report?.broad?.excesses).toEqual(['allows 100 % of the IPv4 address space (0.0.0.0/1, 128.0.0.0/1; limit 1 %)']);
  });

  it('refuses three /8s together (1.17 % of IPv4) although each prefix is long enough', async () => {
    const { report } = await resolve(vendor([inline('10.0.0.0/8', '11.0.0.0/8', '12.0.0.0/8')]));
    expect(report).toMatchObject({
      status: 'failed',
      broad: { excesses: ['allows 1.17 % of the IPv4 address space (10.0.0.0/8, 11.0.0.0/8, 12.0.0.0/8; limit 1 %)'] },
    });
  });

  it('refuses a /7 for its prefix, although it is under 1 % of IPv4', async () => {
    const { report } = await resolve(vendor([inline('10.0.0.0/7')]));
    expect(report).toMatchObject({ status: 'failed', broad: { ipv4Percent: 0.78125, excesses: ['holds a prefix shorter than /8 (10.0.0.0/7)'] } });
  });

  it('refuses an IPv6 prefix shorter than /16 even when the /32 total is loosened', async () => {
    const { report } = await resolve(vendor([inline('2a00::/12')], { maxIPv6Slash32s: 2 ** 20, reason: 'test: only the prefix may refuse' }));
    expect(report?.broad?.excesses).toEqual(['holds a prefix shorter than /16 (2a00::/12)']);
  });

  it('counts IPv6 ranges holding ::ffff:0:0/96 as all of IPv4, as the matcher does', async () => {
    // ::/80 is a tiny share of IPv6, but every IPv4 sign-in address would match it.
    for (const cidr of ['::ffff:0:0/96', '::/80']) {
      const { report } = await resolve(vendor([inline(cidr)]));
      expect(report?.broad?.excesses[0], cidr).toMatch(/^allows 100 % of the IPv4 address space/);
    }
    // Inside the mapped space, a range is the IPv4 range it maps: ::ffff:10.0.0.0/104 is 10.0.0.0/8.
    const { report, set } = await resolve(vendor([inline('::ffff:10.0.0.0/104')]));
    expect(report).toMatchObject({ status: 'ok', ranges: 1 });
    expect(report?.broad).toBeUndefined();
    expect(set?.contains('10.200.0.1')).toBe(true);
  });

  it('counts overlapping ranges once', async () => {
    // 10.0.0.0/8 three times over is still 0.39 %, and 10.1.0.0/16 inside it adds nothing.
    const { report } = await resolve(vendor([inline('10.0.0.0/8', '10.0.0.0/8', '10.1.0.0/16', '10.0.0.0/8')]));
    expect(report).toMatchObject({ status: 'ok' });
    expect(report?.broad).toBeUndefined();
  });

  it('decides the share exactly: a limit of exactly one /8 takes the /8 and refuses one address more', async () => {
    const limits = { maxIPv4Percent: 100 / 256, maxIPv6Slash32s: 1 / 16 };
    expect((await resolve(vendor([inline('10.0.0.0/8')], limits))).report?.status).toBe('ok');
    expect((await resolve(vendor([inline('10.0.0.0/8', '11.0.0.0/32')], limits))).report?.status).toBe('failed');
    // 1/16 of a /32 is exactly a /36.
    expect((await resolve(vendor([inline('2a01:4f8::/36')], limits))).report?.status).toBe('ok');
    expect((await resolve(vendor([inline('2a01:4f8::/36', '2a02::/128')], limits))).report?.status).toBe('failed');
  });

  it("keeps the vendor's other sources: one refused source makes it partial, and its range is outside", async () => {
    const { resolution, set, health } = await resolve(vendor([inline('205.139.110.0/24'), inline('0.0.0.0/0')]));
    expect(health).toBe('partial');
    expect(resolution.sources.map((s) => s.status)).toEqual(['ok', 'failed']);
    expect(resolution.sources[1]?.error).toMatch(/^Vendor "Mimecast", allowlist source 2 \(cidrs\) allows 100 % of the IPv4 address space/);
    expect(set?.contains('205.139.110.9')).toBe(true);
    expect(set?.contains('198.51.100.40')).toBe(false);
  });
});

describe('real vendor allowlists are accepted', () => {
  it("accepts Mimecast's published 2021 netblocks without a warning", async () => {
    const { report, health } = await resolve(vendor([{ type: 'file', path: MIMECAST_FILE }]));
    expect(health).toBe('complete');
    expect(report).toMatchObject({ status: 'ok', ranges: 43, warnings: [] });
    expect(report?.broad).toBeUndefined();
  });

  it('accepts the Azure West Europe service tag (321 prefixes, 0.082 % of IPv4), the feed of a vendor hosted in one region', async () => {
    const { source, http } = await azureFeed();
    const { report, set } = await resolve(vendor([source]), http);
    expect(report).toMatchObject({ status: 'ok', ranges: 321, warnings: [] });
    expect(set?.contains('13.95.0.1')).toBe(true);
  });
});

describe('a broad source can be accepted, never silently', () => {
  it('uses a source accepted with acceptBroadRanges and warns with the reason every time', async () => {
    const reason = 'lab tenant: the test vendor signs in from anywhere (SEC-1234)';
    const { report, set, health, lines } = await resolve(vendor([{ ...inline('0.0.0.0/0'), acceptBroadRanges: { reason } }]));
    expect(health).toBe('complete');
    expect(set?.contains('198.51.100.40')).toBe(true);
    expect(report).toMatchObject({ status: 'ok', broad: { decision: 'accepted', acceptedBy: 'acceptBroadRanges', reason, ipv4Percent: 100 } });
    expect(report?.warnings).toEqual([
      `broad source in use: it allows 100 % of the IPv4 address space (0.0.0.0/0; limit 1 %); accepted by acceptBroadRanges: "${reason}". Any host in those networks counts as Mimecast's own.`,
    ]);
    expect(lines().find((l) => l['msg'] === 'allowlist source read with warnings')).toMatchObject({ level: 'warn', vendor: 'Mimecast' });
  });

  it('does not take a blank reason as an acceptance', async () => {
    const { health } = await resolve(vendor([{ ...inline('0.0.0.0/0'), acceptBroadRanges: { reason: '  ' } }]));
    expect(health).toBe('unknown');
  });

  it('refuses what a stricter vendor limit does not allow: Azure West Europe under maxIPv4Percent 0.01', async () => {
    const { source, http } = await azureFeed();
    const { report, health } = await resolve(vendor([source], { maxIPv4Percent: 0.01 }), http);
    expect(health).toBe('unknown');
    expect(report?.broad?.excesses).toEqual(['allows 0.0824 % of the IPv4 address space (303 ranges, widest 13.80.0.0/15; limit 0.01 %)']);
  });

  it('uses what a looser vendor limit allows, with a warning quoting its reason', async () => {
    const limits = { shortestIPv4Prefix: 7, reason: 'vendor owns 10.0.0.0/7 (test)' };
    const { report, set } = await resolve(vendor([inline('10.0.0.0/7')], limits));
    expect(set?.contains('11.1.1.1')).toBe(true);
    expect(report).toMatchObject({ status: 'ok', broad: { decision: 'accepted', acceptedBy: 'broadRangeLimits', reason: limits.reason } });
    expect(report?.warnings[0]).toMatch(
      /^broad source in use: it holds a prefix shorter than \/8 \(10\.0\.0\.0\/7\); accepted by the vendor's broadRangeLimits/,
    );
  });

  it('ignores a looser limit that comes without a reason (a caller that skipped the schema)', async () => {
    const { health } = await resolve(vendor([inline('10.0.0.0/7')], { shortestIPv4Prefix: 0, maxIPv4Percent: 100 }));
    expect(health).toBe('unknown');
  });
});
