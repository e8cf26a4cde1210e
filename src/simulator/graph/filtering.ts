/**
 * Evaluates the `$filter` comparisons graph/conformance.ts let through, on in-memory objects:
 * property paths (`location/city`), dates compared as instants, `startswith` case-insensitively
 * (as the directory does) and `any` over collections.
 */
import type { Comparison } from '../odata.js';

/** The value at a `/`-separated property path, or undefined. */
export function valueAt(item: object, path: string): unknown {
  let value: unknown = item;
  for (const part of path.split('/')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

const DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/;

function compare(value: unknown, literal: string): number {
  const text = value === null || value === undefined ? 'null' : String(value);
  if (typeof value === 'number') return value - Number(literal);
  if (DATE.test(text) && DATE.test(literal)) return Date.parse(text) - Date.parse(literal);
  return text < literal ? -1 : text > literal ? 1 : 0;
}

/** Whether `item` satisfies one comparison. */
export function satisfies(item: object, c: Comparison): boolean {
  if (c.op === 'isof') return (item as Record<string, unknown>)['@odata.type'] === `#${c.value}`;
  // A cast path (`microsoft.graph.x/prop`) reads the property on items of that type only.
  const cast = /^microsoft\.graph\.(\w+)\/(.+)$/.exec(c.field);
  if (cast && (item as Record<string, unknown>)['@odata.type'] !== `#microsoft.graph.${cast[1] ?? ''}`) return false;
  const value = valueAt(item, cast ? (cast[2] ?? '') : c.field);
  switch (c.op) {
    case 'any':
      return Array.isArray(value) && value.some((v) => String(v) === c.value);
    case 'startswith':
      return typeof value === 'string' && value.toLowerCase().startsWith(c.value.toLowerCase());
    case 'eq':
      return compare(value, c.value) === 0;
    case 'ne':
      return compare(value, c.value) !== 0;
    case 'ge':
      return compare(value, c.value) >= 0;
    case 'gt':
      return compare(value, c.value) > 0;
    case 'le':
      return compare(value, c.value) <= 0;
    case 'lt':
      return compare(value, c.value) < 0;
  }
}

/** The items satisfying every comparison (a `$filter` is a conjunction here). */
export function filterItems<T extends object>(items: readonly T[], comparisons: readonly Comparison[]): readonly T[] {
  return comparisons.length === 0 ? items : items.filter((item) => comparisons.every((c) => satisfies(item, c)));
}

/** A stable sort on one property, for `$orderby`. */
export function sortItems<T extends object>(items: readonly T[], orderBy: { field: string; descending: boolean } | undefined): readonly T[] {
  if (!orderBy) return items;
  const sign = orderBy.descending ? -1 : 1;
  return [...items].sort((a, b) => sign * compare(valueAt(a, orderBy.field), String(valueAt(b, orderBy.field))));
}
