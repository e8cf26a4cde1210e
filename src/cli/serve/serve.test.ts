import { describe, expect, it } from 'vitest';
import { serveOptions } from './options.js';

describe('serve options', () => {
  it('reads --grace as seconds when plain, or with a unit', () => {
    expect(serveOptions.parse({ reportDir: 'reports', grace: '60' })).toEqual({ reportDir: 'reports', grace: 60_000 });
    expect(serveOptions.parse({ reportDir: 'reports', grace: '2m' })).toEqual({ reportDir: 'reports', grace: 120_000 });
  });

  it('refuses a --grace that is not a duration of at most an hour', () => {
    for (const grace of ['x', '2h', '-1']) expect(serveOptions.safeParse({ reportDir: 'reports', grace }).success).toBe(false);
  });
});
