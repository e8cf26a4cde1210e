import { GraphError } from '@microsoft/microsoft-graph-client';
import { CredwatchError } from '../errors.js';
import { redact } from '../redact.js';
import { rolesForPath } from './permissions.js';

/** What to do after a failed Graph attempt. */
export type FailureDecision =
  | { action: 'retry'; reason: 'throttled' | 'unavailable' | 'network' | 'badResponse'; retryAfterHeader: string | null; status: number }
  | { action: 'refreshToken' }
  | { action: 'fail'; error: CredwatchError };

/**
 * Turns anything the Graph client threw into a decision. Callers never look at messages; a 403 is
 * split into "licence missing" and "permission missing" by Graph's error code, and the missing
 * permission is named from our own endpoint table because Graph does not say which one it wanted.
 */
export function classifyGraphFailure(e: unknown, path: string): FailureDecision {
  if (e instanceof CredwatchError) return { action: 'fail', error: e };
  if (!(e instanceof GraphError)) {
    const message = redact(e instanceof Error ? e.message : String(e));
    return { action: 'fail', error: new CredwatchError('INTERNAL', `Unexpected failure calling Graph: ${message}`, { cause: e }) };
  }
  const status = e.statusCode;
  const fromBody = errorFromBody(e);
  const code = e.code || fromBody.code || '';
  // A proxy or a broken front end can echo the request, Authorization header included.
  const message = redact(e.message || fromBody.message || '');
  const retryAfterHeader = e.headers?.get('retry-after') ?? null;
  const details = { status, graphCode: code || undefined, requestId: e.requestId ?? fromBody.requestId ?? undefined, path };
  if (status === -1 || status === 0) return { action: 'retry', reason: 'network', retryAfterHeader: null, status };
  if (status >= 200 && status < 300) return { action: 'retry', reason: 'badResponse', retryAfterHeader: null, status };
  if (status === 429) return { action: 'retry', reason: 'throttled', retryAfterHeader, status };
  if (status >= 500) return { action: 'retry', reason: 'unavailable', retryAfterHeader, status };
  if (status === 401) return { action: 'refreshToken' };
  if (status === 403) {
    if (/NonPremium|premium licen[cs]e/i.test(`${code} ${message}`)) {
      return {
        action: 'fail',
        error: new CredwatchError('GRAPH_LICENSE_MISSING', `Graph refused ${path}: the tenant has no Entra ID P1/P2 licence (${code}).`, { details }),
      };
    }
    const roles = rolesForPath(path);
    const needed = roles.length > 0 ? roles.join(' and ') : 'an application permission';
    return {
      action: 'fail',
      error: new CredwatchError('GRAPH_PERMISSION_MISSING', `Graph refused ${path} (${code || 'Forbidden'}): credwatch needs ${needed}.`, {
        details: { ...details, permissions: roles },
      }),
    };
  }
  return {
    action: 'fail',
    error: new CredwatchError('GRAPH_REQUEST_REJECTED', `Graph rejected ${path} with ${status} ${code}: ${message}`.trim(), { details }),
  };
}

/**
 * What of a failed attempt an error keeps as its cause: Graph's status and message, redacted. Not
 * the GraphError itself: its body and headers are logged whole with the error, and an answer that
 * echoes the request carries the bearer token.
 */
export function attemptCause(e: unknown): Error {
  if (!(e instanceof GraphError)) return e instanceof Error ? Object.assign(new Error(redact(e.message)), { name: e.name }) : new Error(redact(String(e)));
  const message = redact(e.message || errorFromBody(e).message || '');
  return Object.assign(new Error(`Graph answered ${e.statusCode}${message ? `: ${message}` : ''}`), { name: 'GraphError' });
}

/**
 * A POST read as text (sendMail answers 202 with an empty body) leaves the Graph client's error
 * without code or message; Graph's error JSON is still in the body
 * (https://learn.microsoft.com/graph/errors).
 */
function errorFromBody(e: GraphError): { code?: string; message?: string; requestId?: string } {
  const body: unknown = e.body;
  if (typeof body !== 'string' || body === '') return {};
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown; innerError?: Record<string, unknown> } };
    const error = parsed.error;
    if (!error || typeof error !== 'object') return {};
    const requestId = error.innerError?.['request-id'];
    return {
      ...(typeof error.code === 'string' ? { code: error.code } : {}),
      ...(typeof error.message === 'string' ? { message: error.message } : {}),
      ...(typeof requestId === 'string' ? { requestId } : {}),
    };
  } catch {
    return {};
  }
}
