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

describe('listPages with mapItem (pages read as they stream in)', () => {
  /** A body released piece by piece, recording whether anyone has started reading it. */
  function streamedBody(text: string, options: { failAfter?: number } = {}) {
    const bytes = new TextEncoder().encode(text);
    let offset = 0;
    const body = {
      pulled: false,
      stream: new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            body.pulled = true;
            if (options.failAfter !== undefined && offset >= options.failAfter) {
              controller.error(new TypeError('terminated'));
              return;
            }
            if (offset >= bytes.length) {
              controller.close();
              return;
            }
            controller.enqueue(bytes.slice(offset, offset + 7));
            offset += 7;
          },
        },
        // Nothing is pulled before a reader asks.
        { highWaterMark: 0 },
      ),
    };
    return body;
  }
  const json = { 'content-type': 'application/json' };
  const link = (n: number) => `${BASE}/beta/auditLogs/signIns?$top=1000&$skiptoken=${n}`;

  function mappedPages(fetch: FetchLike, mapItem: (item: { n: number }) => unknown = (item) => item.n * 10) {
    return createGraphApi({ graphBaseUrl: BASE, tokens, fetch, logger, enforceBudgets: false }).listPages(
      '/auditLogs/signIns',
      { version: 'beta', top: 1000 },
      mapItem,
    );
  }

  it('maps every item, requests the next page when one is handed out and reads its body only when the caller asks', async () => {
    const bodies = [
      streamedBody(JSON.stringify({ value: [{ n: 1 }, { n: 2 }], '@odata.nextLink': link(1) })),
      streamedBody(JSON.stringify({ '@odata.nextLink': link(2), value: [{ n: 3 }] })),
      streamedBody(JSON.stringify({ value: [] })),
    ];
    const urls: string[] = [];
    const fetch: FetchLike = (url) => {
      urls.push(url);
      return Promise.resolve(new Response(bodies[urls.length - 1]!.stream, { headers: json }));
    };
    const pages = mappedPages(fetch);
    expect(await pages.next()).toEqual({ done: false, value: [10, 20] });
    await settle();
    // Page 2 is requested and answered, and waits unread until the caller asks for it.
    expect(urls).toEqual([expect.stringContaining('/beta/auditLogs/signIns'), link(1)]);
    expect(bodies[1]!.pulled).toBe(false);
    expect(await pages.next()).toEqual({ done: false, value: [30] });
    expect(await pages.next()).toEqual({ done: false, value: [] });
    expect(await pages.next()).toEqual({ done: true, value: undefined });
    expect(urls).toHaveLength(3);
  });

  it('asks again for a page whose body breaks off, and hands out only the complete one', async () => {
    const text = JSON.stringify({ value: [{ n: 1 }, { n: 2 }, { n: 3 }] });
    const bodies = [streamedBody(text, { failAfter: 14 }), streamedBody(text)];
    let calls = 0;
    const fetch: FetchLike = () => Promise.resolve(new Response(bodies[calls++]!.stream, { headers: json }));
    const api = createGraphApi({ graphBaseUrl: BASE, tokens, fetch, logger, enforceBudgets: false, random: () => 0, retry: { baseDelayInMs: 1 } });
    const pages: unknown[] = [];
    for await (const value of api.listPages<{ n: number }, number>('/auditLogs/signIns', { version: 'beta' }, (item) => item.n)) pages.push(value);
    expect(pages).toEqual([[1, 2, 3]]);
    expect(calls).toBe(2);
    expect(api.stats.retries).toBe(1);
  });

  it('asks again for an HTML error page served with 200 and for a body cut short, then gives up with GRAPH_BAD_RESPONSE', async () => {
    const good = JSON.stringify({ value: [{ n: 1 }, { n: 2 }] });
    const answers = [
      () => new Response('<html><body>Service unavailable</body></html>', { headers: { 'content-type': 'text/html' } }),
      () => new Response(good.slice(0, 20), { headers: json }),
      () => new Response(good, { headers: json }),
    ];
    let calls = 0;
    const fetch: FetchLike = () => Promise.resolve(answers[Math.min(calls++, answers.length - 1)]!());
    const options = { graphBaseUrl: BASE, tokens, logger, enforceBudgets: false, random: () => 0, retry: { baseDelayInMs: 1 } };
    const api = createGraphApi({ ...options, fetch });
    const read: unknown[] = [];
    for await (const value of api.listPages<{ n: number }, number>('/auditLogs/signIns', { version: 'beta' }, (item) => item.n)) read.push(value);
    expect(read).toEqual([[1, 2]]);
    expect(calls).toBe(3);
    const alwaysCut = createGraphApi({ ...options, retry: { baseDelayInMs: 1, maxAttempts: 3 }, fetch: () => Promise.resolve(answers[1]!()) });
    await expect(alwaysCut.listPages('/auditLogs/signIns', { version: 'beta' }, (item) => item).next()).rejects.toMatchObject({ code: 'GRAPH_BAD_RESPONSE' });
  });

  it('retries a throttled or failing page like any request, and reports a refusal with its Graph error', async () => {
    const answers = [
      new Response(JSON.stringify({ error: { code: 'UnknownError', message: 'busy' } }), { status: 503, headers: { ...json, 'retry-after': '0' } }),
      new Response(JSON.stringify({ value: [{ n: 1 }], '@odata.nextLink': link(1) }), { headers: json }),
      new Response(JSON.stringify({ error: { code: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant', message: 'no licence' } }), {
        status: 403,
        headers: json,
      }),
    ];
    let calls = 0;
    const fetch: FetchLike = () => Promise.resolve(answers[calls++]!);
    const pages = mappedPages(fetch);
    expect(await pages.next()).toEqual({ done: false, value: [10] });
    await expect(pages.next()).rejects.toMatchObject({ code: 'GRAPH_LICENSE_MISSING' });
    expect(calls).toBe(3);
  });

  it('passes on an error of mapItem as it is, without asking Graph again', async () => {
    let calls = 0;
    const fetch: FetchLike = () => {
      calls += 1;
      return Promise.resolve(new Response(JSON.stringify({ value: [{ n: 1 }] }), { headers: json }));
    };
    const pages = mappedPages(fetch, () => {
      throw new RangeError('mapper bug');
    });
    await expect(pages.next()).rejects.toThrow(RangeError);
    expect(calls).toBe(1);
  });

  it('fails a page without a value array, as when it was parsed whole', async () => {
    const fetch: FetchLike = () => Promise.resolve(new Response(JSON.stringify({ items: [] }), { headers: json }));
    await expect(mappedPages(fetch).next()).rejects.toMatchObject({ code: 'GRAPH_BAD_RESPONSE' });
  });

  it('aborts an answered page nobody will read when the caller stops early', async () => {
    const signals: AbortSignal[] = [];
    const fetch: FetchLike = (_url, init) => {
      signals.push(init!.signal!);
      const more = signals.length === 1;
      return Promise.resolve(
        new Response(JSON.stringify({ value: [{ n: signals.length }], ...(more ? { '@odata.nextLink': link(1) } : {}) }), { headers: json }),
      );
    };
    for await (const value of mappedPages(fetch)) {
      expect(value).toEqual([10]);
      await settle();
      break;
    }
    expect(signals).toHaveLength(2);
    expect(signals[1]!.aborted).toBe(true);
  });
});
