import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RangeSource } from '../../src/config/types.js';
import { allowlistHttp } from '../../src/networks/allowlist-http.js';
import { resolveAllowlists } from '../../src/networks/sources.js';
import { cacheKeyOf } from '../../src/networks/url-source.js';
import { packageRoot } from '../../src/package-root.js';
import { startFeed, testTls } from '../faults/feed-servers.js';
import { captureLogger } from '../helpers/tenant.js';
import { memoryCache, vendor } from './helpers.js';

// A small copy of Azure's ServiceTags shape (values[].properties.addressPrefixes).
const SERVICE_TAGS = JSON.stringify({
  changeNumber: 240,
  cloud: 'Public',
  values: [
    {
      name: 'AzureConnectors.WestEurope',
      id: 'AzureConnectors.WestEurope',
      properties: { region: 'westeurope', addressPrefixes: ['13.69.71.192/27', '2603:1020:206:402::180/122'] },
    },
    { name: 'LogicApps.WestEurope', id: 'LogicApps.WestEurope', properties: { region: 'westeurope', addressPrefixes: ['13.95.147.65/32'] } },
    { name: 'Broken', id: 'Broken', properties: { region: '' } },
  ],
});

const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/list.txt': (_req, res) => res.end('# Mimecast UK\n195.130.217.0/24\n91.220.42.0/24 # London\nnot-a-range\n'),
  '/ServiceTags_Public.json': (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(SERVICE_TAGS),
  '/down': (_req, res) => res.writeHead(503).end('maintenance'),
  '/html': (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Sign in</body></html>'),
  '/hang': () => undefined, // never answers
  '/moved': (_req, res) => res.writeHead(302, { location: '/list.txt' }).end(),
  '/azure.json': (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(readFileSync(AZURE_PUBLIC)),
};

// Microsoft's ServiceTags file, change 240 (bench/data/README.md): the largest list a source is known to serve.
const AZURE_PUBLIC = `${packageRoot()}/bench/data/azure_ServiceTags_Public_w3c-echidna_change240.json`;

let server: Server;
let base: string;
const plainHttp = allowlistHttp();

beforeAll(async () => {
  server = createServer((req, res) => (routes[req.url ?? ''] ?? ((_q, r: ServerResponse) => r.writeHead(404).end()))(req, res));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});

const DAY = 86_400_000;
const now = new Date('2026-01-05T10:00:00Z');
const urlSource = (path: string, extra: Partial<Extract<RangeSource, { type: 'url' }>> = {}): RangeSource => ({
  type: 'url',
  url: `${base}${path}`,
  format: 'list',
  timeoutInMs: 2_000,
  staleAfterInDays: 7,
  // The test's server is on loopback, which a real vendor feed never is (test/faults/allowlists.test.ts).
  allowPrivateNetwork: true,
  ...extra,
});

async function resolveOne(source: RangeSource, cache = memoryCache(), http = plainHttp) {
  const log = captureLogger('debug');
  const resolution = await resolveAllowlists([vendor('Vendor', [source])], { http, cache, now: () => now, logger: log.logger });
  return { resolution, report: resolution.sources[0], set: resolution.byVendor.get('Vendor'), cache, lines: log.lines };
}

describe('allowlists published at a URL', () => {
  it('reads a plain list, dropping an invalid line with a warning, and caches the body', async () => {
    const { report, set, cache } = await resolveOne(urlSource('/list.txt'));
    expect(report).toMatchObject({ status: 'ok', ranges: 2, fetchedAt: now });
    expect(report?.warnings).toEqual(['dropped line 4: "not-a-range" is invalid: "not-a-range" is not an IPv4 or IPv6 address']);
    expect(set?.match('91.220.42.7')).toEqual([{ vendor: 'Vendor', source: `url:${base}/list.txt`, cidr: '91.220.42.0/24', fetchedAt: now, stale: false }]);
    expect(cache.entries.get(cacheKeyOf(`${base}/list.txt`))?.fetchedAt).toEqual(now);
  });

  it("reads JSON through a jsonPath such as Azure's values[].properties.addressPrefixes", async () => {
    const { report, set } = await resolveOne(urlSource('/ServiceTags_Public.json', { format: 'json', jsonPath: 'values[].properties.addressPrefixes' }));
    expect(report).toMatchObject({ status: 'ok', ranges: 3 });
    expect(report?.warnings).toEqual(['1 value(s) at values[].properties.addressPrefixes were missing or not strings']);
    expect(set?.contains('13.69.71.200')).toBe(true);
    expect(set?.contains('2603:1020:206:402::1bf')).toBe(true);
    expect(set?.contains('2603:1020:206:402::1c0')).toBe(false);
    expect(set?.contains('13.95.147.66')).toBe(false);
  });

  it('gives up after timeoutInMs when the server does not answer', async () => {
    const started = Date.now();
    const { report, set } = await resolveOne(urlSource('/hang', { timeoutInMs: 200 }));
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(report).toMatchObject({ status: 'failed', errorCode: 'ALLOWLIST_SOURCE_FAILED', error: `${base}/hang did not answer within 200 ms.` });
    expect(set).toBeUndefined();
  });

  it('fails with no cached copy, so the vendor is unknown rather than clean', async () => {
    const { resolution, report } = await resolveOne(urlSource('/down'));
    expect(report).toMatchObject({ status: 'failed', ranges: 0, error: `${base}/down answered HTTP 503.` });
    expect(resolution.health.get('Vendor')).toBe('unknown');
    expect(resolution.byVendor.has('Vendor')).toBe(false);
  });

  it('treats a page without any range (a login page served with 200) as a failed fetch', async () => {
    const { report } = await resolveOne(urlSource('/html'));
    expect(report).toMatchObject({ status: 'failed', errorCode: 'ALLOWLIST_SOURCE_FAILED' });
    expect(report?.error).toContain('holds no valid range');
  });

  it('uses the last good copy when the fetch fails, still fresh within staleAfterInDays', async () => {
    const url = `${base}/down`;
    const fetchedAt = new Date(now.getTime() - 2 * DAY);
    const { report, set, resolution } = await resolveOne(urlSource('/down'), memoryCache({ [cacheKeyOf(url)]: { body: '203.0.113.0/24\n', fetchedAt } }));
    expect(report).toMatchObject({ status: 'ok', ranges: 1, fetchedAt, error: `${url} answered HTTP 503.` });
    expect(report?.warnings[0]).toBe(`fetch failed; using the copy fetched at ${fetchedAt.toISOString()}`);
    expect(set?.match('203.0.113.5')?.[0]).toMatchObject({ fetchedAt, stale: false });
    expect(resolution.health.get('Vendor')).toBe('complete');
  });

  it('marks the cached copy stale once it is older than staleAfterInDays', async () => {
    const url = `${base}/down`;
    const fetchedAt = new Date(now.getTime() - 8 * DAY);
    const { report, set, resolution, lines } = await resolveOne(
      urlSource('/down'),
      memoryCache({ [cacheKeyOf(url)]: { body: '203.0.113.0/24\n', fetchedAt } }),
    );
    expect(report).toMatchObject({ status: 'stale', ranges: 1, fetchedAt });
    expect(report?.warnings[0]).toBe(`fetch failed; using the copy fetched at ${fetchedAt.toISOString()}, older than 7 day(s)`);
    expect(set?.match('203.0.113.5')?.[0]).toMatchObject({ stale: true });
    expect(resolution.health.get('Vendor')).toBe('stale');
    expect(lines().find((l) => l['msg'] === 'allowlist source read with warnings')).toMatchObject({ level: 'warn', status: 'stale' });
  });

  it('replaces the cached copy after a good fetch', async () => {
    const url = `${base}/list.txt`;
    const cache = memoryCache({ [cacheKeyOf(url)]: { body: '198.51.100.0/24\n', fetchedAt: new Date(0) } });
    const { set } = await resolveOne(urlSource('/list.txt'), cache);
    expect(set?.contains('198.51.100.1')).toBe(false);
    expect(cache.entries.get(cacheKeyOf(url))?.body).toContain('195.130.217.0/24');
  });

  it('follows a redirect within the same origin', async () => {
    const { report, set } = await resolveOne(urlSource('/moved'));
    expect(report).toMatchObject({ status: 'ok', ranges: 2 });
    expect(set?.contains('195.130.217.1')).toBe(true);
  });

  it('follows a redirect to another https host only when allowRedirects is set', async () => {
    const tls = await testTls();
    const target = await startFeed((_req, res) => res.end('195.130.217.0/24\n'), tls);
    const origin = await startFeed((_req, res) => res.writeHead(307, { location: `${target.url}/list.txt` }).end(), tls);
    const http = allowlistHttp({ caCertificatePem: tls.caCertificatePem });
    try {
      const source = (allowRedirects: boolean) => urlSource('', { url: `${origin.url}/list.txt`, allowRedirects });
      expect((await resolveOne(source(false), memoryCache(), http)).report).toMatchObject({ status: 'failed', errorCode: 'ALLOWLIST_URL_REFUSED' });
      expect(target.hosts).toEqual([]);
      const { report, set } = await resolveOne(source(true), memoryCache(), http);
      expect(report).toMatchObject({ status: 'ok', ranges: 1 });
      expect(set?.contains('195.130.217.1')).toBe(true);
    } finally {
      await Promise.all([origin.close(), target.close()]);
    }
  });

  it("reads Azure's whole ServiceTags file (2.7 MB, 60,927 prefixes) within the default body cap", async () => {
    const { report } = await resolveOne(
      urlSource('/azure.json', {
        format: 'json',
        jsonPath: 'values[].properties.addressPrefixes',
        acceptBroadRanges: { reason: 'all of Azure, to size the cap' },
      }),
    );
    expect(report?.status).toBe('ok');
    expect(report?.errorCode).toBeUndefined();
    expect(report?.ranges).toBeGreaterThan(60_000);
  });
});
