import { describe, expect, it } from 'vitest';
import { simulatorOptions } from './action.js';

describe('simulator options', () => {
  it('reads the port as a number from 0 to 65535', () => {
    expect(simulatorOptions.parse({ port: '8443', scenario: 'quiet' })).toEqual({ port: 8443, scenario: 'quiet' });
    for (const port of ['99999', 'abc', '-1', '']) expect(simulatorOptions.safeParse({ port, scenario: 'mimecast' }).success).toBe(false);
  });
});
