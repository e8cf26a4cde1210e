/**
 * Microsoft's 429 sample (https://learn.microsoft.com/graph/throttling, "Sample response") through
 * credwatch's Graph client: the request is retried after the wait the sample asks for.
 */
import { describe, expect, it } from 'vitest';
import { listNamedLocations } from '../../src/networks/named-locations.js';
import { example } from './fixtures.js';
import { answerWith, replayGraph } from './replay-graph.js';

const throttled = example('throttling/429-sample.json');
const namedLocations = example('named-locations/list-example-1-all.json');

describe("Microsoft's 429 sample", () => {
  it('carries the fractional Retry-After "2.128"', () => {
    expect(throttled.status).toBe(429);
    expect(throttled.headers?.['Retry-After']).toBe('2.128');
  });

  it('is retried once, after waiting the whole seconds the fractional Retry-After starts, and the page is then read', async () => {
    const replay = replayGraph({ 'GET /v1.0/identity/conditionalAccess/namedLocations': [answerWith(throttled), answerWith(namedLocations)] });
    const locations = await listNamedLocations(replay.graph);
    expect(locations.map((l) => l.displayName)).toEqual(['IPv4 named location', 'Country named location', 'Trusted IPv6 named location']);
    expect(replay.requests).toHaveLength(2);
    expect(replay.graph.stats.throttled).toBe(1);
    expect(replay.graph.stats.retries).toBe(1);
    expect(replay.sleeps).toEqual([3000]);
  });
});
