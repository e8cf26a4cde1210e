/**
 * JSON batching, `POST /v1.0/$batch` and `POST /beta/$batch`, as
 * https://learn.microsoft.com/graph/json-batching describes it: a body `{requests: [...]}` of at
 * most 20 requests, each with an id unique in the batch (compared without case), a method and a
 * url relative to the version; a malformed batch is a 400 for the whole batch, otherwise the batch
 * answers 200 with `{responses: [{id, status, headers, body}]}` and every inner failure stays inside
 * its own response. Each inner request runs through the normal Graph routing with the outer
 * request's bearer token, so permissions, 404s and query errors are the ones a direct call gets.
 */
import { graphError, jsonResponse, newRequestId, type SimRequest, type SimResponse } from '../http.js';
import type { GraphContext } from './context.js';

/** Routes one inner request exactly as if it had arrived on its own. */
export type InnerDispatch = (request: SimRequest) => Promise<SimResponse | undefined>;

/** "JSON batch requests are currently limited to 20 individual requests." */
const MAX_REQUESTS = 20;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

interface InnerRequest {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  dependsOn: string[];
}

/** Handles `/$batch` of `version`; the caller has already checked the outer bearer token. */
export async function graphBatch(request: SimRequest, context: GraphContext, version: 'v1.0' | 'beta', dispatch: InnerDispatch): Promise<SimResponse> {
  const now = context.now();
  if (request.method !== 'POST') {
    return graphError(request, 405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.', now);
  }
  const parsed = parseBatch(request.body);
  if (typeof parsed === 'string') return graphError(request, 400, 'BadRequest', parsed, now);
  const statusById = new Map<string, number>();
  const responses: unknown[] = [];
  // Sequential, in the order given: a dependency always runs before the request that names it.
  for (const inner of parsed) {
    const failedDependency = inner.dependsOn.some((id) => (statusById.get(id.toLowerCase()) ?? 424) >= 400);
    const response = failedDependency
      ? graphError(request, 424, 'FailedDependency', 'A request this one depends on failed.', now)
      : await runInner(request, version, inner, dispatch, now);
    statusById.set(inner.id.toLowerCase(), response.status);
    responses.push({ id: inner.id, status: response.status, headers: response.headers, body: bodyOf(response) });
  }
  return jsonResponse(200, { responses });
}

async function runInner(outer: SimRequest, version: string, inner: InnerRequest, dispatch: InnerDispatch, now: Date): Promise<SimResponse> {
  const relative = inner.url.startsWith('/') ? inner.url : `/${inner.url}`;
  if (/^\/\$batch(\?|$)/.test(relative)) return graphError(outer, 400, 'BadRequest', 'A batch request cannot contain another batch.', now);
  const request: SimRequest = {
    method: inner.method,
    url: new URL(`/${version}${relative}`, outer.url.origin),
    headers: { ...inner.headers, authorization: outer.headers.authorization },
    body: inner.body === undefined ? '' : JSON.stringify(inner.body),
    requestId: newRequestId(),
  };
  try {
    return (await dispatch(request)) ?? graphError(outer, 400, 'BadRequest', `Resource not found for the segment '${relative.split('/')[1] ?? ''}'.`, now);
  } catch {
    // new URL or a handler choking on an odd inner url is the inner request's problem only.
    return graphError(outer, 400, 'BadRequest', `Invalid request URL '${inner.url}'.`, now);
  }
}

/** An inner body goes back as JSON when it is JSON (all Graph answers here), else as text. */
function bodyOf(response: SimResponse): unknown {
  if (response.body === '') return undefined;
  try {
    return JSON.parse(response.body) as unknown;
  } catch {
    return response.body;
  }
}

/** The batch's requests, or the message of the 400 a malformed batch gets. */
function parseBatch(text: string): InnerRequest[] | string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 'Invalid batch payload format.';
  }
  const requests = isRecord(body) ? body.requests : undefined;
  if (!Array.isArray(requests) || requests.length === 0) return 'Invalid batch payload format.';
  if (requests.length > MAX_REQUESTS) return `The number of requests in a batch exceeds the limit of ${MAX_REQUESTS}.`;
  const seen = new Set<string>();
  const out: InnerRequest[] = [];
  for (const r of requests) {
    if (!isRecord(r)) return 'Invalid batch payload format.';
    const { id, method, url } = r;
    if (typeof id !== 'string' || id === '') return 'Each request in a batch needs an id.';
    if (seen.has(id.toLowerCase())) return `Batch request ids must be unique; '${id}' is repeated.`;
    seen.add(id.toLowerCase());
    if (typeof method !== 'string' || !METHODS.includes(method.toUpperCase())) return `Request '${id}' has an invalid method.`;
    if (typeof url !== 'string' || url === '' || /^[a-z][a-z0-9+.-]*:/i.test(url))
      return `Request '${id}' needs a url relative to the version, such as '/users'.`;
    const headers = isRecord(r.headers) ? Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k.toLowerCase(), String(v)])) : {};
    if (r.body !== undefined && !headers['content-type']) return `Request '${id}' has a body but no Content-Type header.`;
    const dependsOn = Array.isArray(r.dependsOn) ? r.dependsOn.map(String) : [];
    out.push({ id, method: method.toUpperCase(), url, headers, body: r.body, dependsOn });
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
