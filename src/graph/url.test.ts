import { describe, expect, it } from 'vitest';
import { isCredwatchError } from '../errors.js';
import { buildUrl, checkNextLink, odataString } from './url.js';

const base = new URL('https://graph.microsoft.com');

describe('buildUrl', () => {
  it('puts $select, $filter and $top on the versioned path with encoded values', () => {
    const url = buildUrl(base, '/auditLogs/signIns', {
      version: 'beta',
      select: ['id', 'appId'],
      filter: "createdDateTime ge 2026-11-26T00:00:00Z and appId eq 'a&b'",
      top: 1000,
    });
    expect(url).toBe(
      "https://graph.microsoft.com/beta/auditLogs/signIns?$select=id,appId&$filter=createdDateTime%20ge%202026-11-26T00%3A00%3A00Z%20and%20appId%20eq%20'a%26b'&$top=1000",
    );
  });
});

describe('odataString', () => {
  it('doubles single quotes so a value cannot close the literal', () => {
    expect(odataString("O'Brien' or 1 eq 1")).toBe("'O''Brien'' or 1 eq 1'");
  });
});

describe('checkNextLink', () => {
  it('accepts a link on the configured Graph origin', () => {
    const next = 'https://graph.microsoft.com/v1.0/servicePrincipals?$skiptoken=abc';
    expect(checkNextLink(base, next, new Set())).toBe(next);
  });

  it('refuses another host so the bearer token never leaves Graph', () => {
    let error: unknown;
    try {
      checkNextLink(base, 'https://evil.example/v1.0/servicePrincipals?$skiptoken=abc', new Set());
    } catch (e) {
      error = e;
    }
    expect(isCredwatchError(error, 'GRAPH_FOREIGN_LINK')).toBe(true);
  });

  it('refuses plain http on the right host', () => {
    expect(() => checkNextLink(base, 'http://graph.microsoft.com/v1.0/x', new Set())).toThrow(/only https:\/\/graph.microsoft.com/);
  });

  it('detects a repeating link as a pagination loop', () => {
    const next = 'https://graph.microsoft.com/v1.0/applications?$skiptoken=1';
    let error: unknown;
    try {
      checkNextLink(base, next, new Set([next]));
    } catch (e) {
      error = e;
    }
    expect(isCredwatchError(error, 'GRAPH_PAGINATION_LOOP')).toBe(true);
  });
});
