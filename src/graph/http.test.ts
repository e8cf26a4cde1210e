import { describe, expect, it } from 'vitest';
import { JsonArrayMemberSplitter, MalformedJsonError, readJsonArrayMember } from './http.js';

/** A page with what a naive splitter trips on: brackets, braces, commas and escapes inside strings, nesting, non-ASCII. */
const PAGE = JSON.stringify({
  '@odata.context': 'https://graph.microsoft.com/beta/$metadata#auditLogs/signIns',
  value: [
    { id: 'a', text: 'quote " brace } bracket ] comma , backslash \\', nested: { list: [1, { deep: '[{' }], empty: {} } },
    { id: 'b', unicode: 'é – 😀', control: 'line\nbreak\ttab' },
    'a string, with "quotes"',
    42.5e-3,
    null,
    true,
    [1, [2, [3]], { '}': ']' }],
    {},
  ],
  '@odata.nextLink': 'https://graph.microsoft.com/beta/auditLogs/signIns?$skiptoken=x%2By&$top=1000',
});

function split(pieces: readonly string[]): { elements: unknown[]; rest: Record<string, unknown> } {
  const elements: unknown[] = [];
  const splitter = new JsonArrayMemberSplitter('value', (json) => elements.push(JSON.parse(json)));
  for (const piece of pieces) splitter.write(piece);
  return { elements, rest: splitter.end() };
}

describe('JsonArrayMemberSplitter', () => {
  const whole = JSON.parse(PAGE) as { value: unknown[] };

  it('hands out every element and returns the rest with the array empty, wherever the text is cut into pieces', () => {
    for (let cut = 0; cut <= PAGE.length; cut += 1) {
      const { elements, rest } = split([PAGE.slice(0, cut), PAGE.slice(cut)]);
      expect(elements).toEqual(whole.value);
      expect(rest).toEqual({ ...whole, value: [] });
    }
  });

  it('reads a text fed one character at a time, and pretty-printed JSON', () => {
    expect(split([...PAGE]).elements).toEqual(whole.value);
    const pretty = JSON.stringify(whole, null, 2);
    expect(split([pretty]).elements).toEqual(whole.value);
    expect(split([pretty]).rest).toEqual({ ...whole, value: [] });
  });

  it('hands out an element as soon as it is complete', () => {
    const seen: string[] = [];
    const splitter = new JsonArrayMemberSplitter('value', (json) => seen.push(json));
    splitter.write('{"value":[{"id":1},{"id"');
    expect(seen).toEqual(['{"id":1}']);
    splitter.write(':2}]}');
    expect(seen).toEqual(['{"id":1}', '{"id":2}']);
  });

  it('reads an empty array, a page without the array, and other members named like it deeper down', () => {
    expect(split(['{"value":[]}'])).toEqual({ elements: [], rest: { value: [] } });
    expect(split(['{"error":{"value":[1,2]}}'])).toEqual({ elements: [], rest: { error: { value: [1, 2] } } });
    expect(split(['{"values":[1],"x":{"value":[2]},"value":[3]}'])).toEqual({ elements: [3], rest: { values: [1], x: { value: [2] }, value: [] } });
  });

  it('knows the member by its name, also when the name is written with escapes', () => {
    expect(split(['{"val\\u0075e":[1,2]}'])).toEqual({ elements: [1, 2], rest: { value: [] } });
  });

  it.each([
    ['cut short', '{"value":[1,2'],
    ['cut inside a string', '{"value":["ab'],
    ['an empty element', '{"value":[1,,2]}'],
    ['a trailing comma', '{"value":[1,]}'],
    ['a leading comma', '{"value":[,1]}'],
    ['not an object', '[1,2]'],
    ['text after the object', '{"value":[1]} {}'],
    ['a brace closing the array', '{"value":[1}'],
    ['the array twice', '{"value":[1],"value":[2]}'],
    ['a malformed rest', '{"value":[1],"x":}'],
  ])('rejects %s', (_why, text) => {
    expect(() => split([text])).toThrow(MalformedJsonError);
  });

  it('leaves a malformed element to JSON.parse', () => {
    expect(() => split(['{"value":[{"a":1 "b":2}]}'])).toThrow(SyntaxError);
  });
});

describe('readJsonArrayMember', () => {
  async function* bytes(text: string, size: number): AsyncGenerator<Uint8Array> {
    const all = new TextEncoder().encode(text);
    for (let i = 0; i < all.length; i += size) yield all.subarray(i, i + size);
  }

  it('decodes UTF-8 split anywhere, even inside a character', async () => {
    const whole = JSON.parse(PAGE) as { value: unknown[] };
    for (const size of [1, 2, 3, 5, 64]) {
      const elements: unknown[] = [];
      const rest = await readJsonArrayMember(bytes(PAGE, size), 'value', (json) => elements.push(JSON.parse(json)));
      expect(elements).toEqual(whole.value);
      expect(rest['@odata.nextLink']).toBe(whole['@odata.nextLink' as keyof typeof whole]);
    }
  });

  it('rejects a body that ends too early', async () => {
    await expect(readJsonArrayMember(bytes(PAGE.slice(0, -2), 7), 'value', () => undefined)).rejects.toThrow(MalformedJsonError);
  });
});
