import { describe, expect, it } from 'vitest';
import { inventoryOptions } from './options.js';

describe('inventory options', () => {
  it('accepts the formats commander offers and refuses any other option name', () => {
    expect(inventoryOptions.parse({ format: 'csv', all: true })).toEqual({ format: 'csv', all: true });
    expect(inventoryOptions.safeParse({ format: 'xml' }).success).toBe(false);
    // An option defined in command.ts but not here is a bug the schema catches.
    expect(inventoryOptions.safeParse({ format: 'json', verbose: true }).success).toBe(false);
  });
});
