import { setTimeout as delay } from 'node:timers/promises';
import { Client, ResponseType } from '@microsoft/microsoft-graph-client';
import { CredwatchError } from '../errors.js';
import type { Logger } from '../logging.js';
import type { TokenSource } from './auth.js';
import { classifyGraphFailure } from './classify.js';
import type { FetchLike } from './http.js';
import { RateLimiter, type Clock } from './rate-limit.js';
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
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const random = options.random ?? Math.random;
  const stats = emptyStats();
  const logger = options.logger.child({ component: 'graph' });
  const limiter = new RateLimiter(clock, options.enforceBudgets ?? true);
  const client = Client.initWithMiddleware({
    middleware: new TransportMiddleware(options.fetch, stats, logger),
    baseUrl: base.origin,
    defaultVersion: 'v1.0',
  });

  async function send<T>(url: string, method: 'GET' | 'POST', body?: unknown, extraHeaders: Record<string, string> = {}): Promise<T> {
    const path = new URL(url).pathname;
    let refreshed = false;
    for (let attempt = 1; ; attempt += 1) {
      await limiter.acquire(path);
      const token = await options.tokens.getToken({ forceRefresh: refreshed });
      const request = client
        .api(url)
        .header('Authorization', `Bearer ${token.token}`)
        .headers(extraHeaders)
        // POSTs such as sendMail answer 202 with an empty body; reading that as JSON would count as
        // an unreadable answer and resend the mail.
        .responseType(method === 'GET' ? ResponseType.JSON : ResponseType.TEXT);
      try {
        return (method === 'GET' ? await request.get() : await request.post(body)) as T;
      } catch (e: unknown) {
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
      }
    }
  }

  async function* listPages<T>(path: string, query: GraphQuery = {}): AsyncGenerator<T[], void, undefined> {
    const seen = new Set<string>();
    let url: string | undefined = buildUrl(base, path, query);
    const headers = query.headers ?? {};
    while (url) {
      seen.add(url);
      const page: unknown = await send<unknown>(url, 'GET', undefined, headers);
      if (!page || typeof page !== 'object' || !Array.isArray((page as { value?: unknown }).value)) {
        throw new CredwatchError('GRAPH_BAD_RESPONSE', `Graph returned a page without a value array for ${new URL(url).pathname}.`);
      }
      const next = (page as { '@odata.nextLink'?: unknown })['@odata.nextLink'];
      yield (page as { value: T[] }).value;
      url = next === undefined || next === null ? undefined : checkNextLink(base, next, seen);
    }
  }

  return {
    stats,
    get: <T>(path: string, query: GraphQuery = {}) => send<T>(buildUrl(base, path, query), 'GET', undefined, query.headers),
    post: async (path, body, query = {}) => {
      await send<unknown>(buildUrl(base, path, query), 'POST', body, query.headers);
    },
    listPages,
    async *list<T>(path: string, query: GraphQuery = {}) {
      for await (const page of listPages<T>(path, query)) yield* page;
    },
  };
}

function exhausted(reason: string, path: string, attempts: number, cause: unknown): CredwatchError {
  const details = { path, attempts };
  if (reason === 'throttled') return new CredwatchError('GRAPH_THROTTLED', `Graph throttled ${path} ${attempts} times in a row.`, { cause, details });
  if (reason === 'badResponse') return new CredwatchError('GRAPH_BAD_RESPONSE', `Graph answered ${path} with an unreadable body ${attempts} times.`, { cause, details });
  return new CredwatchError('GRAPH_UNAVAILABLE', `Graph did not answer ${path} after ${attempts} attempts.`, { cause, details });
}
