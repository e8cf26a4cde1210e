import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_RETRY_POLICY, isRetryableStatus, parseRetryAfter } from './retry.js';

const now = new Date('2026-11-26T10:00:00Z');

describe('parseRetryAfter', () => {
  it('reads delta-seconds as milliseconds', () => {
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(' 600 ', now)).toBe(600_000);
  });

  it('rounds a fractional Retry-After up to the next whole second, as Microsoft\'s own 429 sample sends "2.128"', () => {
    expect(parseRetryAfter('2.128', now)).toBe(3000);
    expect(parseRetryAfter('0.5', now)).toBe(1000);
    expect(parseRetryAfter('3.0', now)).toBe(3000);
  });

  it('reads an HTTP-date relative to the injected clock', () => {
    expect(parseRetryAfter('Thu, 26 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
  });

  it('treats an HTTP-date in the past as no wait', () => {
    expect(parseRetryAfter('Thu, 26 Nov 2026 09:00:00 GMT', now)).toBe(0);
  });

  it('returns undefined for a missing or unreadable header so backoff applies', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  it('grows exponentially and stays within the cap', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayInMs: 100, maxBackoffInMs: 1000 };
    expect(backoffDelay(1, policy, () => 1)).toBe(100);
    expect(backoffDelay(3, policy, () => 1)).toBe(400);
    expect(backoffDelay(10, policy, () => 1)).toBe(1000);
    expect(backoffDelay(10, policy, () => 0)).toBe(100);
  });
});

describe('isRetryableStatus', () => {
  it('retries throttling and gateway failures but not client errors', () => {
    expect([429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404].some(isRetryableStatus)).toBe(false);
  });
});
