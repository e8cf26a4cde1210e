import { GraphError } from '@microsoft/microsoft-graph-client';
import { CredwatchError } from '../errors.js';
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
    const message = e instanceof Error ? e.message : String(e);
    return { action: 'fail', error: new CredwatchError('INTERNAL', `Unexpected failure calling Graph: ${message}`, { cause: e }) };
  }
  const status = e.statusCode;
  const code = e.code ?? '';
  const retryAfterHeader = e.headers?.get('retry-after') ?? null;
  const details = { status, graphCode: code || undefined, requestId: e.requestId ?? undefined, path };
  if (status === -1 || status === 0) return { action: 'retry', reason: 'network', retryAfterHeader: null, status };
  if (status >= 200 && status < 300) return { action: 'retry', reason: 'badResponse', retryAfterHeader: null, status };
  if (status === 429) return { action: 'retry', reason: 'throttled', retryAfterHeader, status };
  if (status >= 500) return { action: 'retry', reason: 'unavailable', retryAfterHeader, status };
  if (status === 401) return { action: 'refreshToken' };
  if (status === 403) {
    if (/NonPremium|premium licen[cs]e/i.test(`${code} ${e.message}`)) {
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
    error: new CredwatchError('GRAPH_REQUEST_REJECTED', `Graph rejected ${path} with ${status} ${code}: ${e.message}`.trim(), { details }),
  };
}
