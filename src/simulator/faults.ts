/**
 * Fault injection: latency for every request and rules that break matching requests in the ways
 * Graph breaks in the field (throttling, 5xx, truncated bodies, HTML error pages with 200, resets).
 */

/** Faults to inject. Replace them at any time with `setFaults`. */
export interface FaultOptions {
  /** Delay added before every response. */
  latencyInMs?: number;
  rules?: FaultRule[];
}

/** One fault rule, matched by substring on path + query. */
export interface FaultRule {
  /** Substring of the request's path + query (raw, as sent). */
  pathIncludes: string;
  /**
   * status: respond `status` with Graph error JSON; truncate: cut the real JSON body mid-way with a
   * 200; html200: an HTML error page with status 200; reset: destroy the socket. Hostile answers
   * (nothing Graph does, what a broken proxy or endpoint might): hugeBody: a 200 whose JSON body
   * streams `bytes` of padding inside the page (counted in `bytesWritten`); endlessLinks: an
   * empty page whose nextLink is always a new one; redirect: a 307 to `location`.
   */
  kind: 'status' | 'truncate' | 'html200' | 'reset' | 'hugeBody' | 'endlessLinks' | 'redirect';
  /** For hugeBody: how many bytes of padding to stream (default 200 MB). */
  bytes?: number;
  /** For hugeBody: send a Content-Length that announces the whole body (default: chunked, no length). */
  declareLength?: boolean;
  /** For redirect: the Location. */
  location?: string;
  /** For kind 'status' (429, 500, 502, 503, 504, 400 …). */
  status?: number;
  /** Retry-After header value, verbatim ('2', an HTTP-date, '0'); omitted = no header. */
  retryAfter?: string;
  /**
   * Retry-After in seconds, written the way Microsoft's throttling sample writes it: fractional,
   * `2.128` (https://learn.microsoft.com/graph/throttling#sample-response). Wins over `retryAfter`.
   * With status 429 the body is that sample's too.
   */
  retryAfterSeconds?: number;
  /**
   * For kind 'status': the error's message quotes the request line and headers (Authorization
   * included), as a misconfigured gateway's or proxy's error page does.
   */
  echoRequest?: boolean;
  /** Let this many matching requests through first (default 0). */
  skip?: number;
  /** How many matching requests to fault (default 1; Infinity allowed). */
  times?: number;
}

interface RuleState {
  rule: FaultRule;
  seen: number;
  fired: number;
}

/** Tracks how often each rule matched and decides which fault, if any, a request gets. */
export class FaultEngine {
  private latencyInMs = 0;
  /** Bytes of hugeBody padding sent so far (what clients actually read, give or take socket buffers). */
  bytesWritten = 0;
  private rules: RuleState[] = [];

  constructor(faults: FaultOptions | undefined) {
    this.set(faults ?? {});
  }

  /** Replaces all faults and resets the counters. */
  set(faults: FaultOptions): void {
    this.latencyInMs = faults.latencyInMs ?? 0;
    this.rules = (faults.rules ?? []).map((rule) => ({ rule, seen: 0, fired: 0 }));
    this.bytesWritten = 0;
  }

  /** Latency to add to every response. */
  get latency(): number {
    return this.latencyInMs;
  }

  /**
   * The rule that faults this request, if any. Every matching rule counts the request, so `skip`
   * means "the first N matching requests" even when several rules overlap.
   */
  pick(pathAndQuery: string): FaultRule | undefined {
    let chosen: FaultRule | undefined;
    for (const state of this.rules) {
      if (!pathAndQuery.includes(state.rule.pathIncludes)) continue;
      state.seen += 1;
      if (chosen) continue;
      const skip = state.rule.skip ?? 0;
      const times = state.rule.times ?? 1;
      if (state.seen > skip && state.fired < times) {
        state.fired += 1;
        chosen = state.rule;
      }
    }
    return chosen;
  }
}

/** The HTML error page some gateways return with status 200. */
export const HTML_ERROR_PAGE =
  '<!DOCTYPE html><html><head><title>Service Unavailable</title></head><body><h1>Service Unavailable</h1>' +
  '<p>The service is temporarily unavailable. Please try again later.</p></body></html>';
