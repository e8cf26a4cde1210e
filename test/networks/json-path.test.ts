import { describe, expect, it } from 'vitest';
import { readJsonPath } from '../../src/networks/json-path.js';

describe('the jsonPath of a URL source', () => {
  it('flattens arrays marked with [] and the array it ends on', () => {
    const document = {
      values: [{ properties: { addressPrefixes: ['13.69.71.192/27'] } }, { properties: { addressPrefixes: ['2603:1020:206:402::180/122'] } }],
    };
    expect(readJsonPath(document, 'values[].properties.addressPrefixes')).toEqual({ strings: ['13.69.71.192/27', '2603:1020:206:402::180/122'], skipped: 0 });
  });

  it('reads a document that is itself an array of strings when there is no path', () => {
    expect(readJsonPath(['203.0.113.0/24', 7], undefined)).toEqual({ strings: ['203.0.113.0/24'], skipped: 1 });
  });

  it('counts missing steps and non-strings instead of throwing', () => {
    expect(readJsonPath({ values: [{ properties: {} }, 'x', null] }, 'values[].properties.addressPrefixes')).toEqual({ strings: [], skipped: 3 });
    expect(readJsonPath('not an object', 'a.b')).toEqual({ strings: [], skipped: 1 });
  });

  it('does not walk into inherited properties', () => {
    expect(readJsonPath({}, 'constructor')).toEqual({ strings: [], skipped: 1 });
  });
});
