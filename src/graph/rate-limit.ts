/**
 * Client-side budgets for the Graph limits Microsoft documents, so credwatch does not rely on being
 * throttled to find them (https://learn.microsoft.com/graph/throttling-limits):
 * - identity and access reports (sign-ins and directory audits share it): 5 requests per 10 s per
 *   app per tenant, and 122 per 10 s per app across all tenants — one budget for every tenant a
 *   process scans with the same app (`GraphBudgets`);
 * - Conditional Access named locations: 1 request per second per tenant, 429 without Retry-After;
 * - a `$select` of keyCredentials on applications or service principals: 150 per minute per tenant.
 *
 * A request holds its slot from before it is sent until its answer arrives, and is stamped with the
 * time the answer arrived: Graph counts a request when it receives it, which is never later, so no
 * window Graph measures can hold more than the budget (stamping at reservation let 6 report
 * requests land within 9.96 s when a token fetch delayed the first one).
 */
import type { GraphEndpoint } from './endpoints.js';

export interface RateBudget {
  readonly requests: number;
  readonly perMs: number;
}

export const REPORTS_PER_TENANT: RateBudget = Object.freeze({ requests: 5, perMs: 10_000 });
export const REPORTS_PER_APP: RateBudget = Object.freeze({ requests: 122, perMs: 10_000 });
export const NAMED_LOCATIONS_PER_TENANT: RateBudget = Object.freeze({ requests: 1, perMs: 1_000 });
export const KEY_CREDENTIALS_PER_TENANT: RateBudget = Object.freeze({ requests: 150, perMs: 60_000 });

export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

/** How long to wait while every slot is held by a request still in flight. */
const IN_FLIGHT_POLL_IN_MS = 25;

/** A sliding window of answered requests plus the ones still in flight. */
export class RateWindow {
  private readonly answered: number[] = [];
  private inFlight = 0;

  constructor(readonly budget: RateBudget) {}

  /** Milliseconds until `count` more requests may start together (0: now). */
  waitInMs(now: number, count = 1): number {
    while (this.answered.length > 0 && (this.answered[0] ?? 0) <= now - this.budget.perMs) this.answered.shift();
    const excess = this.answered.length + this.inFlight + count - this.budget.requests;
    if (excess <= 0) return 0;
    // The `excess` oldest answers must age out; answers still to come are waited for by polling.
    const freeing = this.answered[excess - 1];
    return freeing === undefined ? IN_FLIGHT_POLL_IN_MS : Math.max(1, freeing + this.budget.perMs - now);
  }

  take(): void {
    this.inFlight += 1;
  }

  /** The request's answer arrived at `at`: from now on it counts from that time. */
  answer(at: number): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    let i = this.answered.length;
    while (i > 0 && (this.answered[i - 1] ?? 0) > at) i -= 1;
    this.answered.splice(i, 0, at);
  }
}

/** The windows one tenant connection draws on. */
export interface TenantWindows {
  readonly reports: RateWindow;
  /** Shared by every tenant the same app reads. */
  readonly appReports: RateWindow;
  readonly namedLocations: RateWindow;
  readonly keyCredentials: RateWindow;
}

/** Fresh windows for a connection that shares nothing (tests, one-off tools). */
export function privateWindows(): TenantWindows {
  return {
    reports: new RateWindow(REPORTS_PER_TENANT),
    appReports: new RateWindow(REPORTS_PER_APP),
    namedLocations: new RateWindow(NAMED_LOCATIONS_PER_TENANT),
    keyCredentials: new RateWindow(KEY_CREDENTIALS_PER_TENANT),
  };
}

/**
 * Budgets shared by every connection of one process: Graph's 122-per-10-s report limit is per app
 * across all tenants, and a tenant's own limits hold however many connections read it (a scan and
 * `doctor`, or a new connection per scheduled run).
 */
export class GraphBudgets {
  private readonly apps = new Map<string, RateWindow>();
  private readonly tenants = new Map<string, TenantWindows>();

  /** The windows of `tenantId` read by the app `appKey` (its client id). */
  forTenant(appKey: string, tenantId: string): TenantWindows {
    const key = `${appKey}\n${tenantId.toLowerCase()}`;
    let windows = this.tenants.get(key);
    if (!windows) {
      let appReports = this.apps.get(appKey);
      if (!appReports) {
        appReports = new RateWindow(REPORTS_PER_APP);
        this.apps.set(appKey, appReports);
      }
      windows = { ...privateWindows(), appReports };
      this.tenants.set(key, windows);
    }
    return windows;
  }
}

/** Slots taken for one request; `release` stamps them with the time the answer arrived. */
export interface Slot {
  release(): void;
}

/** One tenant's limiter: its own windows plus the app-wide report window it shares. */
export class RateLimiter {
  /** Earliest time any request may go, set by a Retry-After for the whole tenant. */
  private notBefore = 0;

  constructor(
    private readonly clock: Clock,
    /** Off only for benchmarks against the simulator, which has no such limits to respect. */
    private readonly enforceBudgets = true,
    /** This tenant's windows, shared through `GraphBudgets` with the process's other connections. */
    private readonly windows: TenantWindows = privateWindows(),
  ) {}

  /** Holds every request until a server-imposed Retry-After has passed. */
  pauseUntil(epochMs: number): void {
    this.notBefore = Math.max(this.notBefore, epochMs);
  }

  /** Waits until the request may be sent and takes its slots. */
  async acquire(endpoint: GraphEndpoint | undefined, selectsKeyCredentials = false): Promise<Slot> {
    return this.acquireAll([{ endpoint, selectsKeyCredentials }]);
  }

  /**
   * Takes the slots of several requests sent as one (a JSON `$batch`: each inner request counts
   * against its own limit) all at once, or none: taking them one by one while holding the earlier
   * ones would let two batches each hold part of a budget and wait for each other forever.
   */
  async acquireAll(requests: ReadonlyArray<{ endpoint: GraphEndpoint | undefined; selectsKeyCredentials: boolean }>): Promise<Slot> {
    const needed = new Map<RateWindow, number>();
    if (this.enforceBudgets) {
      for (const r of requests) for (const w of this.windowsFor(r.endpoint, r.selectsKeyCredentials)) needed.set(w, (needed.get(w) ?? 0) + 1);
    }
    for (;;) {
      const now = this.clock.now().getTime();
      const wait = Math.max(this.notBefore - now, ...[...needed].map(([w, n]) => w.waitInMs(now, n)));
      if (wait <= 0) break;
      await this.clock.sleep(wait);
    }
    for (const [w, n] of needed) for (let i = 0; i < n; i += 1) w.take();
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const at = this.clock.now().getTime();
        for (const [w, n] of needed) for (let i = 0; i < n; i += 1) w.answer(at);
      },
    };
  }

  private windowsFor(endpoint: GraphEndpoint | undefined, selectsKeyCredentials: boolean): RateWindow[] {
    const windows: RateWindow[] = [];
    if (endpoint?.throttle === 'reports') windows.push(this.windows.reports, this.windows.appReports);
    if (endpoint?.throttle === 'namedLocations') windows.push(this.windows.namedLocations);
    if (selectsKeyCredentials) windows.push(this.windows.keyCredentials);
    return windows;
  }
}
