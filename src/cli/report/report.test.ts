import { describe, expect, it } from 'vitest';
import { reportOptions } from './options.js';

describe('report options', () => {
  it('accepts an ISO week and the output directory', () => {
    expect(reportOptions.parse({ week: '2026-W48', out: './reports' })).toEqual({ week: '2026-W48', out: './reports' });
  });

  it('refuses a week the year does not have, saying which weeks it has', () => {
    const result = reportOptions.safeParse({ week: '2026-W60', out: './reports' });
    expect(result.success ? 'accepted' : result.error.issues[0]?.message).toBe('"2026-W60" is not an ISO week (2026 has weeks 01 to 53)');
  });
});
