/**
 * Microsoft's JSON batching example (https://learn.microsoft.com/graph/json-batching) answering
 * credwatch's batchGet: each inner response is judged on its own status, as the page explains.
 */
import { describe, expect, it } from 'vitest';
import { batchGet, type BatchGet, type BatchStats } from '../../src/graph/batch.js';
import { isCredwatchError } from '../../src/errors.js';
import { body, example } from './fixtures.js';
import { answerWith, replayGraph } from './replay-graph.js';

const batch = example('batch/example.json');

// Six of credwatch's own inner reads: batchGet numbers them "0".."5"; Microsoft's answer carries
// the ids "1".."5" of its own example, so "0" goes unanswered.
const requests: BatchGet[] = Array.from({ length: 6 }, (_, i) => ({
  path: `/applications/0000000${i}-0000-4000-8000-000000000000/federatedIdentityCredentials`,
  query: { select: ['id', 'name', 'issuer', 'subject', 'audiences'] },
}));

async function replayed() {
  const replay = replayGraph({ 'POST /v1.0/$batch': answerWith(batch) });
  const stats: BatchStats = { batches: 0, innerRequests: 0, innerRetries: 0 };
  const results = await batchGet<Record<string, unknown>>(replay.graph, requests, {
    stats,
    retry: { maxAttempts: 2 },
    sleep: () => Promise.resolve(),
    random: () => 0,
  });
  return { replay, stats, results };
}

describe("Microsoft's batch answer to credwatch's batchGet", () => {
  it('hands back the bodies of the inner 200s (ids 1 and 5) unchanged', async () => {
    const { results } = await replayed();
    const responses = body(batch).responses as Array<{ id: string; body: unknown }>;
    expect(results[1]).toEqual({ ok: true, body: responses.find((r) => r.id === '1')?.body });
    expect(results[5]).toEqual({ ok: true, body: responses.find((r) => r.id === '5')?.body });
  });

  it('turns the inner 403s into missing permissions, including the one published with an empty code', async () => {
    const { results } = await replayed();
    for (const i of [2, 3]) {
      const result = results[i];
      expect(result?.ok).toBe(false);
      if (result && !result.ok) expect(result.error.code).toBe('GRAPH_PERMISSION_MISSING');
    }
  });

  it("turns the inner 405 into a rejected request naming Graph's code", async () => {
    const { results } = await replayed();
    const result = results[4];
    expect(result?.ok).toBe(false);
    if (result && !result.ok) {
      expect(isCredwatchError(result.error, 'GRAPH_REQUEST_REJECTED')).toBe(true);
      expect(result.error.message).toContain('405 Request_BadRequest');
    }
  });

  it('tries the unanswered request again and then reports it unreadable, never as empty', async () => {
    const { results, replay, stats } = await replayed();
    const result = results[0];
    expect(result?.ok).toBe(false);
    if (result && !result.ok) expect(result.error.code).toBe('GRAPH_BAD_RESPONSE');
    expect(replay.requests.map((r) => (r.body as { requests: Array<{ id: string }> }).requests.map((q) => q.id))).toEqual([
      ['0', '1', '2', '3', '4', '5'],
      ['0'],
    ]);
    expect(stats).toEqual({ batches: 2, innerRequests: 7, innerRetries: 1 });
  });

  it("sends each inner read as a relative GET with its $select, as the page's request example does", async () => {
    const { replay } = await replayed();
    const sent = (replay.requests[0]?.body as { requests: Array<Record<string, unknown>> }).requests[0];
    expect(sent).toEqual({
      id: '0',
      method: 'GET',
      url: '/applications/00000000-0000-4000-8000-000000000000/federatedIdentityCredentials?$select=id,name,issuer,subject,audiences',
    });
    const published = (batch.requestBody as { requests: Array<Record<string, unknown>> }).requests[0];
    expect(Object.keys(sent ?? {}).sort()).toEqual(Object.keys(published ?? {}).sort());
  });
});
