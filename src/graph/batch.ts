/**
 * JSON batching (https://learn.microsoft.com/graph/json-batching): up to 20 GET requests travel in
 * one `POST /$batch`, each with a relative url and an id, and come back as `{id, status, headers,
 * body}` in any order. The outer answer is 200 whenever the batch parsed, so every inner response
 * is judged on its own: inner 429/5xx are retried here (Graph evaluates each inner request against
 * its own throttling limit and answers 429 with its own Retry-After), and inner 4xx become the same
 * CredwatchError codes a direct call would give, by handing classifyGraphFailure the GraphError a
 * direct call would have raised. Batching saves round trips, not throttling budget: "requests in a
 * batch are evaluated individually against the applicable throttling limits" (json-batching, Batch
 * size limitations), so a batch of 20 costs 20 requests.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { GraphError } from '@microsoft/microsoft-graph-client';
import { CredwatchError, toCredwatchError } from '../errors.js';
import { classifyGraphFailure, type FailureDecision } from './classify.js';
import type { GraphApi } from './client.js';
import { backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter, type RetryPolicy } from './retry.js';
import { buildUrl, type GraphQuery } from './url.js';

/** "JSON batch requests are currently limited to 20 individual requests" (json-batching). */
export const MAX_BATCH_REQUESTS = 20;

/** One GET to send inside a batch: a path below the version and its OData options. */
export interface BatchGet {
  path: string;
  query?: Pick<GraphQuery, 'select' | 'filter' | 'top' | 'orderby'>;
}

/** The answer to one inner request: its JSON body, or the error a direct call would have thrown. */
export type BatchResult<T> = { ok: true; body: T } | { ok: false; error: CredwatchError };

/** Counts for benchmarks: outer `$batch` POSTs, inner requests sent (retries included), retries. */
export interface BatchStats {
  batches: number;
  innerRequests: number;
  innerRetries: number;
}

/** Options for {@link batchGet}; defaults are the direct client's retry policy and real time. */
export interface BatchOptions {
  version?: 'v1.0' | 'beta';
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  random?: () => number;
  stats?: BatchStats;
}

interface InnerResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * Sends `requests` in batches of 20 and returns one result per request, in the order given. An
 * outer failure the client already retried (throttling, 5xx, an unreadable answer) or a refusal
 * (403, 4xx) marks that batch's requests failed and the next batch still goes; anything else (an
 * undocumented call, a rejected credential, a bug) is thrown, as it would be from a direct call.
 */
export async function batchGet<T>(graph: GraphApi, requests: readonly BatchGet[], options: BatchOptions = {}): Promise<BatchResult<T>[]> {
  const results: BatchResult<T>[] = [];
  for (let start = 0; start < requests.length; start += MAX_BATCH_REQUESTS) {
    const indices = requests.slice(start, start + MAX_BATCH_REQUESTS).map((_, offset) => start + offset);
    await runBatch(graph, requests, indices, results, options);
  }
  return results;
}

async function runBatch<T>(graph: GraphApi, requests: readonly BatchGet[], indices: number[], results: BatchResult<T>[], options: BatchOptions): Promise<void> {
  const version = options.version ?? 'v1.0';
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const now = options.now ?? (() => new Date());
  const pathOf = (i: number) => `/${version}${requests[i]?.path ?? ''}`;
  let pending = indices;
  for (let attempt = 1; pending.length > 0; attempt += 1) {
    const body = { requests: pending.map((i) => ({ id: String(i), method: 'GET', url: relativeUrl(requests[i] as BatchGet) })) };
    countBatch(options.stats, pending.length, attempt);
    let answer: unknown;
    try {
      answer = await graph.postJson<unknown>('/$batch', body, { version });
    } catch (e: unknown) {
      const error = toCredwatchError(e);
      if (!error.retryable && error.code !== 'GRAPH_PERMISSION_MISSING' && error.code !== 'GRAPH_REQUEST_REJECTED') throw error;
      for (const i of pending) results[i] = { ok: false, error };
      return;
    }
    const responses = responsesById(answer);
    const again: number[] = [];
    let wait = 0;
    for (const i of pending) {
      const response = responses.get(String(i));
      const decision = response ? judge(response, pathOf(i)) : missing(pathOf(i));
      if (decision === 'ok') {
        results[i] = { ok: true, body: (response as InnerResponse).body as T };
      } else if (decision.action === 'fail') {
        results[i] = { ok: false, error: decision.error };
      } else if (decision.action === 'refreshToken') {
        // The outer request's token was accepted; an inner 401 is not fixed by sending it again.
        results[i] = { ok: false, error: new CredwatchError('AUTH_FAILED', `Graph rejected credwatch's token for ${pathOf(i)} inside a $batch.`) };
      } else {
        const serverWait = parseRetryAfter(decision.retryAfterHeader, now());
        const failure = attempt >= policy.maxAttempts ? exhausted(decision.reason, pathOf(i), attempt) : tooLong(serverWait, policy, pathOf(i));
        if (failure) {
          results[i] = { ok: false, error: failure };
          continue;
        }
        again.push(i);
        wait = Math.max(wait, serverWait ?? backoffDelay(attempt, policy, options.random));
      }
    }
    pending = again;
    if (pending.length > 0) await (options.sleep ?? ((ms: number) => delay(ms)))(wait);
  }
}

function countBatch(stats: BatchStats | undefined, inner: number, attempt: number): void {
  if (!stats) return;
  stats.batches += 1;
  stats.innerRequests += inner;
  if (attempt > 1) stats.innerRetries += inner;
}

/** The url as the batch body wants it: relative to the version, options encoded like a direct call. */
export function relativeUrl(request: BatchGet): string {
  const prefix = 'https://graph.invalid/v1.0';
  // Sliced as text: a URL object would re-encode the query (a quote becomes %27).
  return buildUrl(new URL(prefix), request.path, { ...request.query, version: 'v1.0' }).slice(prefix.length);
}

/** Inner responses by id; a body without a `responses` array yields none, so all are retried. */
function responsesById(answer: unknown): Map<string, InnerResponse> {
  const out = new Map<string, InnerResponse>();
  const list = isRecord(answer) && Array.isArray(answer.responses) ? answer.responses : [];
  for (const r of list) {
    if (!isRecord(r) || (typeof r.id !== 'string' && typeof r.id !== 'number') || typeof r.status !== 'number') continue;
    const headers: Record<string, string> = {};
    if (isRecord(r.headers)) for (const [name, value] of Object.entries(r.headers)) if (typeof value === 'string') headers[name] = value;
    out.set(String(r.id), { status: r.status, headers, body: r.body });
  }
  return out;
}

/** A 2xx with a JSON object is an answer; anything else is what the direct call would make of it. */
function judge(response: InnerResponse, path: string): 'ok' | FailureDecision {
  if (response.status >= 200 && response.status < 300 && isRecord(response.body)) return 'ok';
  const error = isRecord(response.body) && isRecord(response.body.error) ? response.body.error : {};
  const inner = isRecord(error.innerError) ? error.innerError : {};
  const graphError = new GraphError(response.status, typeof error.message === 'string' ? error.message : `HTTP ${response.status}`);
  graphError.code = typeof error.code === 'string' ? error.code : null;
  graphError.requestId = typeof inner['request-id'] === 'string' ? inner['request-id'] : null;
  graphError.headers = new Headers(response.headers);
  graphError.body = JSON.stringify(response.body ?? null);
  return classifyGraphFailure(graphError, path);
}

/** An id Graph did not answer is an incomplete (unreadable) batch answer: worth another try. */
function missing(path: string): FailureDecision {
  return classifyGraphFailure(new GraphError(200, `The $batch answer had no response for ${path}.`), path);
}

function tooLong(serverWait: number | undefined, policy: RetryPolicy, path: string): CredwatchError | undefined {
  if (serverWait === undefined || serverWait <= policy.maxRetryAfterInMs) return undefined;
  return new CredwatchError('GRAPH_THROTTLED', `Graph asked credwatch to wait ${Math.round(serverWait / 1000)} s for ${path}; resuming next cycle.`, {
    details: { retryAfterInMs: serverWait, path },
  });
}

function exhausted(reason: string, path: string, attempts: number): CredwatchError {
  const details = { path, attempts, batched: true };
  if (reason === 'throttled') return new CredwatchError('GRAPH_THROTTLED', `Graph throttled ${path} ${attempts} times in a row.`, { details });
  if (reason === 'badResponse')
    return new CredwatchError('GRAPH_BAD_RESPONSE', `Graph answered ${path} with an unreadable body ${attempts} times.`, { details });
  return new CredwatchError('GRAPH_UNAVAILABLE', `Graph did not answer ${path} after ${attempts} attempts.`, { details });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
