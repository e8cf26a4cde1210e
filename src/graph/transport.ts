import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import type { CredwatchError } from '../errors.js';
import type { Logger } from '../logging.js';
import type { FetchLike } from './http.js';
import { capResponse } from './limits.js';

/** Counts kept for benchmarks and the scan summary: requests grow with pages, not objects. */
export interface GraphStats {
  requests: number;
  retries: number;
  throttled: number;
  byPath: Record<string, number>;
}

export function emptyStats(): GraphStats {
  return { requests: 0, retries: 0, throttled: 0, byPath: {} };
}

/**
 * The last link of the Graph client's middleware chain: sends the request with our fetch (our
 * trust store and timeouts) instead of the global one. Retries live above the client, where a
 * whole request — token, send, parse — can be repeated and classified with our error codes.
 */
export class TransportMiddleware implements Middleware {
  constructor(
    private readonly fetch: FetchLike,
    private readonly stats: GraphStats,
    private readonly logger: Logger,
    private readonly maxResponseBytes: number,
  ) {}

  /** Answers that went past the size cap, by URL, until their sender takes the error (limits.ts). */
  private readonly capHits = new Map<string, CredwatchError>();

  /** The cap error of the last answer to `url`, if it went past the cap; forgotten once taken. */
  takeCapHit(url: string): CredwatchError | undefined {
    const error = this.capHits.get(url);
    this.capHits.delete(url);
    return error;
  }

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const method = context.options?.method ?? 'GET';
    const pathKey = pathClass(url);
    this.stats.requests += 1;
    this.stats.byPath[pathKey] = (this.stats.byPath[pathKey] ?? 0) + 1;
    const started = Date.now();
    // Graph answers API calls directly: a redirect would come from something in between, and
    // following it would send the bearer token's request somewhere else.
    const response = await this.fetch(url, { ...(context.options as RequestInit), redirect: 'manual' });
    context.response = capResponse(response, this.maxResponseBytes, pathKey, (error) => this.capHits.set(url, error));
    // The query is left out: filters are not secret but can be long; the path class is enough.
    this.logger.debug({ method, path: pathKey, status: context.response.status, ms: Date.now() - started }, 'graph request');
  }
}

/** `/v1.0/servicePrincipals/{id}` → `/v1.0/servicePrincipals/{id}`-style key without ids or query. */
export function pathClass(url: string): string {
  const { pathname } = new URL(url);
  return pathname
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '{id}')
    .replace(/\(appId='[^']*'\)/gi, "(appId='{id}')")
    .replace(/\/users\/[^/]+\//i, '/users/{id}/');
}
