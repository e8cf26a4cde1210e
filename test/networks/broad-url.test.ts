import { describe, expect, it } from 'vitest';
import type { AllowlistHttp } from '../../src/networks/allowlist-http.js';
import type { AllowlistSource, AllowlistVendor } from '../../src/networks/broad-sources.js';
import { resolveAllowlists } from '../../src/networks/sources.js';
import { cacheKeyOf } from '../../src/networks/url-source.js';
import { captureLogger } from '../helpers/tenant.js';
import { cannedHttp, memoryCache } from './helpers.js';

const URL_ = 'https://vendor.example/api-ranges.txt';
const SANE = '# Mimecast UK\n195.130.217.0/24\n91.220.42.0/24\n';
const EVERYTHING = '# "temporary" while we migrate\n0.0.0.0/0\n';
const now = new Date('2026-11-26T12:00:00Z');
const source: AllowlistSource = { type: 'url', url: URL_, format: 'list', timeoutInMs: 2_000, staleAfterInDays: 7 };

/** A vendor feed whose body the test changes between resolutions. */
function feed(initial: string) {
  let body = initial;
  const http = cannedHttp(() => new Response(body, { status: 200 }));
  return { http, serve: (next: string) => (body = next) };
}

async function resolve(http: AllowlistHttp, cache: ReturnType<typeof memoryCache>, at: Date, s: AllowlistSource = source) {
  const v: AllowlistVendor = { name: 'Mimecast', appIds: [], ownerTenantIds: [], allowedRanges: [s] };
  const resolution = await resolveAllowlists([v], { http, cache, now: () => at, logger: captureLogger('silent').logger });
  return { report: resolution.sources[0], set: resolution.byVendor.get('Mimecast'), health: resolution.health.get('Mimecast') };
}

describe('a vendor feed that starts serving everything', () => {
  it('keeps the last sane copy in use, marked stale at once, and never caches the broad list', async () => {
    const { http, serve } = feed(SANE);
    const cache = memoryCache();
    await resolve(http, cache, new Date(now.getTime() - 3_600_000));
    serve(EVERYTHING);

    const { report, set, health } = await resolve(http, cache, now);
    expect(health).toBe('stale');
    expect(set?.contains('195.130.217.9')).toBe(true);
    expect(set?.contains('198.51.100.40')).toBe(false);
    expect(set?.match('195.130.217.9')?.[0]).toMatchObject({ stale: true });
    expect(report).toMatchObject({ status: 'stale', errorCode: 'ALLOWLIST_TOO_BROAD', broad: { decision: 'refused', ipv4Percent: 100 } });
    expect(report?.error).toMatch(
      /^Vendor "Mimecast", allowlist source 1 \(url\) allows 100 % of the IPv4 address space \(0\.0\.0\.0\/0; limit 1 %\); refused/,
    );
    expect(report?.warnings[0]).toBe('the list now served is refused as too broad; using the copy fetched at 2026-11-26T11:00:00.000Z');
    expect(cache.entries.get(cacheKeyOf(URL_))?.body).toBe(SANE);
  });

  it('leaves the vendor unknown when there is no earlier copy', async () => {
    const { report, set, health } = await resolve(feed(EVERYTHING).http, memoryCache(), now);
    expect(health).toBe('unknown');
    expect(set).toBeUndefined();
    expect(report).toMatchObject({ status: 'failed', errorCode: 'ALLOWLIST_TOO_BROAD', broad: { decision: 'refused' } });
  });

  it('refuses a broad copy cached before the limits existed when the feed is down', async () => {
    const cache = memoryCache({ [cacheKeyOf(URL_)]: { body: EVERYTHING, fetchedAt: new Date(now.getTime() - 86_400_000) } });
    const down = cannedHttp(() => new Response('maintenance', { status: 503 }));
    const { report, health } = await resolve(down, cache, now);
    expect(health).toBe('unknown');
    expect(report).toMatchObject({ status: 'failed', errorCode: 'ALLOWLIST_TOO_BROAD', broad: { decision: 'refused' } });
    expect(report?.warnings).toEqual([`fetch failed (${URL_} answered HTTP 503.); the copy fetched at 2026-11-25T12:00:00.000Z is refused`]);
  });

  it('uses and caches a broad feed that the source accepts with a reason, with a warning', async () => {
    const cache = memoryCache();
    const accepted: AllowlistSource = { ...source, acceptBroadRanges: { reason: 'test feed' } };
    const { report, set } = await resolve(feed(EVERYTHING).http, cache, now, accepted);
    expect(report).toMatchObject({ status: 'ok', broad: { decision: 'accepted', reason: 'test feed' } });
    expect(set?.contains('198.51.100.40')).toBe(true);
    expect(cache.entries.get(cacheKeyOf(URL_))?.body).toBe(EVERYTHING);
  });
});
