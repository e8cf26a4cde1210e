import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RangeSource } from '../../src/config/types.js';
import { allowlistHttp, type AllowlistHttp, type HostLookup } from '../../src/networks/allowlist-http.js';
import { resolveAllowlists } from '../../src/networks/sources.js';
import { cacheKeyOf } from '../../src/networks/url-source.js';
import { captureLogger } from '../helpers/tenant.js';
import { memoryCache, vendor } from '../networks/helpers.js';
import { startFeed, testTls, writeForever, type FeedServer } from './feed-servers.js';

const LIST = '195.130.217.0/24\n91.220.42.0/24\n';
const now = new Date('2026-01-05T10:00:00Z');
let tls: Awaited<ReturnType<typeof testTls>>;
const servers: FeedServer[] = [];

beforeAll(async () => {
  tls = await testTls();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function feed(...args: Parameters<typeof startFeed>): Promise<FeedServer> {
  const server = await startFeed(...args);
  servers.push(server);
  return server;
}

const urlSource = (url: string, extra: Partial<Extract<RangeSource, { type: 'url' }>> = {}): RangeSource => ({
  type: 'url',
  url,
  format: 'list',
  timeoutInMs: 5_000,
  staleAfterInDays: 7,
  ...extra,
});

/** A transport trusting the test CA, resolving with `lookup` when given (else the system resolver). */
const httpWith = (lookup?: HostLookup): AllowlistHttp => allowlistHttp({ caCertificatePem: tls.caCertificatePem, ...(lookup ? { lookup } : {}) });

async function resolveOne(source: RangeSource, http: AllowlistHttp = httpWith(), cache = memoryCache()) {
  const resolution = await resolveAllowlists([vendor('Vendor', [source])], { http, cache, now: () => now, logger: captureLogger('silent').logger });
  return { report: resolution.sources[0], health: resolution.health.get('Vendor'), set: resolution.byVendor.get('Vendor') };
}

describe('allowlist URLs that lead inward', () => {
  it('refuses a URL on 127.0.0.1, [::1] or localhost before any request reaches it', async () => {
    const target = await feed((_req, res) => res.end(LIST), tls);
    for (const host of ['127.0.0.1', '[::1]', 'localhost']) {
      const { report, health, set } = await resolveOne(urlSource(`https://${host}:${target.port}/ranges.txt`));
      expect(report).toMatchObject({ status: 'failed', errorCode: 'ALLOWLIST_URL_REFUSED', ranges: 0 });
      expect(report?.error).toContain('a loopback address; not connecting');
      expect(health).toBe('unknown');
      expect(set).toBeUndefined();
    }
    expect(target.hosts).toEqual([]);
  });

  it('refuses a host name that resolves to a private or metadata address, if any of its addresses is one', async () => {
    let gets = 0;
    const answers: Record<string, string[]> = {
      'private.vendor.test': ['20.50.1.1', '10.0.0.5'],
      'metadata.vendor.test': ['169.254.169.254'],
      'ula.vendor.test': ['fd00:ec2::254'],
      'cgnat.vendor.test': ['100.64.0.9'],
      'mapped.vendor.test': ['::ffff:192.168.1.1'],
    };
    const lookup: HostLookup = (host) => Promise.resolve((answers[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
    const real = httpWith(lookup);
    const counting: AllowlistHttp = { lookup, get: (...a) => ((gets += 1), real.get(...a)) };
    const errors: string[] = [];
    for (const host of Object.keys(answers)) {
      const { report, health } = await resolveOne(urlSource(`https://${host}/ranges.txt`), counting);
      expect(report?.errorCode).toBe('ALLOWLIST_URL_REFUSED');
      expect(health).toBe('unknown');
      errors.push(report?.error ?? '');
    }
    expect(gets).toBe(0);
    expect(errors).toEqual([
      'https://private.vendor.test resolves to 10.0.0.5, a private (RFC 1918) address; not connecting (set allowPrivateNetwork only for a feed on your own network).',
      'https://metadata.vendor.test resolves to 169.254.169.254, a cloud instance metadata address; not connecting (set allowPrivateNetwork only for a feed on your own network).',
      'https://ula.vendor.test resolves to fd00:ec2::254, a cloud instance metadata address; not connecting (set allowPrivateNetwork only for a feed on your own network).',
      'https://cgnat.vendor.test resolves to 100.64.0.9, a carrier-grade NAT (100.64.0.0/10) address; not connecting (set allowPrivateNetwork only for a feed on your own network).',
      'https://mapped.vendor.test resolves to ::ffff:192.168.1.1, a private (RFC 1918) address; not connecting (set allowPrivateNetwork only for a feed on your own network).',
    ]);
  });

  it('connects to the address it checked, never asking DNS again, and keeps the name for Host and TLS', async () => {
    const target = await feed((_req, res) => res.end(LIST), tls);
    const answers = ['127.0.0.1', '192.0.2.1']; // a rebinding resolver: a different answer the second time
    let lookups = 0;
    const lookup: HostLookup = () => Promise.resolve([{ address: answers[Math.min(lookups++, 1)] ?? '', family: 4 }]);
    const { report } = await resolveOne(urlSource(`https://feed.test:${target.port}/ranges.txt`, { allowPrivateNetwork: true }), httpWith(lookup));
    expect(report).toMatchObject({ status: 'ok', ranges: 2 });
    expect(lookups).toBe(1);
    expect(target.hosts).toEqual([`feed.test:${target.port}`]);
  });
});

describe('allowlist URLs that redirect', () => {
  it('refuses a redirect to another port of the same loopback host, and the target sees no request', async () => {
    const target = await feed((_req, res) => res.end(LIST), tls);
    const origin = await feed((_req, res) => res.writeHead(302, { location: `${target.url}/ranges.txt` }).end(), tls);
    const { report, health } = await resolveOne(urlSource(`${origin.url}/ranges.txt`, { allowPrivateNetwork: true }));
    expect(report).toMatchObject({ status: 'failed', errorCode: 'ALLOWLIST_URL_REFUSED' });
    expect(report?.error).toBe(
      `${origin.url}/ranges.txt redirected to another host (${target.url}); set allowRedirects to follow redirects off 127.0.0.1:${origin.port}; not followed.`,
    );
    expect(health).toBe('unknown');
    expect(origin.hosts).toHaveLength(1);
    expect(target.hosts).toEqual([]);
  });

  it('refuses a redirect from https to http even with allowRedirects, and the http target sees no request', async () => {
    const target = await feed((_req, res) => res.end(LIST));
    const origin = await feed((_req, res) => res.writeHead(301, { location: `${target.url}/ranges.txt` }).end(), tls);
    const source = urlSource(`${origin.url}/ranges.txt`, { allowPrivateNetwork: true, allowRedirects: true });
    const { report } = await resolveOne(source);
    expect(report).toMatchObject({ status: 'failed', errorCode: 'ALLOWLIST_URL_REFUSED' });
    expect(report?.error).toContain(`redirected to http://127.0.0.1:${target.port}, which is not https; not followed.`);
    expect(target.hosts).toEqual([]);
  });

  it('judges the host a permitted redirect leads to, refusing the metadata address before connecting', async () => {
    const gets: string[] = [];
    const lookup: HostLookup = (host) => Promise.resolve([{ address: host === 'feed.vendor.test' ? '20.50.1.1' : '169.254.169.254', family: 4 }]);
    const http: AllowlistHttp = {
      lookup,
      get: (url) => {
        gets.push(url.host);
        return Promise.resolve(new Response(null, { status: 307, headers: { location: 'https://metadata.vendor.test/latest/meta-data/' } }));
      },
    };
    const { report } = await resolveOne(urlSource('https://feed.vendor.test/ranges.txt', { allowRedirects: true }), http);
    expect(report).toMatchObject({ status: 'failed', errorCode: 'ALLOWLIST_URL_REFUSED' });
    expect(report?.error).toContain('https://metadata.vendor.test resolves to 169.254.169.254, a cloud instance metadata address');
    expect(gets).toEqual(['feed.vendor.test']);
  });

  it('uses the last good copy when the URL is refused, as for any failed fetch', async () => {
    const url = 'https://127.0.0.1:9/ranges.txt';
    const cache = memoryCache({ [cacheKeyOf(url)]: { body: '203.0.113.0/24\n', fetchedAt: new Date(now.getTime() - 86_400_000) } });
    const { report, health, set } = await resolveOne(urlSource(url), httpWith(), cache);
    expect(report).toMatchObject({ status: 'ok', ranges: 1, errorCode: 'ALLOWLIST_URL_REFUSED' });
    expect(health).toBe('complete');
    expect(set?.contains('203.0.113.7')).toBe(true);
  });
});

describe('allowlist URLs that answer too much or too slowly', () => {
  const MiB = 1024 * 1024;

  it('stops an endless body at maxBodyInBytes, having read little past it, and reports the vendor unknown', async () => {
    const target = await feed((_req, res, self) => writeForever(res.writeHead(200), self, Buffer.alloc(64 * 1024, '10.0.0.0/8\n')));
    const { report, health } = await resolveOne(urlSource(`${target.url}/ranges.txt`, { allowPrivateNetwork: true, maxBodyInBytes: MiB }));
    expect(report).toMatchObject({ status: 'failed', errorCode: 'ALLOWLIST_RESPONSE_TOO_LARGE' });
    expect(report?.error).toBe(`${target.url}/ranges.txt sent more than ${MiB} bytes (maxBodyInBytes).`);
    expect(health).toBe('unknown');
    // The cap plus what loopback socket buffers held when the reader stopped: bounded, not endless.
    await vi.waitFor(() => expect(target.closed).toBe(1));
    expect(target.bytesWritten).toBeLessThan(16 * MiB);
  });

  it('refuses a declared Content-Length over maxBodyInBytes without reading the body', async () => {
    const target = await feed((_req, res, self) =>
      writeForever(res.writeHead(200, { 'content-length': String(100 * MiB) }), self, Buffer.alloc(64 * 1024, '10.0.0.0/8\n'), 50),
    );
    const { report } = await resolveOne(urlSource(`${target.url}/ranges.txt`, { allowPrivateNetwork: true, maxBodyInBytes: MiB }));
    expect(report).toMatchObject({ status: 'failed', errorCode: 'ALLOWLIST_RESPONSE_TOO_LARGE' });
    expect(target.bytesWritten).toBeLessThan(MiB);
  });

  it('ends a body that trickles forever at timeoutInMs, holding only what arrived', async () => {
    const target = await feed((_req, res, self) => writeForever(res.writeHead(200), self, Buffer.from('10.1.0.0/16\n'), 20));
    const { report, health } = await resolveOne(urlSource(`${target.url}/ranges.txt`, { allowPrivateNetwork: true, timeoutInMs: 300 }));
    expect(report).toMatchObject({ status: 'failed', errorCode: 'ALLOWLIST_SOURCE_FAILED' });
    expect(report?.error).toBe(`${target.url}/ranges.txt did not send its whole response within 300 ms.`);
    expect(health).toBe('unknown');
    // The connection is gone, so the server stopped writing: what arrived is all that was held.
    await vi.waitFor(() => expect(target.closed).toBe(1));
    expect(target.bytesWritten).toBeLessThan(64 * 1024);
  });
});
