/**
 * The small path language of a URL source's `jsonPath`: dotted property names, `[]` after a name
 * flattens an array (`values[].properties.addressPrefixes`). A library (JSONPath) would accept far
 * more than the config schema allows, and the schema is what users read.
 */

/** Strings found at `path`, plus how many values there were not strings (reported, not matched). */
export interface JsonPathResult {
  strings: string[];
  /** Values at the path that were not strings, or steps that found no property. */
  skipped: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Walks `document` along `path`. With no path the document itself must be an array of strings. A
 * final array is flattened, so `a.prefixes` and `a.prefixes[]` read the same.
 */
export function readJsonPath(document: unknown, path: string | undefined): JsonPathResult {
  let current: unknown[] = [document];
  let skipped = 0;
  for (const step of path ? path.split('.') : []) {
    const flatten = step.endsWith('[]');
    const name = flatten ? step.slice(0, -2) : step;
    const next: unknown[] = [];
    for (const value of current) {
      const child = isRecord(value) && Object.hasOwn(value, name) ? value[name] : undefined;
      if (child === undefined) skipped += 1;
      else if (flatten && Array.isArray(child))
        for (const item of child as unknown[]) next.push(item); // no spread: lists can outgrow the argument limit
      else if (flatten) skipped += 1;
      else next.push(child);
    }
    current = next;
  }
  const strings: string[] = [];
  for (const value of current.flatMap((v) => (Array.isArray(v) ? (v as unknown[]) : [v]))) {
    if (typeof value === 'string') strings.push(value);
    else skipped += 1;
  }
  return { strings, skipped };
}
