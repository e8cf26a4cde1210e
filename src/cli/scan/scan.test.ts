import { describe, expect, it } from 'vitest';
import { scanOptions } from './options.js';

describe('scan options', () => {
  it('reads --max-run-minutes as whole minutes, plain or with a unit', () => {
    expect(scanOptions.parse({ maxRunMinutes: '90' })).toEqual({ maxRunMinutes: 90 });
    expect(scanOptions.parse({ maxRunMinutes: '2h', json: true })).toEqual({ maxRunMinutes: 120, json: true });
    expect(scanOptions.parse({})).toEqual({});
  });

  it('refuses a deadline outside 1 to 1440 whole minutes', () => {
    for (const maxRunMinutes of ['0', '90s', '1441', '2d', 'abc']) expect(scanOptions.safeParse({ maxRunMinutes }).success).toBe(false);
  });
});
