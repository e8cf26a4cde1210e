/**
 * Graph's documented rate limits, on the wall clock: throttling is about how fast real requests
 * arrive, and the real clients wait real time before retrying, so the injected clock (frozen in
 * most tests) would never let a window pass. Only served requests count, so a client that waits the
 * Retry-After it was given always gets through.
 *
 * - Reports (sign-ins and directory audits together): 5 requests per 10 s per app per tenant,
 *   https://learn.microsoft.com/graph/throttling-limits#identity-and-access-reports-service-limits;
 *   429 with Microsoft's sample body and a fractional Retry-After (`2.128` in the sample on
 *   https://learn.microsoft.com/graph/throttling#sample-response).
 * - `$select=keyCredentials` on applications and service principals: 150 requests per minute per
 *   tenant (application-list, serviceprincipal-list and their Get pages); whole-second Retry-After.
 * - Named locations: one request per second per tenant, 429 without Retry-After (https://learn.microsoft.com/graph/throttling-limits).
 */
import { performance } from 'node:perf_hooks';
import { graphError, type SimRequest, type SimResponse } from '../http.js';
import type { GraphCall } from './context.js';

/** Requests served per key inside a sliding window. */
export class SlidingWindow {
  private readonly served = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowInMs: number,
  ) {}

  /** Counts a request at `nowMs` and returns 0, or returns the ms until one would be allowed. */
  take(key: string, nowMs: number): number {
    const times = (this.served.get(key) ?? []).filter((t) => t > nowMs - this.windowInMs);
    if (times.length >= this.limit) {
      this.served.set(key, times);
      return Math.max(1, (times[0] ?? nowMs) + this.windowInMs - nowMs);
    }
    times.push(nowMs);
    this.served.set(key, times);
    return 0;
  }
}

/** Retry-After in Microsoft's sample form: seconds with up to three decimals (`2.128`). */
export function fractionalSeconds(ms: number): string {
  return String(Math.max(0.001, Math.round(ms) / 1000));
}

/** The 429 of https://learn.microsoft.com/graph/throttling#sample-response. */
export function tooManyRequests(request: SimRequest, now: Date, headers: Record<string, string>): SimResponse {
  return graphError(request, 429, 'TooManyRequests', 'Please retry again later.', now, headers, { code: '429', message: 'Please retry after', status: '429' });
}

/** The limits of one simulator; `enabled` switches all of them. */
export class Throttles {
  enabled: boolean;
  private readonly reports = new SlidingWindow(5, 10_000);
  private readonly keyCredentials = new SlidingWindow(150, 60_000);
  private readonly namedLocations = new SlidingWindow(1, 1_000);

  /** `clockMs` measures arrivals: the wall clock, or a test's virtual clock that its client waits on too. */
  constructor(
    enabled: boolean,
    private readonly clockMs: () => number = () => performance.now(),
  ) {
    this.enabled = enabled;
  }

  /** A report read by `clientId`: undefined when allowed, else the 429. */
  report(request: SimRequest, clientId: string, now: Date): SimResponse | undefined {
    const wait = this.enabled ? this.reports.take(clientId, this.clockMs()) : 0;
    return wait === 0 ? undefined : tooManyRequests(request, now, { 'retry-after': fractionalSeconds(wait) });
  }

  /** A read that `$select`s keyCredentials (any app, this tenant). */
  keyCredentialsRead(request: SimRequest, now: Date): SimResponse | undefined {
    const wait = this.enabled ? this.keyCredentials.take('tenant', this.clockMs()) : 0;
    return wait === 0 ? undefined : tooManyRequests(request, now, { 'retry-after': String(Math.ceil(wait / 1000)) });
  }

  /** A named-locations read (any app, this tenant): the 429 carries no Retry-After. */
  namedLocationsRead(request: SimRequest, now: Date): SimResponse | undefined {
    const wait = this.enabled ? this.namedLocations.take('tenant', this.clockMs()) : 0;
    return wait === 0 ? undefined : graphError(request, 429, 'TooManyRequests', 'Too many requests.', now);
  }
}

/** The 429 for `call` when a documented limit is exhausted, else undefined (and the request counted). */
export function throttled(throttles: Throttles, call: GraphCall, clientId: string, now: Date): SimResponse | undefined {
  if (/^\/auditLogs\/(signIns|directoryAudits)$/.test(call.path)) return throttles.report(call.request, clientId, now);
  if (call.path === '/identity/conditionalAccess/namedLocations') return throttles.namedLocationsRead(call.request, now);
  const selectsKeys = call.query.select?.some((s) => s.toLowerCase() === 'keycredentials') ?? false;
  if (selectsKeys && /^\/(applications|servicePrincipals)(\/|\(|$)/.test(call.path)) return throttles.keyCredentialsRead(call.request, now);
  return undefined;
}
