/** Retry timing for Graph: Retry-After parsing and backoff with jitter. Pure, clock injected. */

export interface RetryPolicy {
  /** Attempts per request including the first. */
  maxAttempts: number;
  /** First backoff when the server gave no Retry-After. */
  baseDelayInMs: number;
  /** Cap for computed backoff (not for a server's Retry-After). */
  maxBackoffInMs: number;
  /**
   * Longest server-requested wait we sit through inside one scan. Graph may ask for more than the
   * Graph client's 180 s cap; we honour it up to this bound, then give up with GRAPH_THROTTLED and
   * let the next cycle resume from the committed watermark instead of holding a worker for hours.
   */
  maxRetryAfterInMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 6,
  baseDelayInMs: 1_000,
  maxBackoffInMs: 60_000,
  maxRetryAfterInMs: 15 * 60_000,
});

/**
 * Retry-After is either delta-seconds or an HTTP-date (RFC 9110 §10.2.3), and from Graph sometimes
 * fractional seconds. Returns milliseconds
 * from `now`, 0 for a date in the past, undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  // Delta-seconds; Microsoft's own 429 sample sends a fraction ("2.128"): wait the whole second
  // it starts, never less (https://learn.microsoft.com/graph/throttling).
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed)) * 1000;
  // An HTTP-date always names a weekday or month; without letters Date.parse would read '-5' as a year.
  if (!/[a-z]{3}/i.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

/** Full-jitter exponential backoff: uniform in [base, min(cap, base·2^attempt)]. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxBackoffInMs, policy.baseDelayInMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(policy.baseDelayInMs + random() * Math.max(0, ceiling - policy.baseDelayInMs));
}

/** Statuses worth retrying: throttling and server-side or gateway failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}
