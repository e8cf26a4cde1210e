/**
 * Compares the shape of a JSON value with the shape of one of Microsoft's examples: every property
 * the example shows must be there, with the same JSON type. Graph properties are nullable, so
 * `null` on either side matches any type; `@odata.id` (a link annotation Graph adds only in some
 * answers) is not a property. Arrays are compared element by element against the first element of
 * the other side with the same `@odata.type` (or the first element).
 */

export type JsonType = 'null' | 'string' | 'number' | 'boolean' | 'array' | 'object';

export function jsonType(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const t = typeof value;
  if (t === 'string' || t === 'number' || t === 'boolean') return t;
  return 'object';
}

const IGNORED = new Set(['@odata.id']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return jsonType(value) === 'object';
}

function counterpart(expected: unknown, candidates: readonly unknown[]): unknown {
  if (isRecord(expected) && typeof expected['@odata.type'] === 'string') {
    const same = candidates.find((c) => isRecord(c) && c['@odata.type'] === expected['@odata.type']);
    if (same !== undefined) return same;
  }
  return candidates[0];
}

/**
 * What `actual` lacks or types differently from `expected`, as `path: …` lines (empty when it
 * carries every property of the example with a compatible type).
 */
export function shapeGaps(expected: unknown, actual: unknown, path = ''): string[] {
  const e = jsonType(expected);
  const a = jsonType(actual);
  if (e === 'null' || a === 'null') return [];
  if (e !== a) return [`${path || '(root)'}: ${e} in Microsoft's example, ${a} here`];
  if (e === 'array') {
    const exp = expected as unknown[];
    const act = actual as unknown[];
    if (exp.length === 0 || act.length === 0) return [];
    return exp.flatMap((item) => {
      const other = counterpart(item, act);
      const tag = isRecord(item) && typeof item['@odata.type'] === 'string' ? `<${item['@odata.type']}>` : '';
      if (isRecord(item) && typeof item['@odata.type'] === 'string' && (!isRecord(other) || other['@odata.type'] !== item['@odata.type'])) {
        return [`${path}[]${tag}: no element of this type here`];
      }
      return shapeGaps(item, other, `${path}[]${tag}`);
    });
  }
  if (e === 'object') {
    const exp = expected as Record<string, unknown>;
    const act = actual as Record<string, unknown>;
    return Object.keys(exp).flatMap((key) => {
      if (IGNORED.has(key)) return [];
      const here = path ? `${path}.${key}` : key;
      if (!(key in act)) return [`${here}: missing (${jsonType(exp[key])} in Microsoft's example)`];
      return shapeGaps(exp[key], act[key], here);
    });
  }
  return [];
}

/**
 * The signIn resource page's JSON representation as an example: its values are type names
 * ("String", "Integer", "Boolean", "String (timestamp)") and `{"@odata.type": …}` stubs.
 */
export function representationAsExample(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(representationAsExample);
  if (isRecord(value)) {
    const keys = Object.keys(value);
    // A stub names only the complex type: any object matches it.
    if (keys.length === 1 && keys[0] === '@odata.type') return {};
    return Object.fromEntries(keys.filter((k) => k !== '@odata.type').map((k) => [k, representationAsExample(value[k])]));
  }
  if (typeof value === 'string') {
    if (value === 'Integer') return 0;
    if (value === 'Boolean') return false;
    return '';
  }
  return value;
}
