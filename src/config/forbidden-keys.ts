/**
 * Keys that name JavaScript's prototype machinery. `JSON.parse` keeps `"__proto__"` as an ordinary
 * own key, but any later copy that assigns `target[key] = value` sets the target's prototype
 * instead, and `constructor` or `prototype` shadow what code expects of every object (the reason
 * Node offers `--disable-proto`: https://nodejs.org/api/cli.html#--disable-protomode). No option of
 * credwatch has these names, so they are refused wherever they appear, each named by its path.
 */
import type { PathSegments, ProblemList } from './problems.js';

const FORBIDDEN: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Reports every forbidden key in `raw` and returns a copy without them, so the schema, the
 * inline-secret scan and the resolvers only ever see plain data (and every other problem is still
 * listed in the same error).
 */
export function withoutForbiddenKeys(raw: unknown, problems: ProblemList, path: PathSegments = []): unknown {
  if (Array.isArray(raw)) return raw.map((item: unknown, i) => withoutForbiddenKeys(item, problems, [...path, i]));
  if (raw === null || typeof raw !== 'object') return raw;
  const kept: [string, unknown][] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (FORBIDDEN.has(key))
      problems.add([...path, key], `"${key}" is not allowed as a key anywhere in the file (it names JavaScript's prototype machinery); remove it`);
    else kept.push([key, withoutForbiddenKeys(value, problems, [...path, key])]);
  }
  // fromEntries defines properties rather than assigning them, and no forbidden key is left anyway.
  return Object.fromEntries(kept);
}
