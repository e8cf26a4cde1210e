import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { AllowlistHttp } from '../../src/networks/allowlist-http.js';
import type { AllowlistSource, AllowlistVendor, VendorBreadthLimits } from '../../src/networks/broad-sources.js';
import { resolveAllowlists } from '../../src/networks/sources.js';
import { packageRoot } from '../../src/package-root.js';
import { captureLogger } from '../helpers/tenant.js';
import { cannedHttp, memoryCache, noHttp } from './helpers.js';

// The review's cases: a broad list split over several sources, and IPv6 limited by a share that
// let RIPE's whole block through. A Hetzner VPS (2a01:4f8::/32 is Hetzner's) must not be "inside".
const MIMECAST_FILE: AllowlistSource = { type: 'file', path: `${packageRoot()}/config/vendors/mimecast-2021.txt` };
const HETZNER_VPS = '2a01:4f8:c17:1234::1';
const RIPE_AS_SIXTEEN_16S = Array.from({ length: 16 }, (_, i) => `2a0${i.toString(16)}::/16`);
const inline = (...cidrs: string[]): AllowlistSource => ({ type: 'cidrs', cidrs });

// Microsoft's ServiceTags file, change 240 (bench/data/README.md): every public Azure prefix.
const AZURE_PUBLIC = `${packageRoot()}/bench/data/azure_ServiceTags_Public_w3c-echidna_change240.json`;

async function resolve(allowedRanges: AllowlistSource[], broadRangeLimits?: VendorBreadthLimits, http: AllowlistHttp = noHttp) {
  const v: AllowlistVendor = { name: 'Mimecast', appIds: [], ownerTenantIds: [], allowedRanges, ...(broadRangeLimits ? { broadRangeLimits } : {}) };
  const resolution = await resolveAllowlists([v], {
    http,
    cache: memoryCache(),
    now: () => new Date('2026-11-26T12:00:00Z'),
    logger: captureLogger('silent').logger,
  });
  return { sources: resolution.sources, set: resolution.byVendor.get('Mimecast'), health: resolution.health.get('Mimecast') };
}

describe("a vendor's sources are screened together", () => {
  it('refuses two sources of 0.78 % each (1.56 % together), equally broad so both, and says why', async () => {
    const { sources, set, health } = await resolve([inline('10.0.0.0/8', '11.0.0.0/8'), inline('12.0.0.0/8', '13.0.0.0/8')]);
    expect(health).toBe('unknown');
    expect(set).toBeUndefined();
    expect(sources.map((s) => [s.status, s.errorCode])).toEqual([
      ['failed', 'ALLOWLIST_TOO_BROAD'],
      ['failed', 'ALLOWLIST_TOO_BROAD'],
    ]);
    expect(sources[0]?.error).toBe(
      'Vendor "Mimecast", allowlist source 1 (cidrs) refused: the vendor\'s sources 1, 2 together allow 1.56 % of the IPv4 address space (limit 1 %), ' +
        'and it is one of 2 as broad, refused together (0.781 %); no source of the total is left. Narrow it, or set acceptBroadRanges with a reason to allow it. ' +
        "Any host in those networks, a rented cloud VM included, would count as Mimecast's own and raise no alert.",
    );
    expect(sources[1]?.broad).toMatchObject({ decision: 'refused', scope: 'vendor', ipv4Percent: 0.78125 });
  });

  it("keeps the vendor's own list when the broad sources are refused", async () => {
    const { sources, set, health } = await resolve([MIMECAST_FILE, inline('10.0.0.0/8', '11.0.0.0/8'), inline('12.0.0.0/8', '13.0.0.0/8')]);
    expect(health).toBe('partial');
    expect(sources.map((s) => s.status)).toEqual(['ok', 'failed', 'failed']);
    expect(sources[0]?.broad).toBeUndefined();
    expect(set?.contains('205.139.110.9')).toBe(true);
    expect(set?.contains('10.1.2.3')).toBe(false);
  });

  it('refuses the broadest source only, when that brings the rest within the limits', async () => {
    const { sources, set } = await resolve([MIMECAST_FILE, inline('198.0.0.0/8', '199.0.0.0/8'), inline('200.0.0.0/8')]);
    expect(sources.map((s) => s.status)).toEqual(['ok', 'failed', 'ok']);
    expect(sources[1]?.error).toMatch(
      /^Vendor "Mimecast", allowlist source 2 \(cidrs\) refused: the vendor's sources 1, 2, 3 together allow 1\.17 % of the IPv4 address space \(limit 1 %\), and it is the broadest \(0\.781 %\); sources 1, 3 still used\./,
    );
    expect(set?.contains('198.51.100.40')).toBe(false);
    expect(set?.contains('200.1.2.3')).toBe(true);
  });

  it('refuses IPv6 sources over one /32 together: a /32 and a /33 of Hetzner', async () => {
    const { sources, set } = await resolve([inline('2a01:4f8::/32'), inline('2a01:4f9::/33')]);
    expect(sources.map((s) => s.status)).toEqual(['failed', 'ok']);
    expect(sources[0]?.error).toMatch(
      /together allow the equivalent of 1\.5 \/32s of the IPv6 address space \(limit 1 \/32\), and it is the broadest \(the equivalent of 1 \/32\)/,
    );
    expect(sources[0]?.broad).toMatchObject({ scope: 'vendor', ipv6Slash32s: 1 });
    expect(set?.contains(HETZNER_VPS)).toBe(false);
  });

  it('does not refuse a source accepted with acceptBroadRanges, nor count it, and says so', async () => {
    const reason = 'vendor egress via its provider (SEC-1234)';
    const { sources, set, health } = await resolve([
      { ...inline('10.0.0.0/8', '11.0.0.0/8'), acceptBroadRanges: { reason } },
      inline('12.0.0.0/8', '13.0.0.0/8'),
    ]);
    expect(health).toBe('complete');
    expect(set?.contains('10.1.2.3')).toBe(true);
    expect(set?.contains('12.1.2.3')).toBe(true);
    expect(sources[1]).toMatchObject({ status: 'ok', warnings: [] });
    expect(sources[0]).toMatchObject({ status: 'ok', broad: { decision: 'accepted', acceptedBy: 'acceptBroadRanges', scope: 'vendor', reason } });
    expect(sources[0]?.warnings).toEqual([
      `broad source in use: with the vendor's other sources it allows 1.56 % of the IPv4 address space (limit 1 %); accepted by acceptBroadRanges: "${reason}", so the vendor's total is not enforced on it.`,
    ]);
  });

  it("uses a total within the vendor's looser limits, and warns with their reason", async () => {
    const reason = 'vendor runs on two /7-sized providers (test)';
    const { sources, health } = await resolve([inline('10.0.0.0/8', '11.0.0.0/8'), inline('12.0.0.0/8')], { maxIPv4Percent: 2, reason });
    expect(health).toBe('complete');
    expect(sources[0]).toMatchObject({ status: 'ok', broad: { decision: 'accepted', acceptedBy: 'broadRangeLimits', scope: 'vendor', reason } });
    expect(sources[0]?.warnings[0]).toMatch(
      /^broad source in use: the vendor's sources 1, 2 together allow 1\.17 % of the IPv4 address space \(default limit 1 %\)/,
    );
    expect(sources[1]).toMatchObject({ status: 'ok', warnings: [] });
  });
});

describe('IPv6 is limited in /32s, not by a share', () => {
  it("refuses all of RIPE's 2a00::/12 written as sixteen /16s, so a Hetzner VPS is not inside", async () => {
    const { sources, set, health } = await resolve([inline(...RIPE_AS_SIXTEEN_16S)]);
    expect(health).toBe('unknown');
    expect(set).toBeUndefined();
    expect(sources[0]?.broad?.excesses).toEqual([
      'allows the equivalent of 1,048,576 /32s of the IPv6 address space (16 ranges, widest 2a00::/16; limit 1 /32)',
    ]);
  });

  it('refuses the same sixteen /16s as sixteen sources', async () => {
    const { sources, set } = await resolve([MIMECAST_FILE, ...RIPE_AS_SIXTEEN_16S.map((c) => inline(c))]);
    expect(sources.filter((s) => s.status === 'failed')).toHaveLength(16);
    expect(set?.contains(HETZNER_VPS)).toBe(false);
    expect(set?.contains('205.139.110.9')).toBe(true);
  });

  it('refuses 2a00::/12 as one prefix', async () => {
    const { sources } = await resolve([inline('2a00::/12')]);
    expect(sources[0]).toMatchObject({ status: 'failed', errorCode: 'ALLOWLIST_TOO_BROAD' });
    expect(sources[0]?.broad?.excesses).toEqual(['allows the equivalent of 1,048,576 /32s of the IPv6 address space (2a00::/12; limit 1 /32)']);
  });

  it('accepts exactly one /32 and refuses one address more', async () => {
    expect((await resolve([inline('2a01:4f8::/32')])).sources[0]?.status).toBe('ok');
    expect((await resolve([inline('2a01:4f8::/32', '2a02::/128')])).sources[0]?.status).toBe('failed');
  });
});

describe('real allowlists pass the vendor total', () => {
  it("accepts Mimecast's 2021 netblocks, every IPv6 prefix Azure publishes, and all of Azure, together", async () => {
    const body = await readFile(AZURE_PUBLIC, 'utf8');
    const prefixes = (JSON.parse(body) as { values: { properties: { addressPrefixes: string[] } }[] }).values.flatMap((v) => v.properties.addressPrefixes);
    const azureIPv6 = inline(...prefixes.filter((p) => p.includes(':')));
    const allOfAzure: AllowlistSource = {
      type: 'url',
      url: 'https://vendor.example/ServiceTags_Public.json',
      format: 'json',
      jsonPath: 'values[].properties.addressPrefixes',
      timeoutInMs: 2_000,
      staleAfterInDays: 7,
    };
    const serve = cannedHttp(() => new Response(body, { status: 200 }));

    const { sources, health, set } = await resolve([MIMECAST_FILE, azureIPv6, allOfAzure], undefined, serve);
    expect(health).toBe('complete');
    expect(sources.map((s) => [s.status, s.broad])).toEqual([
      ['ok', undefined],
      ['ok', undefined],
      ['ok', undefined],
    ]);
    // 13,566 IPv6 prefixes (7,797 distinct, the shortest /40) are 0.02 of one /32 together.
    expect(sources[1]?.ranges).toBe(13_566);
    expect(set?.contains(HETZNER_VPS)).toBe(false);
    expect(set?.contains('2603:1010:100::1')).toBe(true);
  });

  it('refuses all of Azure under a stricter vendor limit, keeping Mimecast', async () => {
    const body = await readFile(AZURE_PUBLIC, 'utf8');
    const allOfAzure: AllowlistSource = {
      type: 'url',
      url: 'https://vendor.example/st.json',
      format: 'json',
      jsonPath: 'values[].properties.addressPrefixes',
      timeoutInMs: 2_000,
      staleAfterInDays: 7,
    };
    const serve = cannedHttp(() => new Response(body, { status: 200 }));
    const { sources, health } = await resolve([MIMECAST_FILE, allOfAzure], { maxIPv4Percent: 0.1, maxIPv6Slash32s: 0.01 }, serve);
    expect(health).toBe('partial');
    expect(sources[1]?.broad?.excesses).toEqual([
      'allows 0.895 % of the IPv4 address space (47,361 ranges, widest 4.196.0.0/15; limit 0.1 %)',
      'allows the equivalent of 0.0202 /32s of the IPv6 address space (13,566 ranges, widest 2603:1010:100::/40; limit 0.01 /32)',
    ]);
  });
});
