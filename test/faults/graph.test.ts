import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { normalizeSignIn } from '../../src/collect/signins.js';
import type { Config } from '../../src/config/types.js';
import { isCredwatchError } from '../../src/errors.js';
import type { TokenSource } from '../../src/graph/auth.js';
import { createGraphApi } from '../../src/graph/client.js';
import { createFetch } from '../../src/graph/http.js';
import { createLogger } from '../../src/logging.js';
import type { SignIn } from '../../src/simulator/scenario.js';
import { mimecastScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { MemoryStateStore } from '../../src/state/index.js';
import { scanConfig, scanOnce, VENDOR_APP_ID } from '../helpers/scan.js';
import { captureLogger, connect, simulatorConfig } from '../helpers/tenant.js';
import { startFeed, testTls, type FeedServer } from './feed-servers.js';

/**
 * Graph answers the e2e suite (test/e2e/faults.test.ts) does not cover: Retry-After 0 or absent, a
 * 429 storm, the other gateway statuses, an expired skip token, a socket that hangs, a repeating
 * nextLink, empty pages in front of data, duplicate records and hostile text. Real sockets
 * throughout: the simulator, or a loopback HTTPS "Graph" for answers the simulator cannot give.
 */

describe('Graph throttling and gateway failures mid-pagination', () => {
  const now = new Date();
  let sim: RunningSimulator;
  let config: Config;
  let baseline: string[];

  const graphRequests = (from: number) => sim.requests.slice(from).filter((r) => r.path.startsWith('/v1.0'));

  async function listIds(retry?: Parameters<typeof connect>[2]): Promise<string[]> {
    const { logger } = captureLogger('silent');
    const { graph } = connect(config, logger, retry);
    const ids: string[] = [];
    for await (const sp of graph.list<{ id: string }>('/servicePrincipals', { select: ['id'], top: 3 })) ids.push(sp.id);
    return ids;
  }

  beforeAll(async () => {
    sim = await startSimulator({ scenario: mimecastScenario(now) });
    config = await simulatorConfig(sim, 'certificate');
    baseline = await listIds();
  });
  afterAll(async () => {
    await sim.close();
  });
  afterEach(() => {
    sim.setFaults({});
  });

  it('retries a 429 with Retry-After: 0 at once, losing and repeating no item', async () => {
    sim.setFaults({ rules: [{ pathIncludes: 'skiptoken', kind: 'status', status: 429, retryAfter: '0', times: 1 }] });
    const from = sim.requests.length;
    // A backoff of at least 2 s would show if "0" were read as "no Retry-After".
    expect(await listIds({ baseDelayInMs: 2_000, maxBackoffInMs: 4_000 })).toEqual(baseline);
    const requests = graphRequests(from);
    const throttledAt = requests.findIndex((r) => r.status === 429);
    expect(throttledAt).toBeGreaterThan(-1);
    expect(requests[throttledAt + 1]!.at.getTime() - requests[throttledAt]!.at.getTime()).toBeLessThan(1_000);
  });

  it('backs off on a 429 without Retry-After and then reads every item once', async () => {
    sim.setFaults({ rules: [{ pathIncludes: 'skiptoken', kind: 'status', status: 429, times: 2 }] });
    const from = sim.requests.length;
    expect(await listIds({ baseDelayInMs: 200, maxBackoffInMs: 400 })).toEqual(baseline);
    const requests = graphRequests(from);
    const throttled = requests.map((r, i) => [r, i] as const).filter(([r]) => r.status === 429);
    expect(throttled).toHaveLength(2);
    for (const [r, i] of throttled) expect(requests[i + 1]!.at.getTime() - r.at.getTime()).toBeGreaterThanOrEqual(190);
  });

  it('gives up on a 429 storm with GRAPH_THROTTLED after maxAttempts requests, not retrying forever', async () => {
    sim.setFaults({ rules: [{ pathIncludes: '/servicePrincipals', kind: 'status', status: 429, retryAfter: '0', times: Infinity }] });
    const from = sim.requests.length;
    const error = await listIds({ baseDelayInMs: 1, maxBackoffInMs: 5, maxAttempts: 5 }).catch((e: unknown) => e);
    expect(isCredwatchError(error, 'GRAPH_THROTTLED')).toBe(true);
    expect(graphRequests(from)).toHaveLength(5);
  });

  it('retries a 500, a 502 and a 504 in the middle of pagination without losing or repeating an item', async () => {
    sim.setFaults({
      rules: [
        { pathIncludes: 'skiptoken', kind: 'status', status: 500, times: 1 },
        { pathIncludes: 'skiptoken', kind: 'status', status: 502, skip: 1, times: 1 },
        { pathIncludes: 'skiptoken', kind: 'status', status: 504, skip: 2, times: 1 },
      ],
    });
    const from = sim.requests.length;
    expect(await listIds()).toEqual(baseline);
    expect(
      graphRequests(from)
        .map((r) => r.status)
        .filter((s) => s >= 500),
    ).toEqual([500, 502, 504]);
  });
});

describe('a skip token that expires mid-listing', () => {
  it('fails the listing with GRAPH_REQUEST_REJECTED naming Directory_ExpiredPageToken instead of calling a partial list complete', async () => {
    const t0 = new Date();
    let clock = t0;
    const sim = await startSimulator({ scenario: mimecastScenario(t0), now: () => clock });
    try {
      const config = await simulatorConfig(sim, 'certificate');
      const { logger } = captureLogger('silent');
      const { graph } = connect(config, logger);
      const pages = graph.listPages<{ id: string }>('/servicePrincipals', { select: ['id'], top: 3 });
      const first = await pages.next();
      expect(first.value).toHaveLength(3);
      // The prefetched second page was already asked for; the third is asked for two hours later.
      await pages.next();
      clock = new Date(t0.getTime() + 2 * 3_600_000);
      const error = await (async () => {
        for await (const page of pages) void page;
      })().catch((e: unknown) => e);
      expect(isCredwatchError(error, 'GRAPH_REQUEST_REJECTED')).toBe(true);
      expect((error as Error).message).toContain('Directory_ExpiredPageToken');
    } finally {
      await sim.close();
    }
  });
});

describe('a loopback Graph that pages badly', () => {
  const logger = createLogger({ level: 'silent' });
  const tokens: TokenSource = { getToken: () => Promise.resolve({ token: 'token', expiresOn: undefined, roles: [], appId: undefined }) };
  let tls: Awaited<ReturnType<typeof testTls>>;
  let server: FeedServer | undefined;
  beforeAll(async () => {
    tls = await testTls();
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** Serves `/v1.0/servicePrincipals` from `answer(page number)`; the first request is page 0. */
  async function graphServing(answer: (page: number, req: IncomingMessage, res: ServerResponse) => boolean | void) {
    const requests: string[] = [];
    server = await startFeed((req, res) => {
      requests.push(req.url ?? '');
      const page = Number(/skiptoken=(\d+)/.exec(req.url ?? '')?.[1] ?? 0);
      if (answer(page, req, res) === false) return;
    }, tls);
    const base = server.url;
    const api = createGraphApi({
      graphBaseUrl: base,
      tokens,
      fetch: createFetch({ caCertificatePem: tls.caCertificatePem, timeoutInMs: 300 }),
      logger,
      enforceBudgets: false,
      retry: { baseDelayInMs: 5, maxBackoffInMs: 20, maxAttempts: 3 },
    });
    return { api, base, requests };
  }
  const json = (res: ServerResponse, body: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const nextLink = (base: string, page: number) => `${base}/v1.0/servicePrincipals?$select=id&$top=2&$skiptoken=${page}`;

  async function ids(api: ReturnType<typeof createGraphApi>): Promise<string[]> {
    const out: string[] = [];
    for await (const sp of api.list<{ id: string }>('/servicePrincipals', { select: ['id'], top: 2 })) out.push(sp.id);
    return out;
  }

  it('asks again for a page whose socket hangs past the request timeout, losing and repeating no item', async () => {
    let hung = 0;
    const { api, base, requests } = await graphServing((page, _req, res) => {
      if (page === 1 && hung === 0) {
        hung += 1;
        return false; // never answered: the client's 300 ms timeout must end it
      }
      json(res, { value: [{ id: `a${page}` }, { id: `b${page}` }], ...(page < 2 ? { '@odata.nextLink': nextLink(base, page + 1) } : {}) });
    });
    const started = Date.now();
    expect(await ids(api)).toEqual(['a0', 'b0', 'a1', 'b1', 'a2', 'b2']);
    expect(requests.filter((u) => u.includes('skiptoken=1'))).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('stops a repeating nextLink with GRAPH_PAGINATION_LOOP after requesting it once', async () => {
    const { api, base, requests } = await graphServing((page, _req, res) => {
      json(res, { value: [{ id: `p${page}` }], '@odata.nextLink': nextLink(base, 1) });
    });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const sp of api.list<{ id: string }>('/servicePrincipals', { select: ['id'], top: 2 })) seen.push(sp.id);
    })().catch((e: unknown) => e);
    expect(isCredwatchError(error, 'GRAPH_PAGINATION_LOOP')).toBe(true);
    expect(seen).toEqual(['p0', 'p1']);
    expect(requests).toHaveLength(2);
  });

  it('follows empty pages that carry a nextLink to the records behind them instead of stopping at the first empty page', async () => {
    const { api, base } = await graphServing((page, _req, res) => {
      if (page < 3) json(res, { value: [], '@odata.nextLink': nextLink(base, page + 1) });
      else json(res, { value: [{ id: 'late-1' }, { id: 'late-2' }] });
    });
    expect(await ids(api)).toEqual(['late-1', 'late-2']);
  });
});

describe('records Graph serves twice or with hostile text', () => {
  const now = new Date('2026-11-26T12:00:00Z');
  const later = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
  let sim: RunningSimulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  async function setUp() {
    sim = await startSimulator({ scenario: mimecastScenario(now), now: () => now, enforceThrottling: false });
    const { config } = await scanConfig(sim);
    const store = new MemoryStateStore({ now: () => now });
    const { logger } = captureLogger('silent');
    return { sim, config, store, logger };
  }

  function foreignSignIn(id: string, at: Date, ip: string): SignIn {
    const template = (mimecastScenario(now).signIns as SignIn[]).find((s) => s.appId === VENDOR_APP_ID && s.ipAddress.startsWith('198.51.100.'))!;
    return { ...template, id, createdDateTime: at.toISOString(), ipAddress: ip, status: { ...template.status, errorCode: 0, failureReason: '' } };
  }

  it('judges a sign-in served twice in one page, and again in a later window, once', async () => {
    const { sim, config, store, logger } = await setUp();
    await scanOnce(sim, config, store, logger, now);
    const criticalCount = async () => (await store.listAlerts('contoso', new Date(0), later(60))).find((a) => a.ruleId === 'signin-cert-outside-allowlist')!;
    const countBefore = (await criticalCount()).count;
    const record = foreignSignIn('dup-1', later(-5), '198.51.100.77');
    sim.addSignIns([record, { ...record }]);
    const first = await scanOnce(sim, config, store, logger, later(15));
    expect(first.events.newSignIns).toBe(1);
    // The same record again (same id and time), logged a second time after its window was read.
    sim.addSignIns([{ ...record }]);
    const second = await scanOnce(sim, config, store, logger, later(45));
    expect(second.events.newSignIns).toBe(0);
    const critical = await criticalCount();
    expect(critical.count).toBe(countBefore + 1);
    expect(critical.ips.filter((ip) => ip === '198.51.100.77')).toHaveLength(1);
  });

  it('processes a sign-in whose app name is over 100,000 characters of non-BMP and control characters, keeping it exactly', async () => {
    const name = '\u{1F4E7}\u0000\u001b[31m\u202e'.repeat(11_112);
    expect(name.length).toBeGreaterThan(100_000);
    const { sim, config, store, logger } = await setUp();
    await scanOnce(sim, config, store, logger, now);
    sim.addSignIns([{ ...foreignSignIn('hostile-name', later(-5), '198.51.100.78'), appDisplayName: name }]);
    const summary = await scanOnce(sim, config, store, logger, later(15));
    expect(summary.events).toMatchObject({ newSignIns: 1, quarantined: 0 });
    expect(summary.errors).toEqual([]);
    const findings = await store.listFindings('contoso', new Date(0), later(60));
    expect(findings.some((f) => f.finding.eventIds.includes('hostile-name'))).toBe(true);
    // The normalizer keeps the text byte for byte; rendering makes it visible (test/alerts/*).
    const event = normalizeSignIn({ id: 'x', createdDateTime: now.toISOString(), appId: VENDOR_APP_ID, appDisplayName: name });
    expect(event).toMatchObject({ appDisplayName: name });
  });
});
