/**
 * Microsoft's named-location examples (https://learn.microsoft.com/graph/api/conditionalaccessroot-list-namedlocations
 * and https://learn.microsoft.com/graph/api/namedlocation-get) through credwatch's named-location
 * reader and the allowlist built from one.
 */
import { describe, expect, it } from 'vitest';
import { listNamedLocations, rangesOfNamedLocation } from '../../src/networks/named-locations.js';
import { body, example, examplesIn, rows } from './fixtures.js';
import { answerWith, replayGraph } from './replay-graph.js';

const all = example('named-locations/list-example-1-all.json');
const getOne = example('named-locations/get-example.json');
const FETCHED_AT = new Date('2026-11-26T12:00:00Z');

async function read(answer: Parameters<typeof replayGraph>[0][string]) {
  const replay = replayGraph({ 'GET /v1.0/identity/conditionalAccess/namedLocations': answer });
  return { locations: await listNamedLocations(replay.graph), replay };
}

describe('every List namedLocations example', () => {
  it.each(
    examplesIn('named-locations')
      .filter(({ path }) => path.includes('/list-'))
      .map(({ path, example: e }) => [path, e] as const),
  )('%s gives one location per item, with every published cidrAddress and nothing for countries', async (_path, e) => {
    const { locations } = await read(answerWith(e));
    expect(locations).toEqual(
      rows(e).map((item) => ({
        displayName: item.displayName,
        cidrs: Array.isArray(item.ipRanges) ? item.ipRanges.map((r) => (r as { cidrAddress: string }).cidrAddress) : undefined,
      })),
    );
  });
});

describe('example 1: IPv4, country and IPv6 locations', () => {
  it('reads the three locations in order with their ranges exactly as published', async () => {
    const { locations, replay } = await read(answerWith(all));
    expect(locations).toEqual([
      { displayName: 'IPv4 named location', cidrs: ['6.5.4.3/32', '127.126.125.0/24'] },
      { displayName: 'Country named location', cidrs: undefined },
      { displayName: 'Trusted IPv6 named location', cidrs: ['2001:4898:80e8:7:d92a:7695:fda1:9d62/48', '2001:4898:80d8:7:d92a:7695:fda1:9d62/48'] },
    ]);
    expect(replay.requests).toHaveLength(1);
  });

  it('turns the IPv4 location into an allowlist of its two ranges', async () => {
    const { locations } = await read(answerWith(all));
    const outcome = rangesOfNamedLocation(locations, 'IPv4 named location', FETCHED_AT);
    expect(outcome.status).toBe('ok');
    expect(outcome.ranges.map((r) => r.cidr)).toEqual(['6.5.4.3/32', '127.126.125.0/24']);
    expect(outcome.warnings).toEqual([]);
  });

  it('clears the host bits Microsoft published in the IPv6 ranges, with a warning for each', async () => {
    const { locations } = await read(answerWith(all));
    const outcome = rangesOfNamedLocation(locations, 'Trusted IPv6 named location', FETCHED_AT);
    expect(outcome.status).toBe('ok');
    expect(outcome.ranges.map((r) => r.cidr)).toEqual(['2001:4898:80e8::/48', '2001:4898:80d8::/48']);
    expect(outcome.warnings).toHaveLength(2);
    expect(outcome.warnings.join('\n')).toContain('2001:4898:80e8:7:d92a:7695:fda1:9d62/48');
  });

  it('refuses the country location as an allowlist, saying it lists countries', async () => {
    const { locations } = await read(answerWith(all));
    const outcome = rangesOfNamedLocation(locations, 'Country named location', FETCHED_AT);
    expect(outcome.status).toBe('failed');
    expect(outcome.ranges).toEqual([]);
    expect(outcome.error?.message).toBe('The named location "Country named location" lists countries, not IP ranges; it cannot be an allowlist.');
  });

  it('finds a location written in another case, and says so', async () => {
    const { locations } = await read(answerWith(all));
    const outcome = rangesOfNamedLocation(locations, 'ipv4 NAMED location', FETCHED_AT);
    expect(outcome.status).toBe('ok');
    expect(outcome.warnings).toEqual(['matched named location "IPv4 named location" ignoring case; write the name as Entra shows it']);
  });
});

describe('the Get namedLocation object as a list item', () => {
  it('clears the host bits of "12.34.221.11/22" and reads the uncompressed IPv6 range', async () => {
    const { locations } = await read({ status: 200, body: { value: [body(getOne)] } });
    expect(locations).toEqual([{ displayName: 'Untrusted IP named location', cidrs: ['12.34.221.11/22', '2001:0:9d38:90d6:0:0:0:0/63'] }]);
    const outcome = rangesOfNamedLocation(locations, 'Untrusted IP named location', FETCHED_AT);
    expect(outcome.ranges.map((r) => r.cidr)).toEqual(['12.34.220.0/22', '2001:0:9d38:90d6::/63']);
    expect(outcome.warnings).toHaveLength(1);
    expect(outcome.warnings[0]).toContain('12.34.221.11/22');
  });
});
