import { describe, expect, it } from 'vitest';
import { base64ToHex, date, str } from './values.js';

describe('date', () => {
  it('reads 0 to 7 fractional digits', () => {
    expect(date('2026-11-26T10:00:00Z')?.toISOString()).toBe('2026-11-26T10:00:00.000Z');
    expect(date('2026-11-26T10:00:00.1Z')?.toISOString()).toBe('2026-11-26T10:00:00.100Z');
    expect(date('2026-11-26T10:00:00.1234567Z')?.toISOString()).toBe('2026-11-26T10:00:00.123Z');
  });

  it('treats a timestamp without a zone as UTC, not local time', () => {
    expect(date('2026-11-26T10:00:00')?.toISOString()).toBe('2026-11-26T10:00:00.000Z');
  });

  it('applies an explicit offset', () => {
    expect(date('2026-11-26T10:00:00.5+02:00')?.toISOString()).toBe('2026-11-26T08:00:00.500Z');
  });

  it('returns undefined for empty strings and garbage', () => {
    expect(date('')).toBeUndefined();
    expect(date('yesterday')).toBeUndefined();
    expect(date(42)).toBeUndefined();
  });
});

describe('str', () => {
  it('treats the empty string Graph uses for absent values as missing', () => {
    expect(str('')).toBeUndefined();
    expect(str('  ')).toBeUndefined();
    expect(str('x')).toBe('x');
  });
});

describe('base64ToHex', () => {
  it('turns a customKeyIdentifier into an upper-case hex thumbprint', () => {
    expect(base64ToHex(Buffer.from('abc').toString('base64'))).toBe('616263');
    expect(base64ToHex('not base64!')).toBeUndefined();
  });
});
