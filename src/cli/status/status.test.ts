import { describe, expect, it } from 'vitest';
import { statusOptions } from './options.js';

describe('status options', () => {
  it('reads --stale-after as minutes when plain, or with a unit', () => {
    expect(statusOptions.parse({ staleAfter: '60' })).toEqual({ staleAfter: 3_600_000 });
    expect(statusOptions.parse({ staleAfter: '90m' })).toEqual({ staleAfter: 5_400_000 });
    expect(statusOptions.parse({ staleAfter: '2d' })).toEqual({ staleAfter: 172_800_000 });
  });

  it('refuses a --stale-after that is not a duration or beyond the 30 days of history status reads', () => {
    for (const staleAfter of ['abc', '0', '31d', '']) {
      const result = statusOptions.safeParse({ staleAfter });
      expect(result.success ? 'accepted' : result.error.issues[0]?.message).toMatch(/^expected a duration from 1m to 30d/);
    }
  });
});
