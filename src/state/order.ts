/**
 * Ordering helpers for the memory store. Strings compare by UTF-16 code unit, which for the ids
 * and keys credwatch stores (ASCII, and ISO days) is the order SQLite's BINARY collation gives,
 * so both stores list records in the same order.
 */
import { invalidInput } from './validate.js';

type SortKey = string | number;

/** A comparator over a tuple of keys, compared left to right. */
export function byKeys<T>(keys: (item: T) => readonly SortKey[]): (a: T, b: T) => number {
  return (a, b) => {
    const ka = keys(a);
    const kb = keys(b);
    for (let i = 0; i < ka.length; i++) {
      const x = ka[i] as SortKey;
      const y = kb[i] as SortKey;
      if (x < y) return -1;
      if (x > y) return 1;
    }
    return 0;
  };
}

/** A result limit: a positive safe integer. */
export function requireLimit(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 1) throw invalidInput('limit must be a positive integer', { limit });
  return limit;
}
