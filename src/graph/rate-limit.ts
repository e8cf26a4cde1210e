/**
 * Client-side budgets for Graph endpoints with documented per-tenant limits, so credwatch does not
 * rely on being throttled to find them: reports (sign-ins, audits) allow 5 requests per 10 s per
 * app per tenant; named locations 1 request per second and answer 429 without Retry-After.
 */
export interface RateBudget {
  readonly requests: number;
  readonly perMs: number;
}

export const GRAPH_BUDGETS: ReadonlyArray<readonly [RegExp, string, RateBudget]> = [
  [/\/auditLogs\//i, 'reports', { requests: 5, perMs: 10_000 }],
  [/\/identity\/conditionalAccess\/namedLocations/i, 'namedLocations', { requests: 1, perMs: 1_000 }],
];

export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

/** A sliding-window limiter per budget class; `acquire` waits until a slot is free. */
export class RateLimiter {
  private readonly sent = new Map<string, number[]>();
  /** Earliest time any request may go, set by a Retry-After for the whole tenant. */
  private notBefore = 0;

  constructor(
    private readonly clock: Clock,
    /** Off only for benchmarks against the simulator, which has no such limits to respect. */
    private readonly enforceBudgets = true,
  ) {}

  /** Holds every request until a server-imposed Retry-After has passed. */
  pauseUntil(epochMs: number): void {
    this.notBefore = Math.max(this.notBefore, epochMs);
  }

  async acquire(path: string): Promise<void> {
    const wait = this.notBefore - this.clock.now().getTime();
    if (wait > 0) await this.clock.sleep(wait);
    const match = this.enforceBudgets ? GRAPH_BUDGETS.find(([pattern]) => pattern.test(path)) : undefined;
    if (!match) return;
    const [, key, budget] = match;
    const times = this.sent.get(key) ?? [];
    for (;;) {
      const now = this.clock.now().getTime();
      while (times.length > 0 && (times[0] ?? 0) <= now - budget.perMs) times.shift();
      if (times.length < budget.requests) {
        times.push(now);
        this.sent.set(key, times);
        return;
      }
      await this.clock.sleep((times[0] ?? now) + budget.perMs - now);
    }
  }
}
