import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logging.js';
import type { TokenSource } from './auth.js';
import { createGraphApi, type GraphApi } from './client.js';
import type { FetchLike } from './http.js';
import { privateWindows, type Clock, type TenantWindows } from './rate-limit.js';

const BASE = 'https://graph.test';
const logger = createLogger({ level: 'silent' });
const tokens: TokenSource = { getToken: () => Promise.resolve({ token: 'token', expiresOn: undefined, roles: [], appId: undefined }) };

/** One request the fake Graph received, answered when the test says so. */
interface Call {
  url: string;
  signal: AbortSignal | undefined;
  respond(body: unknown, status?: number): void;
}

/** A Graph whose answers the test releases one by one, so what the client sends meanwhile can be seen. */
function fakeGraph() {
  const calls: Call[] = [];
  let arrived: (() => void) | undefined;
  const fetch: FetchLike = (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const signal = init?.signal ?? undefined;
      signal?.addEventListener('abort', () => reject(signal.reason as Error));
      calls.push({
        url,
        signal,
        respond: (body, status = 200) => resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })),
      });
      arrived?.();
    });
  /** The `n`-th request (1-based), once it was sent. */
  async function call(n: number): Promise<Call> {
    while (calls.length < n) await new Promise<void>((resolve) => (arrived = resolve));
    return calls[n - 1]!;
  }
  return { fetch, calls, call };
}

/** Page `n` of a collection whose items are page numbers; `more` adds the nextLink. */
function page(n: number, more: boolean): unknown {
  return { value: [n], ...(more ? { '@odata.nextLink': `${BASE}/beta/auditLogs/signIns?$top=1000&$skiptoken=${n}` } : {}) };
}

/** Lets pending callbacks, microtasks and sockets of the fake run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

function signInPages(api: GraphApi): AsyncGenerator<number[], void, undefined> {
  return api.listPages<number>('/auditLogs/signIns', { version: 'beta', top: 1000 });
}

describe('listPages prefetch', () => {
  const unhandled: unknown[] = [];
  const record = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', record);
  });
  afterEach(() => {
    process.off('unhandledRejection', record);
  });

  it('requests the next page while the caller holds one, never more than one ahead, and hands pages out in order', async () => {
    const graph = fakeGraph();
    const pages = signInPages(createGraphApi({ graphBaseUrl: BASE, tokens, fetch: graph.fetch, logger, enforceBudgets: false }));
    const first = pages.next();
    (await graph.call(1)).respond(page(1, true));
    expect(await first).toEqual({ done: false, value: [1] });
    // The caller holds page 1: page 2 is on its way, page 3 is not.
    const second = await graph.call(2);
    expect(second.url).toContain('$skiptoken=1');
    second.respond(page(2, true));
    await settle();
    expect(graph.calls).toHaveLength(2);
    expect(await pages.next()).toEqual({ done: false, value: [2] });
    (await graph.call(3)).respond(page(3, false));
    expect(await pages.next()).toEqual({ done: false, value: [3] });
    expect(await pages.next()).toEqual({ done: true, value: undefined });
    expect(graph.calls).toHaveLength(3);
  });

  it('aborts the request in flight when the caller stops early, without an unhandled rejection', async () => {
    const graph = fakeGraph();
    const api = createGraphApi({ graphBaseUrl: BASE, tokens, fetch: graph.fetch, logger, enforceBudgets: false });
    const consumed: number[][] = [];
    const reading = (async () => {
      for await (const value of signInPages(api)) {
        consumed.push(value);
        await graph.call(2);
        break;
      }
    })();
    (await graph.call(1)).respond(page(1, true));
    await reading;
    expect(consumed).toEqual([[1]]);
    expect(graph.calls[1]!.signal?.aborted).toBe(true);
    await settle();
    expect(unhandled).toEqual([]);
    // Not retried after the abort.
    expect(graph.calls).toHaveLength(2);
  });

  it('reports a failed page to the caller when it asks for that page, after the page before it', async () => {
    const graph = fakeGraph();
    const pages = signInPages(createGraphApi({ graphBaseUrl: BASE, tokens, fetch: graph.fetch, logger, enforceBudgets: false }));
    const first = pages.next();
    (await graph.call(1)).respond(page(1, true));
    expect((await first).value).toEqual([1]);
    (await graph.call(2)).respond({ error: { code: 'Request_ResourceNotFound', message: 'gone' } }, 404);
    await settle();
    expect(unhandled).toEqual([]);
    await expect(pages.next()).rejects.toMatchObject({ code: 'GRAPH_REQUEST_REJECTED' });
  });

  it('gives the prefetched request its report budget slot when it is sent', async () => {
    let now = Date.parse('2026-11-26T10:00:00Z');
    const clock: Clock = { now: () => new Date(now), sleep: async (ms) => void (now += ms) };
    const windows: TenantWindows = privateWindows();
    const graph = fakeGraph();
    const pages = signInPages(createGraphApi({ graphBaseUrl: BASE, tokens, fetch: graph.fetch, logger, clock, windows }));
    const first = pages.next();
    (await graph.call(1)).respond(page(1, true));
    await first;
    await graph.call(2);
    // Page 1 answered and page 2 in flight: two of the five report requests per 10 s are taken.
    expect(windows.reports.waitInMs(now, 3)).toBe(0);
    expect(windows.reports.waitInMs(now, 4)).toBeGreaterThan(0);
    await pages.return(undefined);
  });
});
