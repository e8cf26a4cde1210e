import { GraphError } from '@microsoft/microsoft-graph-client';
import { describe, expect, it } from 'vitest';
import { classifyGraphFailure } from './classify.js';

function graphError(status: number, code: string | null, message = 'x', headers: Record<string, string> = {}): GraphError {
  const e = new GraphError(status, message);
  e.code = code;
  e.headers = new Headers(headers);
  return e;
}

describe('classifyGraphFailure', () => {
  it('retries throttling and keeps the Retry-After header', () => {
    expect(classifyGraphFailure(graphError(429, 'TooManyRequests', 'slow down', { 'Retry-After': '7' }), '/beta/auditLogs/signIns')).toEqual({
      action: 'retry',
      reason: 'throttled',
      retryAfterHeader: '7',
      status: 429,
    });
  });

  it('retries 5xx, network failures and unreadable 2xx bodies', () => {
    expect(classifyGraphFailure(graphError(503, 'ServiceUnavailable'), '/v1.0/applications')).toMatchObject({ action: 'retry', reason: 'unavailable' });
    expect(classifyGraphFailure(graphError(-1, null, 'fetch failed'), '/v1.0/applications')).toMatchObject({ action: 'retry', reason: 'network' });
    expect(classifyGraphFailure(graphError(200, null, 'Unexpected end of JSON input'), '/v1.0/applications')).toMatchObject({
      action: 'retry',
      reason: 'badResponse',
    });
  });

  it('asks for a token refresh on 401', () => {
    expect(classifyGraphFailure(graphError(401, 'InvalidAuthenticationToken'), '/v1.0/applications')).toEqual({ action: 'refreshToken' });
  });

  it('names the permissions an endpoint needs when Graph answers 403', () => {
    const decision = classifyGraphFailure(graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges'), '/v1.0/oauth2PermissionGrants');
    expect(decision.action).toBe('fail');
    if (decision.action !== 'fail') return;
    expect(decision.error.code).toBe('GRAPH_PERMISSION_MISSING');
    expect(decision.error.message).toContain('Directory.Read.All');
    expect(decision.error.retryable).toBe(false);
  });

  it('recognises the missing Entra ID P1/P2 licence on sign-ins', () => {
    const decision = classifyGraphFailure(
      graphError(403, 'Authentication_RequestFromNonPremiumTenantOrB2CTenant', "Neither tenant is B2C or tenant doesn't have premium license"),
      '/beta/auditLogs/signIns',
    );
    expect(decision).toMatchObject({ action: 'fail', error: { code: 'GRAPH_LICENSE_MISSING' } });
  });

  it('does not retry other client errors', () => {
    expect(classifyGraphFailure(graphError(400, 'BadRequest', 'Invalid filter clause'), '/v1.0/applications')).toMatchObject({
      action: 'fail',
      error: { code: 'GRAPH_REQUEST_REJECTED', retryable: false },
    });
  });
});
