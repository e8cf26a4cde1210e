import { setTimeout as delay } from 'node:timers/promises';
import { Client, GraphError, ResponseType } from '@microsoft/microsoft-graph-client';
import { CredwatchError } from '../errors.js';
import type { Logger } from '../logging.js';
import type { TokenSource } from './auth.js';
import { attemptCause, classifyGraphFailure } from './classify.js';
import { MalformedJsonError, readJsonArrayMember, type FetchLike } from './http.js';
import { DEFAULT_GRAPH_LIMITS, tooManyPages, type GraphLimits } from './limits.js';
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
  /**
   * Every page of a collection, following @odata.nextLink, one array per page. With `mapItem`, a
   * page's items are parsed one by one as its body streams in and each is replaced at once by what
   * `mapItem` makes of it, so the page is only ever held as the mapped items (for pages of large
   * records of which little is kept, such as sign-ins); without it the page arrives as parsed.
   */
  listPages<T, U = T>(path: string, query?: GraphQuery, mapItem?: (item: T) => U): AsyncGenerator<U[], void, undefined>;
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
  /** Caps on what is read (limits.ts); the defaults when absent. */
  limits?: Partial<GraphLimits>;
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
  const limits: GraphLimits = { ...DEFAULT_GRAPH_LIMITS, ...options.limits };
  const limiter = new RateLimiter(clock, options.enforceBudgets ?? true, options.windows);
  const transport = new TransportMiddleware(options.fetch, stats, logger, limits.maxResponseBytes);
  const client = Client.initWithMiddleware({
    middleware: transport,
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
    // An opened page's body is read later, by readMappedPage; anything else by the Graph client.
    const responseType = options.open ? ResponseType.RAW : method === 'GET' || options.json ? ResponseType.JSON : ResponseType.TEXT;
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
        const answer: unknown = method === 'GET' ? await request.get() : await request.post(options.body);
        return (options.open ? await checkStatus(answer as Response) : answer) as T;
      } catch (e: unknown) {
        // Nobody wants this answer any more: no retry, no token refresh.
        if (signal?.aborted) throw e;
        // An answer past the size cap is final, whatever the Graph client made of it.
        const capped = transport.takeCapHit(url);
        if (capped) throw capped;
        const decision = classifyGraphFailure(e, path);
        if (decision.action === 'fail') throw decision.error;
        if (decision.action === 'refreshToken') {
          // An expired or revoked token mid-run: get a fresh one once, then treat 401 as final.
          if (refreshed) throw new CredwatchError('AUTH_FAILED', `Graph rejected a freshly issued token for ${path}.`);
          refreshed = true;
          attempt -= 1;
          continue;
        }
        if (attempt >= policy.maxAttempts) throw exhausted(decision.reason, path, attempt, attemptCause(e));
        // A create whose answer was lost or unreadable may have created its object: sending it again
        // could make a second one. Only a 429 says Graph did not take it (endpoints.ts, resendable).
        if (endpoint?.resendable === false && decision.reason !== 'throttled') throw exhausted(decision.reason, path, attempt, attemptCause(e));
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
  async function readPage<T>(url: string, options: SendOptions): Promise<Page<T>> {
    return pageOf<T>(await send<unknown>(url, 'GET', options), url);
  }

  /**
   * A page whose items are mapped as its body streams in, from the answer `opened` (status and
   * headers, body unread) or from a new request. A body that breaks off or is not JSON is asked for
   * again after a backoff, as the Graph client's unreadable answers are, up to the same number of
   * attempts; an error of `mapItem` is passed on as it is.
   */
  async function readMappedPage<T>(url: string, options: SendOptions, mapItem: (item: unknown) => unknown, opened?: Response): Promise<Page<T>> {
    const path = new URL(url).pathname;
    for (let attempt = 1; ; attempt += 1) {
      const response = opened ?? (await send<Response>(url, 'GET', { ...options, open: true }));
      opened = undefined;
      try {
        return pageOf<T>(await readStreamedPage(response, mapItem), url);
      } catch (e: unknown) {
        if (options.signal?.aborted || !(e instanceof GraphError)) throw e;
        if (attempt >= policy.maxAttempts) throw exhausted('badResponse', path, attempt, e);
        const wait = backoffDelay(attempt, policy, random);
        stats.retries += 1;
        limiter.pauseUntil(clock.now().getTime() + wait);
        logger.debug({ path, attempt, status: e.statusCode, reason: 'badResponse', waitInMs: wait }, 'graph retry');
      }
    }
  }

  /**
   * Pages follow each other, and the next one is requested the moment a page is handed out, so
   * Graph and the network work while the caller judges and stores it instead of after (a sign-in
   * page takes as long to fetch and parse as to judge and commit). One request ahead at most: the
   * caller's page and the one in flight are all this holds. The prefetch is an ordinary request —
   * it takes its budget slot when sent, retries, refreshes the token — whose failure reaches the
   * caller when it asks for that page, after it finished the one it has. A caller that stops early
   * aborts it, and its outcome is observed here so it cannot surface as an unhandled rejection.
   *
   * With `mapItem`, the prefetch stops at Graph's answer (status and headers): its body is read and
   * mapped when the caller asks for the page, flowing from the connection as it is parsed. Until
   * then it waits in the socket — the operating system's buffers, not this process's heap — so the
   * caller's page is the only one in memory, and its items are made just before the caller judges
   * them: they die young instead of living through two pages and filling V8's old generation.
   */
  async function* listPages<T, U = T>(path: string, query: GraphQuery = {}, mapItem?: (item: T) => U): AsyncGenerator<U[], void, undefined> {
    const seen = new Set<string>();
    const headers = query.headers ?? {};
    const abandoned = new AbortController();
    const request = (url: string, built: boolean): Promise<() => Promise<Page<U>>> => {
      seen.add(url);
      const options: SendOptions = { headers, built, signal: abandoned.signal };
      let pending: Promise<() => Promise<Page<U>>>;
      if (mapItem) {
        const map = mapItem as (item: unknown) => unknown;
        pending = send<Response>(url, 'GET', { ...options, open: true }).then((opened) => () => readMappedPage<U>(url, options, map, opened));
      } else {
        pending = readPage<U>(url, options).then((page) => () => Promise.resolve(page));
      }
      pending.catch(() => undefined);
      return pending;
    };
    const next = async (answer: ReturnType<typeof request>): Promise<Page<U>> => (await answer)();
    let pending: ReturnType<typeof request> | undefined = request(buildUrl(base, path, query), true);
    // The page lives in a variable emptied before the next one is read: a suspended generator keeps
    // whatever its registers last held, dead or not, and a page kept there would live through the
    // reading of the next.
    let page: Page<U> | undefined;
    let pages = 0;
    try {
      while (pending) {
        page = await next(pending);
        pending = undefined;
        pages += 1;
        // A bad nextLink fails after this page is handed out, as it did before the prefetch.
        let badLink: unknown;
        if (page.next !== undefined && page.next !== null) {
          try {
            if (pages >= limits.maxPages) throw tooManyPages(path, limits.maxPages);
            pending = request(checkNextLink(base, page.next, seen), false);
          } catch (e: unknown) {
            badLink = e;
          }
        }
        yield page.value;
        page = undefined;
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
  /** Answer with the response once its status is a success, its body unread (read by readMappedPage). */
  open?: boolean;
}

/** A collection page's items and Graph's link to the next, not yet checked. */
interface Page<T> {
  value: T[];
  next: unknown;
}

function pageOf<T>(page: unknown, url: string): Page<T> {
  if (!page || typeof page !== 'object' || !Array.isArray((page as { value?: unknown }).value)) {
    throw new CredwatchError('GRAPH_BAD_RESPONSE', `Graph returned a page without a value array for ${new URL(url).pathname}.`);
  }
  return { value: (page as { value: T[] }).value, next: (page as { '@odata.nextLink'?: unknown })['@odata.nextLink'] };
}

/**
 * The response of a successful status; otherwise the error the Graph client would have raised for
 * it. No message of our own: classifyGraphFailure takes code and message from Graph's error body
 * (https://learn.microsoft.com/graph/errors), as it does for the client's own errors.
 */
async function checkStatus(response: Response): Promise<Response> {
  if (response.ok) return response;
  const error = new GraphError(response.status);
  error.headers = response.headers;
  error.body = await response.text().catch(() => '');
  throw error;
}

/**
 * A collection page read from a successful answer as its body streams in: each item of `value` is
 * parsed and mapped on arrival (http.ts, JsonArrayMemberSplitter), so neither the body's text nor
 * the parsed page exists at any moment. A body that breaks off or is not JSON fails with a
 * GraphError carrying the answer's status, as the Graph client's own reading would; an error of
 * `mapItem` is passed on as it is.
 */
async function readStreamedPage(response: Response, mapItem: (item: unknown) => unknown): Promise<unknown> {
  const value: unknown[] = [];
  let mapFailure: { error: unknown } | undefined;
  let rest: Record<string, unknown>;
  try {
    if (!response.body) throw new MalformedJsonError('no body');
    rest = await readJsonArrayMember(response.body as unknown as AsyncIterable<Uint8Array>, 'value', (json) => {
      const item: unknown = JSON.parse(json);
      try {
        value.push(mapItem(item));
      } catch (e: unknown) {
        mapFailure = { error: e };
        throw e;
      }
    });
  } catch (e: unknown) {
    if (mapFailure) throw mapFailure.error;
    // A cap (limits.ts) is final: reading the same answer again would hit it again.
    if (e instanceof CredwatchError) throw e;
    const error = new GraphError(response.status, e instanceof Error ? e.message : String(e), e instanceof Error ? e : undefined);
    error.headers = response.headers;
    throw error;
  }
  // `value` is `[]` in the rest when the page had the array; anything else fails readPage's check.
  return Array.isArray(rest.value) ? { ...rest, value } : rest;
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
