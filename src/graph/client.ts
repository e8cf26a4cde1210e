import { setTimeout as delay } from 'node:timers/promises';
import { Client, ResponseType } from '@microsoft/microsoft-graph-client';
import { CredwatchError } from '../errors.js';
import type { Logger } from '../logging.js';
import type { TokenSource } from './auth.js';
import { classifyGraphFailure } from './classify.js';
import type { FetchLike } from './http.js';
import { checkGraphRequest, findEndpoint, selectsKeyCredentials, splitVersion } from './contract.js';
import type { GraphEndpoint } from './endpoints.js';
import {
  KEY_CREDENTIALS_PER_TENANT,
  NAMED_LOCATIONS_PER_TENANT,
  RateLimiter,
  REPORTS_PER_TENANT,
  type Clock,
  type Slot,
  type TenantWindows,
} from './rate-limit.js';
import { backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter, type RetryPolicy } from './retry.js';
import { emptyStats, TransportMiddleware, type GraphStats } from './transport.js';
import { buildUrl, checkNextLink, type GraphQuery } from './url.js';

export type { GraphQuery } from './url.js';

export interface GraphApi {
  /** One object (or any JSON) from a path relative to the Graph base. */
  get<T>(path: string, query?: GraphQuery): Promise<T>;
  /** Every page of a collection, following @odata.nextLink, one array per page. */
  listPages<T>(path: string, query?: GraphQuery): AsyncGenerator<T[], void, undefined>;
  /** Every item of a collection, page by page, never the whole list in memory. */
  list<T>(path: string, query?: GraphQuery): AsyncGenerator<T, void, undefined>;
  post(path: string, body: unknown, query?: GraphQuery): Promise<void>;
  /** A POST whose answer is JSON (e.g. `$batch`), with the same retries as `get`. */
  postJson<T>(path: string, body: unknown, query?: GraphQuery): Promise<T>;
  readonly stats: GraphStats;
}

export interface CreateGraphApiOptions {
  graphBaseUrl: string;
  tokens: TokenSource;
  fetch: FetchLike;
  logger: Logger;
  clock?: Clock;
  retry?: Partial<RetryPolicy>;
  random?: () => number;
  /** Documented per-tenant budgets (reports 5/10 s, named locations 1/s); default on. */
  enforceBudgets?: boolean;
  /**
   * This tenant's budget windows, shared with the process's other connections
   * (`GraphBudgets.forTenant`); private ones when absent.
   */
  windows?: TenantWindows;
}

export const realClock: Clock = { now: () => new Date(), sleep: (ms) => delay(ms) };

/**
 * The only door to Microsoft Graph. Requests go through the official Graph client (request
 * building, response and error parsing) with our transport at the end of its middleware chain;
 * retries, throttling budgets, token refresh and link checks wrap it here.
 */
export function createGraphApi(options: CreateGraphApiOptions): GraphApi {
  const base = new URL(options.graphBaseUrl);
  if (base.protocol !== 'https:') {
    throw new CredwatchError('CONFIG_INVALID', `graphBaseUrl must be https, got ${base.protocol}`);
  }
  const clock = options.clock ?? realClock;
  const tokenSource = options.tokens;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const random = options.random ?? Math.random;
  const stats = emptyStats();
  const logger = options.logger.child({ component: 'graph' });
  const limiter = new RateLimiter(clock, options.enforceBudgets ?? true, options.windows);
  const client = Client.initWithMiddleware({
    middleware: new TransportMiddleware(options.fetch, stats, logger),
    baseUrl: base.origin,
    defaultVersion: 'v1.0',
  });

  /** The endpoint a request belongs to; URLs credwatch built must be documented calls. */
  function endpointOf(url: string, method: 'GET' | 'POST', built: boolean, body: unknown): GraphEndpoint | undefined {
    if (built) {
      const endpoint = checkGraphRequest(method, url);
      if (endpoint.name === 'batch') for (const inner of batchRequests(body)) checkGraphRequest(inner.method, `/${endpoint.version}${inner.url}`);
      return endpoint;
    }
    // A nextLink is Graph's own URL (its skip token included): only its budget matters.
    const split = splitVersion(new URL(url).pathname);
    return split ? findEndpoint(method, split.version, split.path) : undefined;
  }

  /** Slots for the request, or for each inner request of a batch (each counts against its own limit). */
  async function acquire(endpoint: GraphEndpoint | undefined, url: string, body: unknown): Promise<Slot[]> {
    if (endpoint?.name !== 'batch') return [await limiter.acquire(endpoint, endpoint ? selectsKeyCredentials(endpoint, url) : false)];
    const inner = batchRequests(body).map((r) => {
      const innerUrl = `/${endpoint.version}${r.url}`;
      const split = splitVersion(new URL(innerUrl, base).pathname);
      const innerEndpoint = split ? findEndpoint(r.method, split.version, split.path) : undefined;
      return { endpoint: innerEndpoint, keyCredentials: innerEndpoint ? selectsKeyCredentials(innerEndpoint, innerUrl) : false };
    });
    // Every slot of a batch is held until its one answer arrives, so a batch needing more slots of
    // a budget than the budget has would wait forever: refuse it as the programming error it is.
    const perBucket = new Map<string, number>();
    for (const r of inner) {
      const bucket = r.keyCredentials ? 'keyCredentials' : r.endpoint?.throttle;
      if (bucket) perBucket.set(bucket, (perBucket.get(bucket) ?? 0) + 1);
    }
    for (const [bucket, count] of perBucket) {
      const most = BATCH_BUDGET_CAP[bucket];
      if (most !== undefined && count > most) {
        throw new CredwatchError(
          'GRAPH_CALL_UNDOCUMENTED',
          `A $batch of ${count} ${bucket} requests exceeds that budget (${most}); send them in smaller batches.`,
          {
            details: { bucket, count },
          },
        );
      }
    }
    return [await limiter.acquireAll(inner.map((r) => ({ endpoint: r.endpoint, selectsKeyCredentials: r.keyCredentials })))];
  }

  async function send<T>(url: string, method: 'GET' | 'POST', options: SendOptions = {}): Promise<T> {
    const path = new URL(url).pathname;
    const endpoint = endpointOf(url, method, options.built ?? true, options.body);
    const responseType = method === 'GET' || options.json ? ResponseType.JSON : ResponseType.TEXT;
    const signal = options.signal;
    let refreshed = false;
    for (let attempt = 1; ; attempt += 1) {
      const slots = await acquire(endpoint, url, options.body);
      try {
        signal?.throwIfAborted();
        const token = await tokenSource.getToken({ forceRefresh: refreshed });
        const request = client
          .api(url)
          .header('Authorization', `Bearer ${token.token}`)
          .headers(options.headers ?? {})
          // POSTs such as sendMail answer 202 with an empty body; reading that as JSON would count as
          // an unreadable answer and resend the mail.
          .responseType(responseType);
        // Passed on to our fetch (transport.ts) with the request's other options.
        if (signal) request.option('signal', signal);
        return (method === 'GET' ? await request.get() : await request.post(options.body)) as T;
      } catch (e: unknown) {
        // Nobody wants this answer any more: no retry, no token refresh.
        if (signal?.aborted) throw e;
        const decision = classifyGraphFailure(e, path);
        if (decision.action === 'fail') throw decision.error;
        if (decision.action === 'refreshToken') {
          // An expired or revoked token mid-run: get a fresh one once, then treat 401 as final.
          if (refreshed) throw new CredwatchError('AUTH_FAILED', `Graph rejected a freshly issued token for ${path}.`);
          refreshed = true;
          attempt -= 1;
          continue;
        }
        if (attempt >= policy.maxAttempts) throw exhausted(decision.reason, path, attempt, e);
        const serverWait = parseRetryAfter(decision.retryAfterHeader, clock.now());
        if (serverWait !== undefined && serverWait > policy.maxRetryAfterInMs) {
          throw new CredwatchError('GRAPH_THROTTLED', `Graph asked credwatch to wait ${Math.round(serverWait / 1000)} s for ${path}; resuming next cycle.`, {
            details: { retryAfterInMs: serverWait, path },
          });
        }
        const wait = serverWait ?? backoffDelay(attempt, policy, random);
        stats.retries += 1;
        if (decision.reason === 'throttled') stats.throttled += 1;
        // Retry-After applies to the tenant, not this request: hold every request until it passes.
        limiter.pauseUntil(clock.now().getTime() + wait);
        logger.debug({ path, attempt, status: decision.status, reason: decision.reason, waitInMs: wait }, 'graph retry');
      } finally {
        for (const slot of slots) slot.release();
      }
    }
  }

  /** One page of a collection and Graph's link to the next, not yet checked. */
  async function readPage<T>(url: string, options: SendOptions): Promise<{ value: T[]; next: unknown }> {
    const page: unknown = await send<unknown>(url, 'GET', options);
    if (!page || typeof page !== 'object' || !Array.isArray((page as { value?: unknown }).value)) {
      throw new CredwatchError('GRAPH_BAD_RESPONSE', `Graph returned a page without a value array for ${new URL(url).pathname}.`);
    }
    return { value: (page as { value: T[] }).value, next: (page as { '@odata.nextLink'?: unknown })['@odata.nextLink'] };
  }

  /**
   * Pages follow each other, and the next one is requested the moment a page is handed out, so
   * Graph and the network work while the caller judges and stores it instead of after (a sign-in
   * page takes as long to fetch and parse as to judge and commit). One request ahead at most: the
   * caller's page and the one in flight are all this holds. The prefetch is an ordinary request —
   * it takes its budget slot when sent, retries, refreshes the token — whose failure reaches the
   * caller when it asks for that page, after it finished the one it has. A caller that stops early
   * aborts it, and its outcome is observed here so it cannot surface as an unhandled rejection.
   */
  async function* listPages<T>(path: string, query: GraphQuery = {}): AsyncGenerator<T[], void, undefined> {
    const seen = new Set<string>();
    const headers = query.headers ?? {};
    const abandoned = new AbortController();
    const request = (url: string, built: boolean) => {
      seen.add(url);
      const pending = readPage<T>(url, { headers, built, signal: abandoned.signal });
      pending.catch(() => undefined);
      return pending;
    };
    let pending: ReturnType<typeof request> | undefined = request(buildUrl(base, path, query), true);
    try {
      while (pending) {
        const page = await pending;
        pending = undefined;
        // A bad nextLink fails after this page is handed out, as it did before the prefetch.
        let badLink: unknown;
        if (page.next !== undefined && page.next !== null) {
          try {
            pending = request(checkNextLink(base, page.next, seen), false);
          } catch (e: unknown) {
            badLink = e;
          }
        }
        yield page.value;
        if (badLink !== undefined) throw badLink;
      }
    } finally {
      // Only matters when the caller stopped early (break, return, a throw) with a request in flight.
      abandoned.abort();
    }
  }

  return {
    stats,
    get: <T>(path: string, query: GraphQuery = {}) => send<T>(buildUrl(base, path, query), 'GET', headersOf(query)),
    post: async (path, body, query = {}) => {
      await send<unknown>(buildUrl(base, path, query), 'POST', { ...headersOf(query), body });
    },
    postJson: <T>(path: string, body: unknown, query: GraphQuery = {}) =>
      send<T>(buildUrl(base, path, query), 'POST', { ...headersOf(query), body, json: true }),
    listPages,
    async *list<T>(path: string, query: GraphQuery = {}) {
      for await (const page of listPages<T>(path, query)) yield* page;
    },
  };
}

/** The most inner requests of one budget a batch may carry (rate-limit.ts). */
const BATCH_BUDGET_CAP: Readonly<Record<string, number>> = {
  reports: REPORTS_PER_TENANT.requests,
  namedLocations: NAMED_LOCATIONS_PER_TENANT.requests,
  keyCredentials: KEY_CREDENTIALS_PER_TENANT.requests,
};

interface SendOptions {
  headers?: Record<string, string>;
  body?: unknown;
  /** Parse a POST's answer as JSON. */
  json?: boolean;
  /** False for a nextLink: Graph built it, so only its budget is looked up. */
  built?: boolean;
  /** Aborts the request and stops its retries (a prefetched page nobody will read). */
  signal?: AbortSignal;
}

function headersOf(query: GraphQuery): { headers?: Record<string, string> } {
  return query.headers ? { headers: query.headers } : {};
}

/** The inner requests of a JSON batch body (https://learn.microsoft.com/graph/json-batching). */
function batchRequests(body: unknown): Array<{ method: 'GET' | 'POST'; url: string }> {
  const requests = body !== null && typeof body === 'object' ? (body as { requests?: unknown }).requests : undefined;
  if (!Array.isArray(requests)) throw new CredwatchError('GRAPH_CALL_UNDOCUMENTED', 'A $batch body must carry a requests array.');
  return requests.map((r: unknown) => {
    const { method, url } = (r ?? {}) as { method?: unknown; url?: unknown };
    if ((method !== 'GET' && method !== 'POST') || typeof url !== 'string' || !url.startsWith('/')) {
      throw new CredwatchError('GRAPH_CALL_UNDOCUMENTED', 'Each $batch request needs method GET or POST and a relative url.');
    }
    return { method, url };
  });
}

function exhausted(reason: string, path: string, attempts: number, cause: unknown): CredwatchError {
  const details = { path, attempts };
  if (reason === 'throttled') return new CredwatchError('GRAPH_THROTTLED', `Graph throttled ${path} ${attempts} times in a row.`, { cause, details });
  if (reason === 'badResponse')
    return new CredwatchError('GRAPH_BAD_RESPONSE', `Graph answered ${path} with an unreadable body ${attempts} times.`, { cause, details });
  return new CredwatchError('GRAPH_UNAVAILABLE', `Graph did not answer ${path} after ${attempts} attempts.`, { cause, details });
}
